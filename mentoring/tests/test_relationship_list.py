"""The coordinator's list of their partner's relationships: columns, filters, search, CSV, scope."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from mentoring.models import Relationship
from mentoring.tests.factories import MentoringSessionFactory, SessionLogFactory

pytestmark = pytest.mark.django_db

LIST = reverse("mentoring:relationship_list")
EXPORT = reverse("mentoring:relationship_export")


def _rows(response) -> list[str]:
    """The mentee names in the list's rows, in order."""
    page = response.content.decode()
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', body)


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def drifting(world):
    """Yasmin's relationship started three months ago and its last held session was 40 days ago
    (logged); Aaron's has a session next week."""
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    log = SessionLogFactory(
        session__relationship=world.relationship_under_16,
        session__starts_at=timezone.now() - datetime.timedelta(days=40),
    )
    upcoming = MentoringSessionFactory(
        relationship=world.relationship_over_18, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    return log, upcoming


def test_a_coordinator_sees_their_partners_relationships_with_next_session_last_log_and_cadence(
    world, client_for, drifting
):
    log, upcoming = drifting
    response = client_for(world.coordinator_a).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert _rows(response) == [
        world.mentee_over_18.get_full_name(),
        world.mentee_under_16.get_full_name(),
    ]
    assert world.mentee_b.get_full_name() not in page
    assert "2 relationships" in page
    local_log = timezone.localtime(log.session.starts_at)
    assert local_log.strftime("%-d %b %Y") in page
    assert timezone.localtime(upcoming.starts_at).strftime("%-d %b %Y, %H:%M") in page
    assert "Missed its cadence" in page and "On track" in page
    # One partner: no partner column or filter.
    assert '<th scope="col">Youth partner</th>' not in page and 'name="youth_partner"' not in page


def test_the_list_filters_by_status_and_cadence_and_searches_by_name(world, client_for, drifting):
    client = client_for(world.coordinator_a)
    assert _rows(client.get(LIST, {"cadence": "missed"})) == [world.mentee_under_16.get_full_name()]
    assert _rows(client.get(LIST, {"cadence": "on_track"})) == [world.mentee_over_18.get_full_name()]
    Relationship.objects.filter(pk=world.relationship_over_18.pk).update(status="ended_early")
    assert _rows(client.get(LIST, {"status": "ended_early"})) == [world.mentee_over_18.get_full_name()]
    assert _rows(client.get(LIST, {"status": "open"})) == [world.mentee_under_16.get_full_name()]
    assert _rows(client.get(LIST, {"cadence": "not_active"})) == [world.mentee_over_18.get_full_name()]
    assert _rows(client.get(LIST, {"q": "yasmin"})) == [world.mentee_under_16.get_full_name()]
    # The mentor's name finds both of Mo's mentees; nobody's name finds none.
    assert len(_rows(client.get(LIST, {"q": "Mo"}))) == 2
    response = client.get(LIST, {"q": "Nobody-by-this-name"})
    assert _rows(response) == [] and "No relationships match." in response.content.decode()


def test_a_filter_the_list_does_not_offer_is_an_error_not_everything(world, client_for):
    response = client_for(world.coordinator_a).get(LIST, {"status": "lost"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_staff_see_every_partner_and_filter_by_partner(world, client_for):
    client = client_for(world.staff)
    response = client.get(LIST)
    assert len(_rows(response)) == 3
    assert '<th scope="col">Youth partner</th>' in response.content.decode()
    assert _rows(client.get(LIST, {"youth_partner": world.partner_b.pk})) == [world.mentee_b.get_full_name()]


def test_the_csv_has_the_filtered_rows_in_words_and_the_download_is_audited(world, client_for, drifting):
    client = client_for(world.coordinator_a)
    response = client.get(EXPORT, {"cadence": "missed"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows == [
        {
            "Mentee": world.mentee_under_16.get_full_name(),
            "Mentor": world.mentor.get_full_name(),
            "Youth partner": "Alder Park School",
            "Programme": "Future Paths Mentoring",
            "Status": "Active",
            "Next session": "",
            "Last log": timezone.localtime(drifting[0].session.starts_at).strftime("%d/%m/%Y %H:%M"),
            "Cadence": "Missed its cadence",
        }
    ]
    assert len(_csv(client.get(EXPORT))) == 2
    event = AuditEvent.objects.filter(action="mentoring.relationships_exported").latest("pk")
    assert event.actor == world.coordinator_a and event.summary == "2 relationships"


def test_the_list_page_links_its_download_with_the_same_filters(world, client_for):
    page = client_for(world.coordinator_a).get(LIST, {"cadence": "missed", "page": "1"}).content.decode()
    assert f'href="{EXPORT}?cadence=missed"' in page


def test_the_list_is_paginated(world, client_for):
    from accounts.tests.factories import MenteeProfileFactory
    from mentoring.tests.factories import RelationshipFactory

    for _ in range(26):
        mentee = MenteeProfileFactory(youth_partner=world.partner_b, cohort=world.cohort_b).user
        RelationshipFactory(cohort=world.cohort_b, mentee=mentee, mentor=world.other_mentor)
    client = client_for(world.coordinator_b)
    first = client.get(LIST)
    assert len(_rows(first)) == 25 and "Page 1 of 2" in first.content.decode()
    assert len(_rows(client.get(LIST, {"page": 2}))) == 2


def test_coordinators_find_the_list_in_their_navigation_and_mentors_do_not(world, client_for):
    assert f'href="{LIST}"' in client_for(world.coordinator_a).get(reverse("home")).content.decode()
    assert client_for(world.mentor).get(LIST).status_code == 403


API = reverse("api:relationship-list")


def test_the_api_lists_the_same_relationships_with_the_same_filters_and_flags(world, client_for, drifting):
    client = client_for(world.coordinator_a)
    rows = client.get(API, {"cadence": "missed"}).json()["results"]
    assert [row["id"] for row in rows] == [world.relationship_under_16.pk]
    row = rows[0]
    assert row["cadence"] == "missed" and row["cadence_label"] == "Missed its cadence"
    assert row["status_label"] == "Active" and row["youth_partner_name"] == "Alder Park School"
    assert row["next_session_at"] is None and row["last_log_at"] is not None
    assert [r["id"] for r in client.get(API, {"q": world.mentee_over_18.last_name}).json()["results"]] == [
        world.relationship_over_18.pk
    ]
    staff = client_for(world.staff)
    partner_b = staff.get(API, {"youth_partner": world.partner_b.pk}).json()["results"]
    assert [r["id"] for r in partner_b] == [world.relationship_b.pk]
    assert staff.get(API, {"cadence": "sometimes"}).status_code == 400


def test_a_mentor_cannot_find_a_mentees_surname_by_searching(world, client_for):
    client = client_for(world.mentor)
    assert len(client.get(API).json()["results"]) == 2
    assert client.get(API, {"q": world.mentee_under_16.last_name}).json()["results"] == []
    assert len(client.get(API, {"q": "Yasmin"}).json()["results"]) == 1
