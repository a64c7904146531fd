from django.utils import timezone
from rest_framework.test import APIClient

from safeguarding import services
from safeguarding.models import Concern, Message


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_mentor_sends_through_the_api_and_contact_details_are_held(world):
    response = _client(world.mentor).post(
        "/api/messages/",
        {"relationship": world.relationship_under_16.pk, "body": "Add me on snapchat"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "held"
    listed = _client(world.mentee_under_16).get("/api/messages/").json()
    assert listed["count"] == 0


def test_mentor_cannot_write_into_someone_elses_relationship(world):
    response = _client(world.mentor).post(
        "/api/messages/", {"relationship": world.relationship_b.pk, "body": "Hello"}, format="json"
    )
    assert response.status_code == 400
    assert "relationship" in response.json()
    assert not Message.objects.exists()


def test_coordinator_sees_the_thread_but_cannot_send(world):
    services.message_send(relationship=world.relationship_under_16, sender=world.mentor, body="Hello")
    client = _client(world.coordinator_a)
    assert client.get("/api/messages/").json()["count"] == 1
    response = client.post(
        "/api/messages/", {"relationship": world.relationship_under_16.pk, "body": "Hi"}, format="json"
    )
    assert response.status_code == 403


def test_concern_raised_through_the_api_returns_only_its_status(world):
    response = _client(world.mentor).post(
        "/api/concerns/",
        {
            "kind": "child",
            "young_person": world.mentee_under_16.pk,
            "happened_at": timezone.now().isoformat(),
            "who_is_at_risk": "Yasmin",
            "facts": "Said she is scared of someone at home.",
        },
        format="json",
    )
    assert response.status_code == 201
    assert set(response.json()) == {"id", "reference", "created_at", "status"}
    assert Concern.objects.get().assigned_to == world.dsl_a
    listed = _client(world.mentor).get("/api/concerns/").json()
    assert "facts" not in listed["results"][0]


def test_reporters_list_holds_only_their_own_concerns(world):
    services.concern_raise(
        reporter=world.coordinator_a,
        kind="child",
        young_person=world.mentee_under_16,
        happened_at=timezone.now(),
        who_is_at_risk="Yasmin",
        facts="Seen with bruises.",
    )
    assert _client(world.mentor).get("/api/concerns/").json()["count"] == 0
    assert _client(world.dsl_a).get("/api/concerns/").json()["count"] == 0
