from django.urls import reverse

from .. import services
from ..content import MENTEE_PRE
from .factories import complete_answers, mentee_in, pair


def test_responses_list_only_my_own(world, client_for):
    services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    mine = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)
    data = client_for(world.mentee_over_18).get(reverse("api:survey-response-list")).json()
    assert [row["id"] for row in data["results"]] == [mine.pk]


def test_answers_are_submitted_through_the_api_and_bad_values_are_400(world, client_for):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)
    client = client_for(world.mentee_over_18)
    url = reverse("api:survey-response-answers", args=[response.pk])
    bad = client.post(url, {"answers": {"positive_future": 9}}, content_type="application/json")
    assert bad.status_code == 400 and "positive_future" in bad.json()
    good = client.post(
        url, {"answers": complete_answers(response), "submit": True}, content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["status"] == "submitted"
    again = client.post(
        url, {"answers": complete_answers(response), "submit": True}, content_type="application/json"
    )
    # A submitted response is still visible to its owner but can no longer change.
    assert again.status_code == 403


def test_instruments_are_listed_with_their_questions(world, client_for):
    data = client_for(world.mentor).get(reverse("api:survey-instrument-list")).json()
    pre = next(row for row in data["results"] if row["slug"] == MENTEE_PRE)
    assert pre["questions"][0]["code"] == "experience_training"


def test_aggregates_follow_the_role(world, client_for):
    for _ in range(5):
        pair(mentee_in(world.cohort_a), {"positive_future": 2}, {"positive_future": 5})
    staff = client_for(world.staff).get(reverse("api:impact-aggregates")).json()
    row = next(r for r in staff["paired"]["rows"] if r[0] == "I feel positive about my future.")
    assert row[1] == 5 and row[7] == 1.0  # people, share agreeing after (0 to 1)
    coordinator_b = client_for(world.coordinator_b).get(reverse("api:impact-aggregates")).json()
    assert coordinator_b["paired"]["rows"] == []
    assert client_for(world.mentor).get(reverse("api:impact-aggregates")).status_code == 403


def test_aggregates_filter_by_period_and_refuse_bad_dates(world, client_for):
    for _ in range(5):
        pair(mentee_in(world.cohort_a), {"positive_future": 2}, {"positive_future": 5})
    client = client_for(world.staff)
    later = client.get(reverse("api:impact-aggregates"), {"start": "2099-01-01"}).json()
    assert later["paired"]["rows"] == []
    assert client.get(reverse("api:impact-aggregates"), {"end": "2026-13-45"}).status_code == 400
