from tests.matrix import OTHER, OWN, SAME, Expect, only, signed_in

STAFF_ONLY = only(("staff",))

EXPECTATIONS = {
    "accounts:profile": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
    # An empty POST re-shows the form with "first name is required".
    "accounts:profile_edit": Expect({"GET": signed_in(200), "POST": signed_in(200)}),
    # Only ever the signed-in person's own answers; an empty POST re-shows the form (an answer is required).
    "accounts:diversity": Expect({"GET": signed_in(200), "POST": signed_in(200)}),
    "accounts:person_roles": Expect(
        {"GET": {SAME: STAFF_ONLY, OTHER: STAFF_ONLY}, "POST": {SAME: STAFF_ONLY, OTHER: STAFF_ONLY}},
        targets={SAME: lambda s: {"pk": s.coordinator_a.pk}, OTHER: lambda s: {"pk": s.coordinator_b.pk}},
    ),
    "accounts:role_revoke": Expect(
        {
            "GET": {SAME: signed_in(405), OTHER: signed_in(405)},
            # coordinator_a may see their own role assignment but not remove it.
            "POST": {
                SAME: only({"staff": 302, "coordinator_a": 403}, denied=404),
                OTHER: only({"staff": 302, "coordinator_b": 403}, denied=404),
            },
        },
        targets={
            SAME: lambda s: {"pk": s.coordinator_a.role_assignments.get().pk},
            OTHER: lambda s: {"pk": s.coordinator_b.role_assignments.get().pk},
        },
    ),
    "accounts:mentee_edit": Expect(
        {
            "GET": {
                SAME: only({"staff": 200, "coordinator_a": 200, "dsl_a": 403}, denied=404),
                OTHER: only({"staff": 200, "coordinator_b": 200}, denied=404),
            },
            "POST": {
                SAME: only({"staff": 200, "coordinator_a": 200, "dsl_a": 403}, denied=404),
                OTHER: only({"staff": 200, "coordinator_b": 200}, denied=404),
            },
        },
        targets={SAME: lambda s: {"pk": s.unmatched_a.pk}, OTHER: lambda s: {"pk": s.mentee_b.pk}},
    ),
    "accounts:audit_log": Expect({"GET": STAFF_ONLY, "POST": signed_in(405)}),
}


# Recruitment ------------------------------------------------------------------------------------
# (imports kept here so the foundation's expectations above read as they were)
from django.utils import timezone  # noqa: E402

from accounts.models import Role  # noqa: E402
from recruitment.models import Application, ConsentRecord, MenteeImport, ScreeningCheck  # noqa: E402
from tests.matrix import cached, grid  # noqa: E402

from .factories import (  # noqa: E402
    ApplicationFactory,
    ApplicationWindowFactory,
    MenteeApplicationFactory,
)


def _window(scene, role):
    return cached(
        scene, f"window_{role}", lambda: ApplicationWindowFactory(programme=scene.programme, role=role)
    )


def _mentor_submitted(scene):
    def build():
        application = ApplicationFactory(
            user=scene.mentor,
            programme=scene.programme,
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        ScreeningCheck.objects.create(application=application)
        return application

    return cached(scene, "mentor_submitted", build)


def _mentor_draft(scene):
    return cached(
        scene, "mentor_draft", lambda: ApplicationFactory(user=scene.mentor, programme=scene.other_programme)
    )


def _same_draft(scene):
    return cached(
        scene,
        "same_draft",
        lambda: MenteeApplicationFactory(
            user=scene.unmatched_a, programme=scene.programme, youth_partner=scene.partner_a
        ),
    )


def _other_draft(scene):
    return cached(
        scene,
        "other_draft",
        lambda: MenteeApplicationFactory(
            user=scene.mentee_b, programme=scene.programme, youth_partner=scene.partner_b
        ),
    )


def _import(scene, partner_name):
    partner = getattr(scene, partner_name)
    return cached(
        scene,
        f"import_{partner_name}",
        lambda: MenteeImport.objects.create(
            youth_partner=partner,
            filename="mentees.csv",
            file_sha256="0" * 64,
            status=MenteeImport.Status.INVALID,
            problems=[{"row": 2, "column": "email", "message": "The email address is missing."}],
        ),
    )


def _consent(scene, mentee_name):
    mentee = getattr(scene, mentee_name)
    return cached(
        scene,
        f"consent_{mentee_name}",
        lambda: ConsentRecord.objects.create(
            mentee=mentee,
            given_by_name="Pat Parent",
            given_by_email="pat.parent@example.org",
            given_by_relationship="Mother",
            given_at=timezone.now(),
            text_version="2026-09",
            text="I agree.",
        ),
    )


def _visible(*personas, denied=404):
    return only(dict.fromkeys(personas, 200), denied=denied)


def _api(codes):
    return {**codes, "anonymous": 403}


def _change(view_codes, *changers, ok=200):
    return {
        persona: ok if persona in changers else (403 if code == 200 else code)
        for persona, code in view_codes.items()
    }


LISTS = only(("staff", "coordinator_a", "coordinator_b"))
TAMPERED = {"tampered": lambda scene: {"token": "not-a-real-token"}}

APPLICATION_TARGETS = {
    OWN: lambda s: {"pk": _mentor_submitted(s).pk},
    SAME: lambda s: {"pk": _same_draft(s).pk},
    OTHER: lambda s: {"pk": _other_draft(s).pk},
}
DRAFT_TARGETS = {
    OWN: lambda s: {"pk": _mentor_draft(s).pk},
    SAME: lambda s: {"pk": _same_draft(s).pk},
    OTHER: lambda s: {"pk": _other_draft(s).pk},
}
APPLICATION_VIEW = {
    OWN: _visible("staff", "mentor"),
    SAME: _visible("staff", "coordinator_a"),
    OTHER: _visible("staff", "coordinator_b"),
}
IMPORT_TARGETS = {
    SAME: lambda s: {"pk": _import(s, "partner_a").pk},
    OTHER: lambda s: {"pk": _import(s, "partner_b").pk},
}
IMPORT_VIEW = {SAME: _visible("staff", "coordinator_a"), OTHER: _visible("staff", "coordinator_b")}


def _each(grids, wrap=lambda codes: codes):
    return {label: wrap(codes) for label, codes in grids.items()}


def _post_only(targets_grid, anonymous=302):
    return {label: signed_in(405, anonymous=anonymous) for label in targets_grid}


def _decide(ok_own=302, ok_same=302, ok_other=302):
    return {
        OWN: _change(APPLICATION_VIEW[OWN], "staff", ok=ok_own),
        SAME: _change(APPLICATION_VIEW[SAME], "staff", ok=ok_same),
        OTHER: _change(APPLICATION_VIEW[OTHER], "staff", ok=ok_other),
    }


def _mentor_checked(scene, mentor, name):
    def build():
        application = ApplicationFactory(
            user=mentor,
            programme=scene.programme,
            status=Application.Status.APPROVED,
            submitted_at=timezone.now(),
        )
        ScreeningCheck.objects.create(
            application=application, background_check_level="enhanced_barred", certificate_last4="9876"
        )
        return mentor

    return cached(scene, name, build)


# The confirmation a school keeps: staff, and the coordinators and DSLs of a partner whose young person
# the mentor mentors (partner A for the mentor, partner B for the other mentor); 404 for everyone else.
CHECKS_CONFIRMATION = {
    OWN: only(("staff", "coordinator_a", "dsl_a"), denied=404),
    OTHER: only(("staff", "coordinator_b"), denied=404),
}
CHECKS_TARGETS = {
    OWN: lambda s: {"pk": _mentor_checked(s, s.mentor, "mentor_checked").pk},
    OTHER: lambda s: {"pk": _mentor_checked(s, s.other_mentor, "other_mentor_checked").pk},
}


EXPECTATIONS.update(
    {
        # Public pages and one-time links: anyone may try them; an unknown token is 404.
        "recruitment:programme_page": Expect(
            {"GET": {SAME: grid(200)}, "POST": {SAME: grid(405)}},
            targets={SAME: lambda s: {"slug": s.programme.slug}},
        ),
        "recruitment:reference_respond": Expect(
            {"GET": {"tampered": grid(404)}, "POST": {"tampered": grid(404)}}, targets=TAMPERED
        ),
        "recruitment:invitation_claim": Expect(
            {"GET": {"tampered": grid(404)}, "POST": {"tampered": grid(404)}}, targets=TAMPERED
        ),
        "recruitment:consent_give": Expect(
            {"GET": {"tampered": grid(404)}, "POST": {"tampered": grid(404)}}, targets=TAMPERED
        ),
        # Applying: any signed-in person while a window is open; an empty POST re-shows the form.
        "recruitment:apply": Expect(
            {
                "GET": {"mentor": signed_in(200), "mentee": signed_in(200)},
                "POST": {"mentor": signed_in(200), "mentee": signed_in(200)},
            },
            targets={
                "mentor": lambda s: {"slug": _window(s, Role.MENTOR).programme.slug, "role": "mentor"},
                "mentee": lambda s: {"slug": _window(s, Role.MENTEE).programme.slug, "role": "mentee"},
            },
        ),
        "recruitment:my_applications": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
        "recruitment:application_edit": Expect(
            {
                "GET": {
                    OWN: _change(APPLICATION_VIEW[OWN], "mentor"),
                    SAME: _change(APPLICATION_VIEW[SAME]),
                    OTHER: _change(APPLICATION_VIEW[OTHER]),
                },
                "POST": {
                    OWN: _change(APPLICATION_VIEW[OWN], "mentor"),
                    SAME: _change(APPLICATION_VIEW[SAME]),
                    OTHER: _change(APPLICATION_VIEW[OTHER]),
                },
            },
            targets=DRAFT_TARGETS,
        ),
        "recruitment:application_withdraw": Expect(
            {
                "GET": _post_only(APPLICATION_VIEW),
                "POST": {
                    OWN: _change(APPLICATION_VIEW[OWN], "mentor", ok=302),
                    SAME: _change(APPLICATION_VIEW[SAME]),
                    OTHER: _change(APPLICATION_VIEW[OTHER]),
                },
            },
            targets=APPLICATION_TARGETS,
        ),
        # Staff and coordinator pages.
        "recruitment:application_list": Expect({"GET": LISTS, "POST": only({"staff": 302})}),
        "recruitment:application_export": Expect({"GET": LISTS, "POST": signed_in(405)}),
        "recruitment:application_detail": Expect(
            {"GET": APPLICATION_VIEW, "POST": _post_only(APPLICATION_VIEW)}, targets=APPLICATION_TARGETS
        ),
        # Mentee applications have no screening checklist.
        "recruitment:screening_update": Expect(
            {"GET": _post_only(APPLICATION_VIEW), "POST": _decide(ok_same=404, ok_other=404)},
            targets=APPLICATION_TARGETS,
        ),
        "recruitment:reference_request": Expect(
            {"GET": _post_only(APPLICATION_VIEW), "POST": _decide()}, targets=APPLICATION_TARGETS
        ),
        "recruitment:application_decide": Expect(
            {"GET": _post_only(APPLICATION_VIEW), "POST": _decide()}, targets=APPLICATION_TARGETS
        ),
        "recruitment:waiting_pool": Expect({"GET": STAFF_ONLY, "POST": signed_in(405)}),
        "recruitment:checks_confirmation": Expect(
            {"GET": CHECKS_CONFIRMATION, "POST": _post_only(CHECKS_CONFIRMATION)}, targets=CHECKS_TARGETS
        ),
        "recruitment:checks_pdf": Expect(
            {"GET": CHECKS_CONFIRMATION, "POST": _post_only(CHECKS_CONFIRMATION)}, targets=CHECKS_TARGETS
        ),
        "recruitment:renewals_due": Expect({"GET": STAFF_ONLY, "POST": signed_in(405)}),
        "recruitment:import_list": Expect({"GET": LISTS, "POST": LISTS}),
        "recruitment:import_detail": Expect(
            {"GET": IMPORT_VIEW, "POST": _post_only(IMPORT_VIEW)}, targets=IMPORT_TARGETS
        ),
        # The fixture's import has problems: committing is refused with a message.
        "recruitment:import_commit": Expect(
            {
                "GET": _post_only(IMPORT_VIEW),
                "POST": {
                    SAME: _change(IMPORT_VIEW[SAME], "staff", "coordinator_a", ok=302),
                    OTHER: _change(IMPORT_VIEW[OTHER], "staff", "coordinator_b", ok=302),
                },
            },
            targets=IMPORT_TARGETS,
        ),
        "recruitment:consent_manage": Expect(
            {
                method: {
                    SAME: only(
                        {
                            "staff": 200,
                            "coordinator_a": 200,
                            "dsl_a": 403,
                            "mentor": 403,
                            "mentee_under_16": 403,
                        },
                        denied=404,
                    ),
                    OTHER: only({"staff": 200, "coordinator_b": 200}, denied=404),
                }
                for method in ("GET", "POST")
            },
            targets={SAME: lambda s: {"pk": s.mentee_under_16.pk}, OTHER: lambda s: {"pk": s.mentee_b.pk}},
        ),
        "recruitment:consent_withdraw": Expect(
            {
                "GET": {SAME: signed_in(405), OTHER: signed_in(405)},
                "POST": {
                    SAME: only(
                        {"staff": 302, "coordinator_a": 302, "dsl_a": 403, "mentee_under_16": 403}, denied=404
                    ),
                    OTHER: only({"staff": 302, "coordinator_b": 302}, denied=404),
                },
            },
            targets={
                SAME: lambda s: {"pk": _consent(s, "mentee_under_16").pk},
                OTHER: lambda s: {"pk": _consent(s, "mentee_b").pk},
            },
        ),
        # API ------------------------------------------------------------------------------------
        "api:application-list": Expect(
            {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
        ),
        "api:application-detail": Expect(
            {
                "GET": _each(APPLICATION_VIEW, _api),
                "PATCH": {label: signed_in(405, anonymous=403) for label in APPLICATION_VIEW},
            },
            targets=APPLICATION_TARGETS,
        ),
        # Only a draft's own applicant may submit it; these targets are a sent application and others' drafts.
        "api:application-submit": Expect(
            {
                "GET": {label: signed_in(405, anonymous=403) for label in APPLICATION_VIEW},
                "POST": {label: _api(_change(codes)) for label, codes in APPLICATION_VIEW.items()},
            },
            targets=APPLICATION_TARGETS,
        ),
        "api:screening-list": Expect(
            {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
        ),
        "api:screening-detail": Expect(
            {"GET": {OWN: _api(_visible("staff", "mentor"))}, "PATCH": {OWN: signed_in(405, anonymous=403)}},
            targets={OWN: lambda s: {"pk": _mentor_submitted(s).screening.pk}},
        ),
        # An empty upload is refused with field messages.
        "api:menteeimport-list": Expect(
            {
                "GET": signed_in(200, anonymous=403),
                "POST": _api(only({"staff": 400, "coordinator_a": 400, "coordinator_b": 400})),
            }
        ),
        # The fixture's imports have problems: committing is refused with a message.
        "api:menteeimport-commit": Expect(
            {
                "GET": {label: signed_in(405, anonymous=403) for label in IMPORT_VIEW},
                "POST": {
                    SAME: _api(_change(IMPORT_VIEW[SAME], "staff", "coordinator_a", ok=400)),
                    OTHER: _api(_change(IMPORT_VIEW[OTHER], "staff", "coordinator_b", ok=400)),
                },
            },
            targets=IMPORT_TARGETS,
        ),
        "api:menteeimport-detail": Expect(
            {
                "GET": _each(IMPORT_VIEW, _api),
                "PATCH": {label: signed_in(405, anonymous=403) for label in IMPORT_VIEW},
            },
            targets=IMPORT_TARGETS,
        ),
    }
)

from mentoring.tests.url_expectations import PROGRAMME_CHANGE, TARGETS_PROGRAMME  # noqa: E402

EXPECTATIONS["recruitment:programme_recruitment"] = Expect(
    {"GET": PROGRAMME_CHANGE, "POST": PROGRAMME_CHANGE}, targets=TARGETS_PROGRAMME
)

EXPECTATIONS["recruitment:invitation_resend"] = Expect(
    {
        "GET": {SAME: signed_in(405), OTHER: signed_in(405)},
        # These people have set their passwords: the resend is refused with a message.
        "POST": {
            SAME: only({"staff": 302, "coordinator_a": 302, "dsl_a": 403}, denied=404),
            OTHER: only({"staff": 302, "coordinator_b": 302}, denied=404),
        },
    },
    targets={SAME: lambda s: {"pk": s.unmatched_a.pk}, OTHER: lambda s: {"pk": s.mentee_b.pk}},
)

EXPECTATIONS["recruitment:programme_index"] = Expect({"GET": grid(200), "POST": grid(405)})


# API keys ------------------------------------------------------------------------------------------
def _mentor_api_key(scene):
    from accounts.services import api_token_issue

    return cached(scene, "mentor_api_key", lambda: api_token_issue(user=scene.mentor, name="Matrix")[0])


# Always the signed-in person's own keys; an empty POST re-shows the form (a name is required).
EXPECTATIONS["accounts:api_tokens"] = Expect({"GET": signed_in(200), "POST": signed_in(200)})
EXPECTATIONS["accounts:api_token_revoke"] = Expect(
    {"GET": {OWN: signed_in(405)}, "POST": {OWN: only({"mentor": 302}, denied=404)}},
    targets={OWN: lambda s: {"pk": _mentor_api_key(s).pk}},
)
# An empty POST is refused with a field message.
EXPECTATIONS["api:api-key-list"] = Expect(
    {"GET": signed_in(200, anonymous=403), "POST": signed_in(400, anonymous=403)}
)
EXPECTATIONS["api:api-key-detail"] = Expect(
    {"GET": {OWN: _api(_visible("mentor"))}, "DELETE": {OWN: _api(only({"mentor": 204}, denied=404))}},
    targets={OWN: lambda s: {"pk": _mentor_api_key(s).pk}},
)
