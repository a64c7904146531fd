"""Who may use each page and API endpoint of the resource library, the FAQ and bulletins.

Library readers: mentors, partner coordinators and DSLs, programme staff. Mentees and funders do
not use the library (403 on lists, 404 on objects). Staff alone write.
"""

from tests.matrix import OTHER, OWN, SAME, Expect, cached, grid, only, signed_in

READERS = ("mentor", "coordinator_a", "coordinator_b", "dsl_a", "staff")
NOT_READERS = ("mentee_under_16", "mentee_over_18", "funder")
NOT_ALLOWED = signed_in(405)
API_NOT_ALLOWED = signed_in(405, anonymous=403)
STAFF_ONLY = only(("staff",))
STAFF_ONLY_404 = only(("staff",), denied=404)


def readers(code=200, others=404, **codes):
    """`code` for library readers, `others` for everyone else signed in."""
    return grid(others, anonymous=302, **{**dict.fromkeys(READERS, code), **codes})


def api(codes):
    return {**codes, "anonymous": 403}


def _published(scene):
    from .factories import ResourceFactory

    return cached(scene, "res_published", lambda: ResourceFactory(slug="goal-sheet", title="Goal sheet"))


def _draft(scene):
    from .factories import ResourceFactory

    return cached(scene, "res_draft", lambda: ResourceFactory(slug="draft-sheet", status="draft"))


def _faq(scene):
    from .factories import FaqEntryFactory

    return cached(scene, "res_faq", FaqEntryFactory)


def _sent(scene):
    from .factories import sent_bulletin

    return cached(scene, "res_sent", sent_bulletin)


def _draft_bulletin(scene):
    from .factories import BulletinFactory

    return cached(scene, "res_draft_bulletin", BulletinFactory)


def _planned(scene, relationship):
    from mentoring.tests.factories import MentoringSessionFactory

    from .factories import SessionResourceFactory

    session = MentoringSessionFactory(relationship=relationship)
    return SessionResourceFactory(
        session=session, resource=_published(scene), attached_by=relationship.mentor
    )


RESOURCE = {SAME: lambda s: {"slug": _published(s).slug}}
DRAFT = {SAME: lambda s: {"slug": _draft(s).slug}}
FAQ = {SAME: lambda s: {"pk": _faq(s).pk}}
SENT = {SAME: lambda s: {"pk": _sent(s).pk}}
DRAFT_BULLETIN = {SAME: lambda s: {"pk": _draft_bulletin(s).pk}}
BULLETIN_READERS = only({"mentor": 200, "staff": 200}, denied=404)

EXPECTATIONS = {
    "resources:resource_list": Expect({"GET": only(READERS), "POST": NOT_ALLOWED}),
    "resources:resource_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "resources:resource_detail": Expect(
        {
            "GET": {SAME: readers(), "draft": STAFF_ONLY_404},
            "POST": {SAME: NOT_ALLOWED, "draft": NOT_ALLOWED},
        },
        targets={**RESOURCE, "draft": DRAFT[SAME]},
    ),
    "resources:resource_edit": Expect(
        # An empty form is refused and shown again.
        {"GET": {SAME: readers(403, staff=200)}, "POST": {SAME: readers(403, staff=200)}},
        targets=RESOURCE,
    ),
    "resources:resource_pdf": Expect(
        {
            "GET": {SAME: readers(), "draft": STAFF_ONLY_404},
            "POST": {SAME: NOT_ALLOWED, "draft": NOT_ALLOWED},
        },
        targets={**RESOURCE, "draft": DRAFT[SAME]},
    ),
    "resources:resource_publish": Expect(
        {"GET": {SAME: NOT_ALLOWED}, "POST": {SAME: readers(403, staff=302)}}, targets=RESOURCE
    ),
    # An empty rating is refused with a message and a redirect back.
    "resources:resource_rate": Expect(
        {"GET": {SAME: NOT_ALLOWED}, "POST": {SAME: readers(403, mentor=302)}}, targets=RESOURCE
    ),
    "resources:resource_attach": Expect(
        {"GET": {SAME: NOT_ALLOWED}, "POST": {SAME: readers(403, mentor=302)}}, targets=RESOURCE
    ),
    "resources:planned_remove": Expect(
        {
            "GET": {OWN: NOT_ALLOWED, OTHER: NOT_ALLOWED},
            # The mentor removes their own plan; afterwards it no longer exists for anyone.
            "POST": {
                OWN: grid(404, anonymous=302, mentor=302),
                OTHER: grid(404, anonymous=302, coordinator_b=403, staff=403),
            },
        },
        targets={
            OWN: lambda s: {"pk": _planned(s, s.relationship_under_16).pk},
            OTHER: lambda s: {"pk": _planned(s, s.relationship_b).pk},
        },
    ),
    "resources:faq_list": Expect({"GET": only(READERS), "POST": NOT_ALLOWED}),
    "resources:faq_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "resources:faq_edit": Expect(
        {"GET": {SAME: readers(403, staff=200)}, "POST": {SAME: readers(403, staff=200)}}, targets=FAQ
    ),
    "resources:faq_delete": Expect(
        {"GET": {SAME: NOT_ALLOWED}, "POST": {SAME: readers(403, staff=302)}}, targets=FAQ
    ),
    "resources:bulletin_list": Expect({"GET": only(("mentor", "staff")), "POST": NOT_ALLOWED}),
    "resources:bulletin_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "resources:bulletin_detail": Expect(
        {
            "GET": {SAME: BULLETIN_READERS, "draft": STAFF_ONLY_404},
            "POST": {SAME: NOT_ALLOWED, "draft": NOT_ALLOWED},
        },
        targets={**SENT, "draft": DRAFT_BULLETIN[SAME]},
    ),
    "resources:bulletin_edit": Expect(
        {
            "GET": {SAME: only({"mentor": 403, "staff": 403}, denied=404), "draft": STAFF_ONLY_404},
            "POST": {SAME: only({"mentor": 403, "staff": 403}, denied=404), "draft": STAFF_ONLY_404},
        },
        targets={**SENT, "draft": DRAFT_BULLETIN[SAME]},
    ),
    "resources:bulletin_send": Expect(
        {
            "GET": {SAME: NOT_ALLOWED, "draft": NOT_ALLOWED},
            # Sending a sent bulletin again is refused with a message.
            "POST": {
                SAME: only({"mentor": 403, "staff": 302}, denied=404),
                "draft": only({"staff": 302}, denied=404),
            },
        },
        targets={**SENT, "draft": DRAFT_BULLETIN[SAME]},
    ),
    "resources:bulletin_progress": Expect(
        {"GET": {SAME: only({"mentor": 403, "staff": 200}, denied=404)}, "POST": {SAME: NOT_ALLOWED}},
        targets=SENT,
    ),
    # API
    "api:resources-resource-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": api(only({"staff": 400}))}
    ),
    "api:resources-resource-detail": Expect(
        {"GET": {SAME: api(readers())}, "PATCH": {SAME: api(readers(403, staff=200))}}, targets=RESOURCE
    ),
    "api:resources-bulletin-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": api(only({"staff": 400}))}
    ),
    "api:resources-bulletin-detail": Expect(
        {
            "GET": {SAME: api(BULLETIN_READERS), "draft": api(STAFF_ONLY_404)},
            "PATCH": {
                SAME: api(only({"mentor": 403, "staff": 403}, denied=404)),
                "draft": api(STAFF_ONLY_404),
            },
        },
        targets={**SENT, "draft": DRAFT_BULLETIN[SAME]},
    ),
    "api:resources-bulletin-send": Expect(
        {"GET": {"draft": API_NOT_ALLOWED}, "POST": {"draft": api(only({"staff": 202}, denied=404))}},
        targets={"draft": DRAFT_BULLETIN[SAME]},
    ),
}
