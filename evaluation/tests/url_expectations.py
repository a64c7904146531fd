import datetime

from tests.matrix import OTHER, OWN, SAME, Expect, cached, grid, only, signed_in

from ..content import MENTEE_PRE

READERS = ("staff", "funder", "coordinator_a", "coordinator_b")
STAFF_ONLY = only(("staff",))


def api(codes):
    return {**codes, "anonymous": 403}


def own_only(code=200, denied=404):
    return grid(denied, anonymous=302, mentee_under_16=code)


def _own_response(scene):
    from ..services import survey_issue

    return cached(
        scene,
        "eval_own_response",
        lambda: survey_issue(instrument_slug=MENTEE_PRE, user=scene.mentee_under_16),
    )


def _other_response(scene):
    from ..services import survey_issue

    return cached(
        scene, "eval_other_response", lambda: survey_issue(instrument_slug=MENTEE_PRE, user=scene.mentee_b)
    )


def _published_version(scene):
    from ..models import InstrumentVersion

    return cached(
        scene,
        "eval_version",
        lambda: InstrumentVersion.objects.get(instrument__slug=MENTEE_PRE, status="published"),
    )


def _ready_report(scene):
    from ..models import ImpactReport

    return cached(
        scene,
        "eval_report",
        lambda: ImpactReport.objects.create(
            programme=scene.programme,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            status=ImpactReport.Status.READY,
            progress=100,
            pdf=b"%PDF-1.7 test",
        ),
    )


RESPONSE_TARGETS = {
    OWN: lambda s: {"pk": _own_response(s).pk},
    OTHER: lambda s: {"pk": _other_response(s).pk},
}
VERSION_TARGET = {SAME: lambda s: {"pk": _published_version(s).pk}}
INSTRUMENT_TARGET = {SAME: lambda s: {"pk": _published_version(s).instrument_id}}
QUESTION_TARGET = {SAME: lambda s: {"pk": _published_version(s).questions.first().pk}}
REPORT_TARGET = {SAME: lambda s: {"pk": _ready_report(s).pk}}
REPORT_VIEW = {SAME: only({"staff": 200, "funder": 200}, denied=404)}
NOT_ALLOWED = signed_in(405)

EXPECTATIONS = {
    "evaluation:my_surveys": Expect({"GET": signed_in(200), "POST": NOT_ALLOWED}),
    "evaluation:response_fill": Expect(
        {
            "GET": {OWN: own_only(), OTHER: grid(404, anonymous=302)},
            # An empty save keeps the (empty) progress and returns to the form.
            "POST": {OWN: own_only(302), OTHER: grid(404, anonymous=302)},
        },
        targets=RESPONSE_TARGETS,
    ),
    "evaluation:instrument_list": Expect({"GET": STAFF_ONLY, "POST": NOT_ALLOWED}),
    "evaluation:instrument_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "evaluation:instrument_detail": Expect(
        {"GET": {SAME: STAFF_ONLY}, "POST": {SAME: NOT_ALLOWED}}, targets=INSTRUMENT_TARGET
    ),
    "evaluation:version_new_draft": Expect(
        {"GET": {SAME: NOT_ALLOWED}, "POST": {SAME: only({"staff": 302})}}, targets=INSTRUMENT_TARGET
    ),
    "evaluation:version_detail": Expect(
        # A published version is frozen: a staff POST is refused with a message and a redirect.
        {"GET": {SAME: STAFF_ONLY}, "POST": {SAME: only({"staff": 302})}},
        targets=VERSION_TARGET,
    ),
    "evaluation:version_publish": Expect(
        {"GET": {SAME: NOT_ALLOWED}, "POST": {SAME: only({"staff": 302})}}, targets=VERSION_TARGET
    ),
    "evaluation:instance_toggle": Expect(
        {"GET": {OWN: NOT_ALLOWED}, "POST": {OWN: only({"staff": 302}, denied=404)}},
        targets={OWN: lambda s: {"pk": _own_response(s).instance_id}},
    ),
    "evaluation:question_delete": Expect(
        {"GET": {SAME: NOT_ALLOWED}, "POST": {SAME: only({"staff": 302}, denied=404)}},
        targets=QUESTION_TARGET,
    ),
    "evaluation:dashboard": Expect({"GET": only(READERS), "POST": NOT_ALLOWED}),
    "evaluation:dashboard_breakdown": Expect({"GET": only(READERS), "POST": NOT_ALLOWED}),
    "evaluation:dashboard_export": Expect(
        {"GET": {SAME: only(READERS)}, "POST": {SAME: NOT_ALLOWED}},
        targets={SAME: lambda s: {"table": "paired", "file_format": "csv"}},
    ),
    "evaluation:respondents_export": Expect({"GET": only({"staff": 200}), "POST": NOT_ALLOWED}),
    "evaluation:report_create": Expect({"GET": NOT_ALLOWED, "POST": only({"staff": 302})}),
    "evaluation:report_detail": Expect(
        {"GET": REPORT_VIEW, "POST": {SAME: NOT_ALLOWED}}, targets=REPORT_TARGET
    ),
    "evaluation:report_status": Expect(
        {"GET": REPORT_VIEW, "POST": {SAME: NOT_ALLOWED}}, targets=REPORT_TARGET
    ),
    "evaluation:report_download": Expect(
        {"GET": REPORT_VIEW, "POST": {SAME: NOT_ALLOWED}}, targets=REPORT_TARGET
    ),
    # API -----------------------------------------------------------------------------------------
    "api:survey-instrument-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
    ),
    "api:survey-instrument-detail": Expect(
        {"GET": {SAME: signed_in(200, anonymous=403)}, "PATCH": {SAME: signed_in(405, anonymous=403)}},
        targets=VERSION_TARGET,
    ),
    "api:survey-response-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
    ),
    "api:survey-response-detail": Expect(
        {
            "GET": {OWN: api(own_only()), OTHER: api(grid(404))},
            "PATCH": {OWN: signed_in(405, anonymous=403), OTHER: signed_in(405, anonymous=403)},
        },
        targets=RESPONSE_TARGETS,
    ),
    "api:survey-response-answers": Expect(
        {
            "GET": {OWN: signed_in(405, anonymous=403), OTHER: signed_in(405, anonymous=403)},
            # The matrix posts an empty form: the answers field is missing, so the owner gets a 400.
            "POST": {OWN: api(own_only(400)), OTHER: api(grid(404))},
        },
        targets=RESPONSE_TARGETS,
    ),
    # A person who may not read the figures is refused before the method is looked at.
    "api:impact-aggregates": Expect(
        {"GET": api(only(READERS)), "POST": api(only(dict.fromkeys(READERS, 405)))}
    ),
}
