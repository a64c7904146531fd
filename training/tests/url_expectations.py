"""Who may use each training URL. Courses and workshops are open to everyone signed in; progress and
certificates belong to their holder (and programme staff); authoring and reports are for staff."""

import datetime

from django.utils import timezone

from mentoring.tests.url_expectations import PROGRAMME_CHANGE, TARGETS_PROGRAMME
from tests.matrix import OTHER, OWN, Expect, cached, grid, only, signed_in

STAFF_ONLY = only(("staff",))
NOT_ALLOWED = signed_in(405)
API_NOT_ALLOWED = signed_in(405, anonymous=403)


def api(codes):
    return {**codes, "anonymous": 403}


def holder_and_staff(holder: str | None, code: int = 200, staff: int = 200, denied: int = 404):
    allowed = {"staff": staff}
    if holder:
        allowed[holder] = code
    return only(allowed, denied=denied)


def _course(scene):
    from training.tests.factories import build_course

    return cached(scene, "training_course", lambda: build_course(slug="matrix-course", modules=2))


def _enrolment(scene):
    from training import services

    return cached(
        scene,
        "training_enrolment",
        lambda: services.enrolment_start(user=scene.mentor, course=_course(scene)),
    )


def _module(scene):
    return _enrolment(scene).version.ordered_modules().first()


def _certificate(scene, user, name):
    def build():
        from training import services
        from training.models import Certificate

        certificate = Certificate.objects.create(
            user=user,
            programme=scene.programme,
            holder_name=str(user),
            title="Mentor training",
            completed_on=timezone.localdate(),
        )
        return services.certificate_issue(certificate_id=certificate.pk)

    return cached(scene, name, build)


def _workshop(scene):
    from training.tests.factories import WorkshopFactory

    return cached(scene, "training_workshop", lambda: WorkshopFactory(capacity=30))


def _past_workshop(scene):
    def build():
        from training.tests.factories import WorkshopBookingFactory, WorkshopFactory

        workshop = WorkshopFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
        WorkshopBookingFactory(workshop=workshop, user=scene.mentor, attended=True)
        return workshop

    return cached(scene, "training_past_workshop", build)


def _worksheet_module(scene):
    def build():
        module = _version(scene).ordered_modules().first()
        module.worksheet = "**My goals**"
        module.save()
        return module

    return cached(scene, "training_worksheet_module", build)


def _version(scene):
    from training import selectors

    return selectors.published_version(_course(scene))


TARGET_COURSE = {"course": lambda s: {"slug": _course(s).slug}}
TARGET_ENROLMENT_MODULE = {OWN: lambda s: {"pk": _enrolment(s).pk, "module_pk": _module(s).pk}}
TARGET_CERTIFICATE = {
    OWN: lambda s: {"pk": _certificate(s, s.mentor, "training_certificate").pk},
    OTHER: lambda s: {"pk": _certificate(s, s.other_mentor, "training_other_certificate").pk},
}
TARGET_CODE = {
    "valid": lambda s: {"code": _certificate(s, s.mentor, "training_certificate").code},
    "unknown": lambda s: {"code": "no-such-code"},
}
TARGET_WORKSHOP = {"workshop": lambda s: {"pk": _workshop(s).pk}}
TARGET_PAST_WORKSHOP = {"attended": lambda s: {"pk": _past_workshop(s).pk}}
TARGET_VERSION = {"version": lambda s: {"pk": _version(s).pk}}
TARGET_SECTION = {"section": lambda s: {"pk": _version(s).sections.first().pk}}
TARGET_MODULE = {"module": lambda s: {"pk": _version(s).ordered_modules().first().pk}}

TARGET_WORKSHEET = {
    "worksheet": lambda s: {"slug": _course(s).slug, "module_pk": _worksheet_module(s).pk},
    "none": lambda s: {"slug": _course(s).slug, "module_pk": _version(s).ordered_modules().last().pk},
}
TARGET_QUESTION = {"question": lambda s: {"pk": _version(s).ordered_modules().first().questions.first().pk}}
CERTIFICATE_VIEW = {OWN: holder_and_staff("mentor"), OTHER: holder_and_staff(None)}
CERTIFICATE_CHANGE = {
    OWN: holder_and_staff("mentor", code=403, staff=302),
    OTHER: holder_and_staff(None, staff=302),
}
STAFF_VISIBLE = only({"staff": 200}, denied=404)
REPORT_TABLES = {
    table: (lambda s, table=table: {"table": table})
    for table in ("courses", "programmes", "failed-questions", "workshop-ratings", "overdue")
}
COURSE_CHANGE = only(("staff",))


def each(targets, codes):
    return {label: codes for label in targets}


EXPECTATIONS = {
    "training:course_list": Expect({"GET": signed_in(200), "POST": NOT_ALLOWED}),
    "training:course_detail": Expect(
        {"GET": each(TARGET_COURSE, signed_in(200)), "POST": each(TARGET_COURSE, NOT_ALLOWED)},
        targets=TARGET_COURSE,
    ),
    "training:course_start": Expect(
        {"GET": each(TARGET_COURSE, NOT_ALLOWED), "POST": each(TARGET_COURSE, signed_in(302))},
        targets=TARGET_COURSE,
    ),
    "training:course_manual": Expect(
        {"GET": each(TARGET_COURSE, signed_in(200)), "POST": each(TARGET_COURSE, NOT_ALLOWED)},
        targets=TARGET_COURSE,
    ),
    "training:worksheet_pdf": Expect(
        {
            "GET": {"worksheet": signed_in(200), "none": signed_in(404)},
            "POST": each(TARGET_WORKSHEET, NOT_ALLOWED),
        },
        targets=TARGET_WORKSHEET,
    ),
    "training:module_detail": Expect(
        {
            "GET": {OWN: holder_and_staff("mentor", staff=403)},
            # An empty submission is refused with a message and a redirect; nothing changes.
            "POST": {OWN: holder_and_staff("mentor", code=302, staff=403)},
        },
        targets=TARGET_ENROLMENT_MODULE,
    ),
    "training:certificate_list": Expect({"GET": signed_in(200), "POST": NOT_ALLOWED}),
    "training:certificate_detail": Expect(
        {"GET": CERTIFICATE_VIEW, "POST": each(TARGET_CERTIFICATE, NOT_ALLOWED)}, targets=TARGET_CERTIFICATE
    ),
    "training:certificate_download": Expect(
        {"GET": CERTIFICATE_VIEW, "POST": each(TARGET_CERTIFICATE, NOT_ALLOWED)}, targets=TARGET_CERTIFICATE
    ),
    "training:certificate_revoke": Expect(
        {"GET": each(TARGET_CERTIFICATE, NOT_ALLOWED), "POST": CERTIFICATE_CHANGE}, targets=TARGET_CERTIFICATE
    ),
    "training:certificate_regenerate": Expect(
        {"GET": each(TARGET_CERTIFICATE, NOT_ALLOWED), "POST": CERTIFICATE_CHANGE}, targets=TARGET_CERTIFICATE
    ),
    "training:verify": Expect({"GET": grid(200), "POST": grid(405)}),
    "training:verify_code": Expect(
        {"GET": {"valid": grid(200), "unknown": grid(404)}, "POST": each(TARGET_CODE, grid(405))},
        targets=TARGET_CODE,
    ),
    "training:workshop_list": Expect({"GET": signed_in(200), "POST": NOT_ALLOWED}),
    "training:workshop_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "training:workshop_detail": Expect(
        {"GET": each(TARGET_WORKSHOP, signed_in(200)), "POST": each(TARGET_WORKSHOP, NOT_ALLOWED)},
        targets=TARGET_WORKSHOP,
    ),
    "training:workshop_edit": Expect(
        {"GET": each(TARGET_WORKSHOP, STAFF_ONLY), "POST": each(TARGET_WORKSHOP, STAFF_ONLY)},
        targets=TARGET_WORKSHOP,
    ),
    "training:workshop_book": Expect(
        {"GET": each(TARGET_WORKSHOP, NOT_ALLOWED), "POST": each(TARGET_WORKSHOP, signed_in(302))},
        targets=TARGET_WORKSHOP,
    ),
    "training:workshop_cancel": Expect(
        {"GET": each(TARGET_WORKSHOP, NOT_ALLOWED), "POST": each(TARGET_WORKSHOP, signed_in(302))},
        targets=TARGET_WORKSHOP,
    ),
    "training:workshop_attendance": Expect(
        {"GET": each(TARGET_WORKSHOP, STAFF_ONLY), "POST": each(TARGET_WORKSHOP, STAFF_ONLY)},
        targets=TARGET_WORKSHOP,
    ),
    "training:workshop_feedback": Expect(
        {
            "GET": each(TARGET_PAST_WORKSHOP, only(("mentor",))),
            "POST": each(TARGET_PAST_WORKSHOP, only(("mentor",))),
        },
        targets=TARGET_PAST_WORKSHOP,
    ),
    "training:manage_courses": Expect({"GET": STAFF_ONLY, "POST": NOT_ALLOWED}),
    "training:course_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "training:course_edit": Expect(
        {"GET": each(TARGET_COURSE, COURSE_CHANGE), "POST": each(TARGET_COURSE, COURSE_CHANGE)},
        targets=TARGET_COURSE,
    ),
    "training:course_new_draft": Expect(
        {"GET": each(TARGET_COURSE, NOT_ALLOWED), "POST": each(TARGET_COURSE, only({"staff": 302}))},
        targets=TARGET_COURSE,
    ),
    "training:version_detail": Expect(
        {"GET": each(TARGET_VERSION, STAFF_VISIBLE), "POST": each(TARGET_VERSION, STAFF_VISIBLE)},
        targets=TARGET_VERSION,
    ),
    "training:version_publish": Expect(
        {
            "GET": each(TARGET_VERSION, NOT_ALLOWED),
            "POST": each(TARGET_VERSION, only({"staff": 302}, denied=404)),
        },
        targets=TARGET_VERSION,
    ),
    "training:module_create": Expect(
        {"GET": each(TARGET_SECTION, STAFF_VISIBLE), "POST": each(TARGET_SECTION, STAFF_VISIBLE)},
        targets=TARGET_SECTION,
    ),
    "training:module_edit": Expect(
        {"GET": each(TARGET_MODULE, STAFF_VISIBLE), "POST": each(TARGET_MODULE, STAFF_VISIBLE)},
        targets=TARGET_MODULE,
    ),
    "training:section_edit": Expect(
        {"GET": each(TARGET_SECTION, STAFF_VISIBLE), "POST": each(TARGET_SECTION, STAFF_VISIBLE)},
        targets=TARGET_SECTION,
    ),
    # The matrix's version is published: staff are refused with a message (302) and nothing is removed.
    "training:section_delete": Expect(
        {
            "GET": each(TARGET_SECTION, NOT_ALLOWED),
            "POST": each(TARGET_SECTION, only({"staff": 302}, denied=404)),
        },
        targets=TARGET_SECTION,
    ),
    "training:module_delete": Expect(
        {
            "GET": each(TARGET_MODULE, NOT_ALLOWED),
            "POST": each(TARGET_MODULE, only({"staff": 302}, denied=404)),
        },
        targets=TARGET_MODULE,
    ),
    "training:module_preview": Expect(
        {"GET": each(TARGET_MODULE, STAFF_VISIBLE), "POST": each(TARGET_MODULE, NOT_ALLOWED)},
        targets=TARGET_MODULE,
    ),
    "training:question_create": Expect(
        {"GET": each(TARGET_MODULE, STAFF_VISIBLE), "POST": each(TARGET_MODULE, STAFF_VISIBLE)},
        targets=TARGET_MODULE,
    ),
    # Staff see the form; a post to the published question is refused with a field message (200).
    "training:question_edit": Expect(
        {"GET": each(TARGET_QUESTION, STAFF_VISIBLE), "POST": each(TARGET_QUESTION, STAFF_VISIBLE)},
        targets=TARGET_QUESTION,
    ),
    # The matrix's question sits in a published version: staff are refused with a message (302).
    "training:question_delete": Expect(
        {
            "GET": each(TARGET_QUESTION, NOT_ALLOWED),
            "POST": each(TARGET_QUESTION, only({"staff": 302}, denied=404)),
        },
        targets=TARGET_QUESTION,
    ),
    "training:programme_requirement": Expect(
        {
            "GET": PROGRAMME_CHANGE,
            # An empty post shows the form again to staff.
            "POST": PROGRAMME_CHANGE,
        },
        targets=TARGETS_PROGRAMME,
    ),
    "training:reports": Expect({"GET": STAFF_ONLY, "POST": NOT_ALLOWED}),
    "training:reports_csv": Expect({"GET": STAFF_ONLY, "POST": NOT_ALLOWED}),
    "training:reports_table_csv": Expect(
        {"GET": each(REPORT_TABLES, STAFF_ONLY), "POST": each(REPORT_TABLES, NOT_ALLOWED)},
        targets=REPORT_TABLES,
    ),
    # API -----------------------------------------------------------------------------------------
    "api:training-course-list": Expect({"GET": signed_in(200, anonymous=403), "POST": API_NOT_ALLOWED}),
    "api:training-course-detail": Expect(
        {
            "GET": each(TARGET_COURSE, signed_in(200, anonymous=403)),
            "PATCH": each(TARGET_COURSE, API_NOT_ALLOWED),
        },
        targets={"course": lambda s: {"pk": _course(s).pk}},
    ),
    "api:training-course-start": Expect(
        {
            "GET": each(TARGET_COURSE, API_NOT_ALLOWED),
            "POST": each(TARGET_COURSE, signed_in(201, anonymous=403)),
        },
        targets={"course": lambda s: {"pk": _course(s).pk}},
    ),
    "api:training-progress-list": Expect({"GET": signed_in(200, anonymous=403), "POST": API_NOT_ALLOWED}),
    "api:training-progress-detail": Expect(
        {"GET": {OWN: api(holder_and_staff("mentor"))}, "PATCH": {OWN: API_NOT_ALLOWED}},
        targets={OWN: lambda s: {"pk": _enrolment(s).pk}},
    ),
    "api:training-progress-answers": Expect(
        {
            "GET": {OWN: API_NOT_ALLOWED},
            # An empty submission is a 400 for the learner; staff may look but not answer.
            "POST": {OWN: api(holder_and_staff("mentor", code=400, staff=403))},
        },
        targets={OWN: lambda s: {"pk": _enrolment(s).pk}},
    ),
    "api:training-certificate-list": Expect({"GET": signed_in(200, anonymous=403), "POST": API_NOT_ALLOWED}),
    "api:training-certificate-detail": Expect(
        {
            "GET": {label: api(codes) for label, codes in CERTIFICATE_VIEW.items()},
            "PATCH": each(TARGET_CERTIFICATE, API_NOT_ALLOWED),
        },
        targets=TARGET_CERTIFICATE,
    ),
}
