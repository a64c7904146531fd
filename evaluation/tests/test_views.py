from django.urls import reverse

from .. import services
from ..content import MENTEE_POST, MENTEE_PRE
from ..models import ImpactReport, SurveyResponse


def test_the_survey_form_groups_each_scale_in_a_fieldset_with_a_legend(world, client_for):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)
    page = client_for(world.mentee_over_18).get(response.get_absolute_url())
    html = page.content.decode()
    assert html.count("<fieldset") >= 11
    assert "<legend" in html and "I feel positive about my future." in html
    assert "Strongly agree" in html


def test_under_16s_see_the_plain_wording(world, client_for):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_under_16)
    html = client_for(world.mentee_under_16).get(response.get_absolute_url()).content.decode()
    assert "I feel good about my future." in html
    assert "Yes, definitely" in html
    assert "Strongly agree" not in html


def test_saving_keeps_progress_and_sending_submits(world, client_for):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)
    client = client_for(world.mentee_over_18)
    url = response.get_absolute_url()
    saved = client.post(url, {"positive_future": "4", "save": ""})
    assert saved.status_code == 302
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.IN_PROGRESS
    page = client.get(url).content.decode()
    assert "1 of 13 questions answered" in page
    incomplete = client.post(url, {"positive_future": "4", "submit": ""})
    assert incomplete.status_code == 200
    assert "Please answer this question." in incomplete.content.decode()
    answers = {
        code: "3"
        for code in [
            "experience_training",
            "advice_contact",
            "talk_to_adults",
            "routes_into_work",
            "cv_interview",
            "working_life",
            "set_goals",
            "try_again",
            "cope_pressure",
        ]
    }
    done = client.post(
        url,
        {**answers, "positive_future": "4", "help_wanted": ["0", "3"], "work_interests": "1", "submit": ""},
    )
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.SUBMITTED
    assert client.post(url, {"submit": ""}).status_code == 403


def test_mentee_home_shows_the_survey_waiting(world, client_for):
    services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18, mandatory=True)
    html = client_for(world.mentee_over_18).get(reverse("home")).content.decode()
    assert "Surveys waiting for you" in html and "Mentee pre-evaluation" in html


def test_a_report_with_the_end_before_the_start_is_refused(world, client_for):
    client = client_for(world.staff)
    client.post(
        reverse("evaluation:report_create"), {"period_start": "2026-05-01", "period_end": "2026-01-01"}
    )
    assert not ImpactReport.objects.exists()


def test_a_pending_report_polls_its_status(world, client_for):
    report = ImpactReport.objects.create(period_start="2026-01-01", period_end="2026-02-01")
    html = client_for(world.staff).get(reverse("evaluation:report_detail", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'role="progressbar"' in html


def test_the_report_task_does_the_work_once(world):
    from ..tasks import build_impact_report

    report = ImpactReport.objects.create(period_start="2026-01-01", period_end="2026-02-01")
    build_impact_report(report.pk)
    first = ImpactReport.objects.get(pk=report.pk)
    build_impact_report(report.pk)
    assert ImpactReport.objects.get(pk=report.pk).updated_at == first.updated_at


def test_staff_build_and_publish_an_instrument(world, client_for):
    client = client_for(world.staff)
    client.post(
        reverse("evaluation:instrument_create"),
        {"name": "Careers fair feedback", "slug": "careers-fair", "purpose": "other", "description": ""},
    )
    from ..models import Instrument

    version = Instrument.objects.get(slug="careers-fair").versions.get()
    client.post(
        version.get_absolute_url(),
        {
            "code": "fair_useful",
            "kind": "single",
            "text": "Was the fair useful?",
            "theme": "world_of_work",
            "choices_text": "Very\nA bit\nNot really",
            "required": "on",
        },
    )
    assert version.questions.get().choices == ["Very", "A bit", "Not really"]
    client.post(reverse("evaluation:version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == "published"
    refused = client.post(
        version.get_absolute_url(),
        {"code": "late", "kind": "yes_no", "text": "Late?", "theme": "wellbeing"},
        follow=True,
    )
    assert "cannot change" in refused.content.decode()
    assert version.questions.count() == 1


def test_my_surveys_lists_only_my_own(world, client_for):
    services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    mine = services.survey_issue(instrument_slug=MENTEE_POST, user=world.mentee_over_18)
    page = client_for(world.mentee_over_18).get(reverse("evaluation:my_surveys"))
    assert [r.pk for r in page.context["page"]] == [mine.pk]


def test_staff_close_a_survey_and_answers_are_refused(world, client_for):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)
    client_for(world.staff).post(reverse("evaluation:instance_toggle", args=[response.instance_id]))
    response.instance.refresh_from_db()
    assert not response.instance.is_open
    page = client_for(world.mentee_over_18).post(
        response.get_absolute_url(), {"positive_future": "4"}, follow=True
    )
    assert "This survey is closed." in page.content.decode()
    assert not response.answers.exists()


def test_instrument_page_lists_where_it_was_sent(world, client_for, django_assert_max_num_queries):
    for user in (world.mentee_b, world.mentee_over_18, world.mentee_under_16):
        services.survey_issue(instrument_slug=MENTEE_PRE, user=user)
    client = client_for(world.staff)
    instrument_id = SurveyResponse.objects.first().instance.version.instrument_id
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluation:instrument_detail", args=[instrument_id]))
    assert [(i.sent, i.completed) for i in page.context["instances"]] == [(3, 0)]


def test_my_surveys_has_bounded_queries(world, client_for, django_assert_max_num_queries):
    for slug in ("mentee-pre", "mentee-post", "exit-survey", "relationship-pulse"):
        services.survey_issue(instrument_slug=slug, user=world.mentee_b)
    client = client_for(world.mentee_b)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("evaluation:my_surveys")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("home")).status_code == 200
