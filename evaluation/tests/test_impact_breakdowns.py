"""The impact figures over a mixed population, built once for the module (each test's changes are
rolled back): six young people at partner A and five at B, and seven mentors, all with before-and-after
statements."""

import io

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from .. import dashboard, selectors
from ..content import load_instruments
from .factories import mentee_in, mentor_pair, pair


@pytest.fixture(scope="module")
def shared_mixed(shared_world, django_db_blocker):
    assert shared_world is not None, "the answers are built once per module, inside its transaction"
    with django_db_blocker.unblock():
        load_instruments(apps)
        for cohort, count in ((shared_world.cohort_a, 6), (shared_world.cohort_b, 5)):
            for _ in range(count):
                pair(
                    mentee_in(cohort),
                    {"experience_training": 2, "positive_future": 2},
                    {"experience_training": 5, "positive_future": 4},
                )
        for _ in range(7):
            mentor_pair({"mentor_support_goals": 3}, {"mentor_support_goals": 5})


@pytest.fixture
def mixed(shared_mixed, world):
    return world


def test_the_breakdown_defaults_to_the_young_peoples_headline_statement(mixed):
    data = dashboard.build(selectors.AggregateFilter())
    assert data["item"].key == "experience_training"
    assert data["item"].population == "mentee"
    rows = {row["label"]: row["n"] for row in data["breakdown"]["rows"]}
    # Only young people: the seven mentors are in no partner's row and in no total.
    assert rows == {"Alder Park School": 6, "Birchwood College": 5}
    assert data["breakdown"]["total"] == 11


def test_the_person_chooses_the_statement_on_the_page_and_in_the_exports(mixed, client_for):
    client = client_for(mixed.staff)
    query = {"item": "positive_future", "breakdown": "region"}
    page = client.get(reverse("evaluation:dashboard"), query)
    html = page.content.decode()
    assert 'name="item"' in html and "Empowerment: I know how to go about getting" in html
    # The breakdown is the page's deferred section: it loads the same filter once the page is shown.
    breakdown_url = reverse("evaluation:dashboard_breakdown") + "?item=positive_future&amp;breakdown=region"
    assert f'hx-get="{breakdown_url}"' in html
    fragment = client.get(reverse("evaluation:dashboard_breakdown"), query, headers={"HX-Request": "true"})
    assert "By region, young people: I feel positive about my future." in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    # Followed as a link (no JavaScript), it is a page of its own in the site's layout.
    standalone = client.get(reverse("evaluation:dashboard_breakdown"), query).content.decode()
    assert "<html" in standalone and "By region, young people: I feel positive about my future." in standalone
    export = client.get(
        reverse("evaluation:dashboard_export", args=["breakdown", "csv"]),
        {"item": "positive_future", "breakdown": "youth_partner"},
    ).content.decode()
    assert "Alder Park School,6,0,0.0,6,1.0,1.0" in export


@pytest.mark.slow_ok(reason="reads every grouping of the shared cohort through the API, one request each")
def test_empowerment_by_partner_region_and_age_is_in_the_api(mixed, client_for):
    client = client_for(mixed.funder)
    for dimension in ("youth_partner", "region", "age_band"):
        data = client.get(
            reverse("api:impact-aggregates"), {"item": "experience_training", "breakdown": dimension}
        ).json()
        assert "I know how to go about getting the experience" in data["breakdown"]["title"]
        total = data["breakdown"]["rows"][-1]
        assert total[0] == "Total" and total[1] == 11
    assert client.get(reverse("api:impact-aggregates"), {"item": "no_such"}).status_code == 400
    assert client.get(reverse("api:impact-aggregates"), {"breakdown": "shoe_size"}).status_code == 400


def test_mentor_statements_have_their_own_section_and_breakdowns(mixed):
    data = dashboard.build(selectors.AggregateFilter(), item="mentor_support_goals", breakdown="region")
    assert {item.code for item in data["items"]} == {
        "experience_training",
        "positive_future",
        "advice_contact",
        "talk_to_adults",
        "routes_into_work",
        "cv_interview",
        "working_life",
        "set_goals",
        "try_again",
        "cope_pressure",
    }
    assert {item.code for item in data["mentor_items"]} >= {"mentor_support_goals"}
    # Mentors' regions come from their own profiles: nobody is "Not given".
    assert [(row["label"], row["n"]) for row in data["breakdown"]["rows"]] == [("Greater Manchester", 7)]
    tables = {table.key: table for table in dashboard.tables(data)}
    mentee_statements = [row[0] for row in tables["paired"].rows]
    assert not any("young person" in text.lower() and "I feel able" in text for text in mentee_statements)
    assert any(
        row[0].startswith("I feel able to help a young person") for row in tables["mentor_paired"].rows
    )
    age = dashboard.build(selectors.AggregateFilter(), item="mentor_support_goals", breakdown="age_band")
    assert age["breakdown"]["rows"] == [] and "not recorded for mentors" in age["breakdown"]["unavailable"]


def test_exports_hold_numbers_with_number_formats_and_the_agreeing_counts(mixed, client_for):
    client = client_for(mixed.staff)
    response = client.get(reverse("evaluation:dashboard_export", args=["paired", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "I feel positive about my future.")
    cell = dict(zip(headers, row, strict=False))
    assert cell["People (pairs)"].value == 11
    assert cell["Agreeing before (people)"].value == 0 and cell["Agreeing after (people)"].value == 11
    assert cell["Agreed after"].value == 1.0 and cell["Agreed after"].number_format == "0.0%"
    assert (
        isinstance(cell["95% CI after, low"].value, float)
        and cell["95% CI after, low"].number_format == "0.0%"
    )
    assert cell["Change (after minus before)"].value == 1.0
    assert isinstance(cell["95% CI change, low"].value, float)
    assert isinstance(cell["McNemar mid-p"].value, float)
    api = client.get(reverse("api:impact-aggregates")).json()["paired"]
    api_row = next(r for r in api["rows"] if r[0] == "I feel positive about my future.")
    assert api_row[1:4] == [11, 0, 0.0] and api_row[6:8] == [11, 1.0]
    assert [column["kind"] for column in api["columns"]][:4] == ["text", "count", "count", "share"]


def test_the_pdf_report_shows_the_breakdown_chosen_on_the_dashboard(mixed, client_for):
    from ..models import ImpactReport
    from ..reports import impact_report_html

    client = client_for(mixed.staff)
    page = client.get(reverse("evaluation:dashboard"), {"item": "positive_future", "breakdown": "region"})
    # The request form starts from what the page shows.
    report_form = page.context["report_form"]
    assert report_form["breakdown"].initial == "region" and report_form["item"].initial == "positive_future"
    client.post(
        reverse("evaluation:report_create"),
        {
            "period_start": "2020-01-01",
            "period_end": "2099-12-31",
            "breakdown": "region",
            "item": "positive_future",
        },
    )
    report = ImpactReport.objects.get()
    assert (report.breakdown, report.item) == ("region", "positive_future")
    html = impact_report_html(report=report)
    assert "By region, young people: I feel positive about my future." in html
    refused = client.post(
        reverse("evaluation:report_create"),
        {"period_start": "2020-01-01", "period_end": "2099-12-31", "breakdown": "shoe_size"},
    )
    assert refused.status_code == 302 and ImpactReport.objects.count() == 1


def test_the_anonymised_respondent_file_is_for_staff_only_and_audited(mixed, client_for):
    import csv

    from accounts.models import MenteeProfile
    from core.models import AuditEvent

    from ..models import SurveyResponse

    answered = SurveyResponse.objects.filter(instance__version__instrument__purpose="mentee_post")
    lone = MenteeProfile.objects.get(user=answered.first().respondent)
    MenteeProfile.objects.filter(pk=lone.pk).update(region="cardiff")
    assert client_for(mixed.funder).get(reverse("evaluation:respondents_export")).status_code == 403
    response = client_for(mixed.staff).get(reverse("evaluation:respondents_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    headers, rows = rows[0], rows[1:]
    assert len(rows) == 11 and headers[:2] == ["Respondent", "Programme"]
    assert sorted(int(row[0]) for row in rows) == list(range(1, 12))
    before, after = (
        headers.index("experience_training before (1-5)"),
        headers.index("experience_training after (1-5)"),
    )
    assert {(row[before], row[after]) for row in rows} == {("2", "5")}
    # The one young person in Cardiff cannot be picked out; partners of five or more are shown.
    regions = [row[headers.index("Region")] for row in rows]
    assert regions.count(selectors.HIDDEN) == 1 and "Cardiff and South Wales" not in regions
    assert {row[2] for row in rows} == {"Alder Park School", "Birchwood College"}
    text = response.content.decode()
    assert lone.user.email not in text and lone.user.last_name not in text
    event = AuditEvent.objects.get(action="evaluation.respondents_export")
    assert event.actor == mixed.staff and "11 paired young people" in event.summary
