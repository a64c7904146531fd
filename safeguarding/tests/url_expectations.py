"""Who may use the safeguarding and messaging pages.

Case records are for the DSL of the young person's youth partner only (dsl_a at partner A; partner B
has no DSL of its own in the scene and no programme DSL, so nobody reads its concern). Threads are for
the pair and the coordinators and DSLs of the mentee's partner; programme staff do not read messages.
"""

import datetime

from django.utils import timezone

from mentoring.tests.url_expectations import PROGRAMME_CHANGE, TARGETS_PROGRAMME, method_not_allowed
from tests.matrix import OTHER, OWN, Expect, cached, grid, only, signed_in


def visible(*personas: str, code: int = 200) -> dict[str, int]:
    return only(dict.fromkeys(personas, code), denied=404)


def _concern(scene, name, reporter, young_person):
    from safeguarding.services import concern_raise

    return cached(
        scene,
        name,
        lambda: concern_raise(
            reporter=reporter,
            kind="child",
            young_person=young_person,
            happened_at=timezone.now() - datetime.timedelta(hours=1),
            who_is_at_risk="The young person",
            facts="Said they were frightened to go home.",
        ),
    )


def _message(scene, name, relationship, body):
    from safeguarding.services import message_send

    return cached(
        scene, name, lambda: message_send(relationship=relationship, sender=relationship.mentor, body=body)
    )


TARGETS_CONCERN = {
    OWN: lambda s: {"pk": _concern(s, "concern_a", s.mentor, s.mentee_under_16).pk},
    OTHER: lambda s: {"pk": _concern(s, "concern_b", s.other_mentor, s.mentee_b).pk},
}
CONCERN_READ = {OWN: visible("dsl_a"), OTHER: visible()}
TARGETS_THREAD = {
    OWN: lambda s: {"pk": s.relationship_under_16.pk},
    OTHER: lambda s: {"pk": s.relationship_b.pk},
}
THREAD_READ = {
    OWN: visible("mentor", "mentee_under_16", "coordinator_a", "dsl_a"),
    OTHER: visible("coordinator_b"),
}
THREAD_WRITE = {
    OWN: {**visible("coordinator_a", "dsl_a", code=403), "mentor": 400, "mentee_under_16": 400},
    OTHER: visible("coordinator_b", code=403),
}
TARGETS_DELIVERED = {
    OWN: lambda s: {"pk": _message(s, "delivered_a", s.relationship_under_16, "See you on Tuesday.").pk},
    OTHER: lambda s: {"pk": _message(s, "delivered_b", s.relationship_b, "See you on Tuesday.").pk},
}
TARGETS_HELD = {
    OWN: lambda s: {"pk": _message(s, "held_a", s.relationship_under_16, "Text me on 07700 900999").pk},
    OTHER: lambda s: {"pk": _message(s, "held_b", s.relationship_b, "Text me on 07700 900999").pk},
}

EXPECTATIONS = {
    "safeguarding:concern_raise": Expect({"GET": signed_in(200), "POST": signed_in(200)}),
    "safeguarding:my_concerns": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
    "safeguarding:concern_list": Expect({"GET": only(("dsl_a",)), "POST": signed_in(405)}),
    "safeguarding:concern_detail": Expect(
        {"GET": CONCERN_READ, "POST": method_not_allowed(CONCERN_READ)}, targets=TARGETS_CONCERN
    ),
    "safeguarding:concern_acknowledge": Expect(
        {
            "GET": method_not_allowed(CONCERN_READ),
            "POST": {OWN: visible("dsl_a", code=302), OTHER: visible()},
        },
        targets=TARGETS_CONCERN,
    ),
    "safeguarding:concern_entry_add": Expect(
        {"POST": {OWN: visible("dsl_a", code=400), OTHER: visible()}}, targets=TARGETS_CONCERN
    ),
    "safeguarding:concern_keep_messages": Expect(
        {"POST": {OWN: visible("dsl_a", code=302), OTHER: visible()}}, targets=TARGETS_CONCERN
    ),
    "safeguarding:privacy_notice": Expect({"GET": grid(200), "POST": grid(405)}),
    "safeguarding:thread_list": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
    "safeguarding:thread": Expect({"GET": THREAD_READ, "POST": THREAD_WRITE}, targets=TARGETS_THREAD),
    "safeguarding:message_hold": Expect(
        {
            "GET": method_not_allowed(TARGETS_DELIVERED),
            "POST": {
                OWN: {**visible("coordinator_a", "dsl_a", code=302), "mentor": 403, "mentee_under_16": 403},
                OTHER: visible("coordinator_b", code=302),
            },
        },
        targets=TARGETS_DELIVERED,
    ),
    "safeguarding:message_decline": Expect(
        {
            "GET": method_not_allowed(TARGETS_HELD),
            "POST": {
                OWN: {**visible("coordinator_a", "dsl_a", code=302), "mentor": 403},
                OTHER: visible("coordinator_b", code=302),
            },
        },
        targets=TARGETS_HELD,
    ),
    "safeguarding:message_return": Expect(
        {
            "GET": method_not_allowed(TARGETS_HELD),
            "POST": {
                OWN: {**visible("coordinator_a", "dsl_a", code=302), "mentor": 403},
                OTHER: visible("coordinator_b", code=302),
            },
        },
        targets=TARGETS_HELD,
    ),
    "safeguarding:message_release": Expect(
        {
            "GET": method_not_allowed(TARGETS_HELD),
            "POST": {
                OWN: {**visible("coordinator_a", "dsl_a", code=302), "mentor": 403},
                OTHER: visible("coordinator_b", code=302),
            },
        },
        targets=TARGETS_HELD,
    ),
}

# django-allauth MFA pages. Setting up or changing MFA needs a fresh re-authentication first (a
# force_login session has none, so they redirect); pages for an authenticator nobody has are 404.
REAUTHENTICATE_FIRST = signed_in(302)
NO_AUTHENTICATOR = signed_in(404)
EXPECTATIONS.update(
    {
        "mfa_index": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
        "mfa_activate_totp": Expect({"GET": REAUTHENTICATE_FIRST, "POST": REAUTHENTICATE_FIRST}),
        "mfa_generate_recovery_codes": Expect({"GET": REAUTHENTICATE_FIRST, "POST": REAUTHENTICATE_FIRST}),
        "mfa_reauthenticate": Expect({"GET": REAUTHENTICATE_FIRST, "POST": REAUTHENTICATE_FIRST}),
        # Only reachable in the middle of signing in with a second factor.
        "mfa_authenticate": Expect({"GET": grid(302), "POST": grid(302)}),
        "mfa_deactivate_totp": Expect({"GET": NO_AUTHENTICATOR, "POST": NO_AUTHENTICATOR}),
        "mfa_download_recovery_codes": Expect({"GET": NO_AUTHENTICATOR, "POST": NO_AUTHENTICATOR}),
        "mfa_view_recovery_codes": Expect({"GET": NO_AUTHENTICATOR, "POST": signed_in(405)}),
    }
)


# Erasure, suspension, meetings and gifts ---------------------------------------------------------


def _second_staff(scene):
    from accounts.models import Role
    from accounts.tests.factories import RoleAssignmentFactory, UserFactory

    def build():
        person = UserFactory(email="second.staff@example.org", first_name="Sasha")
        RoleAssignmentFactory(user=person, role=Role.PROGRAMME_STAFF)
        return person

    return cached(scene, "second_staff", build)


def _pending_erasure(scene):
    from safeguarding.data_protection import erasure_request

    return cached(
        scene,
        "pending_erasure",
        lambda: erasure_request(
            person=scene.unmatched_a,
            actor=_second_staff(scene),
            reason="Asked by email",
            includes_safeguarding=True,
        ),
    )


def _suspension(scene, action):
    from safeguarding.oversight import mentor_suspension_request

    return cached(
        scene,
        f"suspension_{action}",
        lambda: mentor_suspension_request(
            mentor=scene.other_mentor,
            actor=_second_staff(scene),
            action=action,
            ground="conduct",
            reason="Late.",
        ),
    )


def _meeting(scene, name, relationship):
    from safeguarding.oversight import meeting_request_create

    return cached(
        scene,
        name,
        lambda: meeting_request_create(
            relationship=relationship,
            actor=relationship.mentor,
            place="Central Library café",
            purpose="Look at university prospectuses",
            proposed_for=timezone.now() + datetime.timedelta(days=7),
        ),
    )


def _gift(scene):
    from decimal import Decimal

    from safeguarding.oversight import gift_declare

    return cached(
        scene,
        "gift",
        lambda: gift_declare(
            mentor=scene.mentor,
            direction="received",
            description="Box of biscuits from the family",
            value=Decimal("40"),
            given_on=timezone.localdate(),
        ),
    )


STAFF_PAGE = only(("staff",))
PENDING = "pending"
EXPECTATIONS.update(
    {
        "safeguarding:erasure_list": Expect({"GET": STAFF_PAGE, "POST": signed_in(405)}),
        "safeguarding:erasure_create": Expect({"GET": STAFF_PAGE, "POST": STAFF_PAGE}),
        "safeguarding:erasure_approve": Expect(
            {"POST": {PENDING: visible("staff", code=302)}},
            targets={PENDING: lambda s: {"pk": _pending_erasure(s).pk}},
        ),
        "safeguarding:suspension_list": Expect({"GET": STAFF_PAGE, "POST": signed_in(405)}),
        "safeguarding:suspension_create": Expect({"GET": STAFF_PAGE, "POST": STAFF_PAGE}),
        "safeguarding:suspension_approve": Expect(
            {"POST": {PENDING: visible("staff", code=302)}},
            targets={PENDING: lambda s: {"pk": _suspension(s, "remove").pk}},
        ),
        "safeguarding:suspension_lift": Expect(
            {"POST": {"in_effect": visible("staff", code=302)}},
            targets={"in_effect": lambda s: {"pk": _suspension(s, "suspend").pk}},
        ),
        "safeguarding:meeting_list": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
        "safeguarding:meeting_request": Expect(
            {
                "GET": {
                    OWN: {
                        **visible("coordinator_a", "dsl_a", code=403),
                        "mentor": 200,
                        "mentee_under_16": 200,
                    },
                    OTHER: visible("coordinator_b", code=403),
                },
                "POST": THREAD_WRITE,
            },
            targets=TARGETS_THREAD,
        ),
        "safeguarding:meeting_decide": Expect(
            {
                "POST": {
                    OWN: {
                        **visible("mentor", "mentee_under_16", "dsl_a", code=403),
                        "coordinator_a": 302,
                    },
                    OTHER: visible("coordinator_b", code=302),
                }
            },
            targets={
                OWN: lambda s: {"pk": _meeting(s, "meeting_a", s.relationship_under_16).pk},
                OTHER: lambda s: {"pk": _meeting(s, "meeting_b", s.relationship_b).pk},
            },
        ),
        "safeguarding:gift_list": Expect({"GET": only(("staff", "mentor")), "POST": signed_in(405)}),
        "safeguarding:gift_declare": Expect({"GET": only(("mentor",)), "POST": only(("mentor",))}),
        "safeguarding:gift_decide": Expect(
            {"POST": {OWN: {**visible("staff", code=302), "mentor": 403}}},
            targets={OWN: lambda s: {"pk": _gift(s).pk}},
        ),
    }
)


# API ---------------------------------------------------------------------------------------------


def api(codes: dict[str, int]) -> dict[str, int]:
    return {**codes, "anonymous": 403}


EXPECTATIONS.update(
    {
        "api:message-list": Expect(
            {
                "GET": signed_in(200, anonymous=403),
                "POST": api(only({"mentor": 400, "mentee_under_16": 400, "mentee_over_18": 400})),
            }
        ),
        "api:message-detail": Expect(
            {
                "GET": {OWN: api(visible("mentor", "mentee_under_16", "coordinator_a", "dsl_a"))},
                "PATCH": {OWN: signed_in(405, anonymous=403)},
                "DELETE": {OWN: signed_in(405, anonymous=403)},
            },
            targets={OWN: TARGETS_DELIVERED[OWN]},
        ),
        "api:concern-list": Expect(
            {"GET": signed_in(200, anonymous=403), "POST": signed_in(400, anonymous=403)}
        ),
    }
)

EXPECTATIONS["safeguarding:programme_settings"] = Expect(
    {"GET": PROGRAMME_CHANGE, "POST": PROGRAMME_CHANGE}, targets=TARGETS_PROGRAMME
)


def _message_with_file(scene):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeguarding.services import message_send
    from safeguarding.tests.test_messages import PLAIN_PDF

    return cached(
        scene,
        "message_with_file",
        lambda: message_send(
            relationship=scene.relationship_over_18,
            sender=scene.mentor,
            body="My CV as an example",
            attachment=SimpleUploadedFile("cv.pdf", PLAIN_PDF, content_type="application/pdf"),
        ),
    )


EXPECTATIONS["safeguarding:message_attachment"] = Expect(
    {
        # An over-18's thread is not copied to the coordinator; the DSL can still read it.
        "GET": {OWN: visible("mentor", "mentee_over_18", "dsl_a")},
        "POST": {OWN: signed_in(405)},
    },
    targets={OWN: lambda s: {"pk": _message_with_file(s).pk}},
)


def _deputy_dsl(scene):
    from accounts.models import Role
    from accounts.tests.factories import RoleAssignmentFactory, UserFactory

    def build():
        person = UserFactory(email="deputy.dsl@example.org", first_name="Devi")
        RoleAssignmentFactory(
            user=person, role=Role.SAFEGUARDING_LEAD, youth_partner=scene.partner_a, is_deputy=True
        )
        return person

    return cached(scene, "deputy_dsl", build)


def _export(scene, approved):
    from safeguarding.services import case_export_approve, case_export_request

    def build():
        export = case_export_request(
            concern=_concern(scene, "concern_a", scene.mentor, scene.mentee_under_16),
            actor=_deputy_dsl(scene),
            reason="Requested by children's social care",
        )
        return case_export_approve(export=export, actor=scene.dsl_a) if approved else export

    return cached(scene, f"export_{approved}", build)


EXPECTATIONS.update(
    {
        "safeguarding:concern_export_request": Expect(
            {"POST": {OWN: visible("dsl_a", code=302), OTHER: visible()}}, targets=TARGETS_CONCERN
        ),
        "safeguarding:concern_export_approve": Expect(
            {"POST": {PENDING: visible("dsl_a", code=302)}},
            targets={PENDING: lambda s: {"pk": _export(s, approved=False).pk}},
        ),
        "safeguarding:concern_export_download": Expect(
            {"GET": {"approved": visible("dsl_a")}, "POST": {"approved": signed_in(405)}},
            targets={"approved": lambda s: {"pk": _export(s, approved=True).pk}},
        ),
    }
)


# Subject access exports: only the person, and the member of staff who prepared one on their request.


def _data_export(scene, name, person, requested_by):
    from safeguarding.data_protection import data_export_build
    from safeguarding.models import SubjectAccessExport

    def build():
        export = SubjectAccessExport.objects.create(person=person, requested_by=requested_by)
        return data_export_build(export_id=export.pk)

    return cached(scene, name, build)


ON_REQUEST = "on_request"
TARGETS_DATA_EXPORT = {
    OWN: lambda s: {"pk": _data_export(s, "data_export_own", s.mentee_under_16, s.mentee_under_16).pk},
    ON_REQUEST: lambda s: {"pk": _data_export(s, "data_export_on_request", s.mentee_over_18, s.staff).pk},
}
DATA_EXPORT_READ = {OWN: visible("mentee_under_16"), ON_REQUEST: visible("mentee_over_18", "staff")}
EXPECTATIONS.update(
    {
        # Posting asks for a copy of one's own data and goes to its progress page.
        "safeguarding:my_data": Expect({"GET": signed_in(200), "POST": signed_in(302)}),
        "safeguarding:data_export_detail": Expect(
            {"GET": DATA_EXPORT_READ, "POST": method_not_allowed(DATA_EXPORT_READ)},
            targets=TARGETS_DATA_EXPORT,
        ),
        "safeguarding:data_export_status": Expect(
            {"GET": DATA_EXPORT_READ, "POST": method_not_allowed(DATA_EXPORT_READ)},
            targets=TARGETS_DATA_EXPORT,
        ),
        "safeguarding:data_export_download": Expect(
            {"GET": DATA_EXPORT_READ, "POST": method_not_allowed(DATA_EXPORT_READ)},
            targets=TARGETS_DATA_EXPORT,
        ),
        "safeguarding:data_export_for_person": Expect({"GET": STAFF_PAGE, "POST": STAFF_PAGE}),
        "safeguarding:erasure_detail": Expect(
            {"GET": {PENDING: visible("staff")}, "POST": method_not_allowed({PENDING: None})},
            targets={PENDING: lambda s: {"pk": _pending_erasure(s).pk}},
        ),
    }
)

# The API gives a person their own copies only (staff download theirs for others from the page).
EXPECTATIONS.update(
    {
        "api:data-export-list": Expect(
            {"GET": signed_in(200, anonymous=403), "POST": signed_in(202, anonymous=403)}
        ),
        "api:data-export-detail": Expect(
            {
                "GET": {OWN: api(visible("mentee_under_16")), ON_REQUEST: api(visible("mentee_over_18"))},
                "DELETE": {label: signed_in(405, anonymous=403) for label in TARGETS_DATA_EXPORT},
            },
            targets=TARGETS_DATA_EXPORT,
        ),
        "api:data-export-download": Expect(
            {
                "GET": {OWN: api(visible("mentee_under_16")), ON_REQUEST: api(visible("mentee_over_18"))},
                "POST": {label: signed_in(405, anonymous=403) for label in TARGETS_DATA_EXPORT},
            },
            targets=TARGETS_DATA_EXPORT,
        ),
    }
)
