"""Bad input gets a clear answer (400 or 404), never a server error, and the API's schema and docs
are for signed-in people only."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safeguarding.models import Concern


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_concern_sent_without_its_kind_is_recorded_as_about_a_child(world):
    response = _api(world.mentor).post(
        "/api/concerns/",
        {
            "young_person": world.mentee_under_16.pk,
            "happened_at": timezone.now().isoformat(),
            "who_is_at_risk": "Yasmin",
            "facts": "Said she is scared of someone at home.",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Concern.objects.get().kind == Concern.Kind.CHILD


def test_a_concern_missing_its_facts_is_refused_with_a_message(world):
    response = _api(world.mentor).post("/api/concerns/", {"kind": "child"}, format="json")
    assert response.status_code == 400
    assert {"facts", "who_is_at_risk", "happened_at"} <= set(response.json())
    assert not Concern.objects.exists()


def test_registering_for_an_event_named_by_a_word_is_not_found(world):
    assert _api(world.mentor).post("/api/community-events/first/register/").status_code == 404


@pytest.mark.parametrize("code", ["a/b", "../../etc", "a/"])
def test_verifying_a_code_with_a_slash_says_no_certificate(db, client, code):
    response = client.get("/training/verify/", {"code": code})
    assert response.status_code == 404
    assert "a/b" not in response.headers.get("Location", "")


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "abc", "1.5", "١٢"])
def test_impact_figures_refuse_a_partner_number_that_cannot_name_a_row(world, value):
    response = _api(world.staff).get("/api/impact/aggregates/", {"youth_partner": value})
    assert response.status_code == 400
    assert "youth_partner" in response.json()


def test_an_unknown_api_address_answers_in_json(world):
    response = _api(world.mentor).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_schema_and_docs_need_sign_in(world, client):
    assert client.get("/api/schema/").status_code == 403
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    client.force_login(world.mentor)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_schema_lists_error_answers(world, client):
    client.force_login(world.mentor)
    schema = client.get("/api/schema/?format=json").json()
    detail = schema["paths"]["/api/mentees/{id}/"]["get"]["responses"]
    assert {"200", "403", "404"} <= set(detail)
    create = schema["paths"]["/api/concerns/"]["post"]["responses"]
    assert {"201", "400", "403"} <= set(create)
    assert "202" in schema["paths"]["/api/me/data-exports/"]["post"]["responses"]
    # Mentors are not shown a mentee's email, so the schema does not promise it.
    assert "email" not in schema["components"]["schemas"]["Mentee"].get("required", [])
