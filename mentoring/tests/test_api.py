import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from core.models import AuditEvent
from mentoring.models import Cohort, Programme

from .factories import ProgrammeFactory


@pytest.fixture
def api():
    return APIClient()


def test_token_authentication_works_alongside_sessions(world, api):
    Authenticator.objects.create(user=world.coordinator_a, type=Authenticator.Type.TOTP, data={"secret": "x"})
    _token, key = api_token_issue(user=world.coordinator_a, name="Spreadsheet")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(reverse("api:me"))
    assert response.status_code == 200
    assert response.json()["roles"] == ["coordinator"]


def test_unauthenticated_callers_get_nothing(world, api):
    assert api.get(reverse("api:mentee-list")).status_code == 403


def test_lists_are_paginated_and_filterable(world, api):
    for number in range(30):
        ProgrammeFactory(name=f"Programme {number:02}", is_active=number % 2 == 0)
    api.force_authenticate(world.staff)
    page = api.get(reverse("api:programme-list")).json()
    assert page["count"] == 31
    assert len(page["results"]) == 25
    assert page["next"]
    active = api.get(reverse("api:programme-list"), {"is_active": "false"}).json()
    assert active["count"] == 15
    searched = api.get(reverse("api:programme-list"), {"search": "Programme 07"}).json()
    assert [row["name"] for row in searched["results"]] == ["Programme 07"]


def test_mentor_lists_only_their_mentees(world, api):
    api.force_authenticate(world.mentor)
    names = {row["first_name"] for row in api.get(reverse("api:mentee-list")).json()["results"]}
    assert names == {"Yasmin", "Aaron"}


def test_coordinator_lists_only_their_partners_mentees(world, api):
    api.force_authenticate(world.coordinator_b)
    names = {row["first_name"] for row in api.get(reverse("api:mentee-list")).json()["results"]}
    assert names == {"Bea"}


def test_mentee_list_filters_by_age_band(world, api):
    api.force_authenticate(world.staff)
    response = api.get(reverse("api:mentee-list"), {"age_band": "adult"}).json()
    assert [row["first_name"] for row in response["results"]] == ["Aaron"]


def test_invalid_programme_gets_field_level_messages_and_nothing_is_saved(world, api):
    api.force_authenticate(world.staff)
    too_short = api.post(
        reverse("api:programme-list"), {"name": "Careers Plus", "session_minutes": 5}, format="json"
    )
    assert too_short.status_code == 400
    assert "greater than or equal to 15" in too_short.json()["session_minutes"][0]
    ages = api.post(
        reverse("api:programme-list"),
        {"name": "Careers Plus", "mentee_min_age": 20, "mentee_max_age": 16},
        format="json",
    )
    assert ages.status_code == 400
    assert "must not be below" in ages.json()["mentee_max_age"][0]
    assert not Programme.objects.filter(name="Careers Plus").exists()


def test_creating_a_programme_through_the_api_is_audited(world, api):
    api.force_authenticate(world.staff)
    response = api.post(reverse("api:programme-list"), {"name": "Careers Plus"}, format="json")
    assert response.status_code == 201, response.json()
    programme = Programme.objects.get(name="Careers Plus")
    assert programme.slug == "careers-plus"
    event = AuditEvent.objects.get(action="programme.create")
    assert event.actor == world.staff
    assert event.target_id == str(programme.pk)


def test_coordinator_cannot_create_a_cohort_at_another_partner(world, api):
    api.force_authenticate(world.coordinator_a)
    response = api.post(
        reverse("api:cohort-list"),
        {"programme": world.programme.pk, "youth_partner": world.partner_b.pk, "start_date": "2027-01-04"},
        format="json",
    )
    assert response.status_code == 400
    assert "youth_partner" in response.json()
    assert not Cohort.objects.filter(start_date="2027-01-04").exists()


def test_coordinator_creates_a_cohort_at_their_own_partner(world, api):
    api.force_authenticate(world.coordinator_a)
    response = api.post(
        reverse("api:cohort-list"),
        {"programme": world.programme.pk, "youth_partner": world.partner_a.pk, "start_date": "2027-01-04"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_duplicate_cohort_is_refused_with_a_message(world, api):
    api.force_authenticate(world.staff)
    payload = {
        "programme": world.programme.pk,
        "youth_partner": world.partner_a.pk,
        "start_date": world.cohort_a.start_date.isoformat(),
    }
    response = api.post(reverse("api:cohort-list"), payload, format="json")
    assert response.status_code == 400
    assert Cohort.objects.filter(youth_partner=world.partner_a).count() == 1


def test_schema_documents_the_endpoints(world, client):
    client.force_login(world.mentor)
    response = client.get(reverse("api:api-schema"))
    assert response.status_code == 200
    body = response.content.decode()
    for path in ("/api/programmes/", "/api/mentees/", "/api/relationships/", "/api/me/"):
        assert path in body


def test_interactive_docs_are_served_without_a_cdn(world, client):
    client.force_login(world.mentor)
    body = client.get(reverse("api:api-docs")).content.decode()
    assert "swagger" in body.lower()
    assert "cdn.jsdelivr" not in body and "unpkg.com" not in body


@pytest.mark.parametrize("route", ["api:mentee-detail", "api:mentor-detail", "api:relationship-detail"])
def test_an_id_too_large_for_the_database_is_not_found(world, api, route):
    """An id no row can have (beyond the database's 64-bit integers) answers 404, as any unknown id."""
    api.force_authenticate(world.staff)
    for pk in (2**63, 1037417716906226806123884481347584):
        response = api.get(reverse(route, kwargs={"pk": 1}).replace("/1/", f"/{pk}/"))
        assert response.status_code == 404, (pk, response.status_code)
