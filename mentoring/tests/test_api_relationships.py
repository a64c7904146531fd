import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Goal, MentoringSession, Relationship, SessionLog
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory

pytestmark = pytest.mark.django_db


def _post(client, user, name, pk, data):
    client.force_login(user)
    return client.post(reverse(name, args=[pk]), data, content_type="application/json")


def test_coordinator_pauses_through_the_api_and_an_illegal_move_is_a_400(world, client):
    relationship = world.relationship_under_16
    response = _post(
        client,
        world.coordinator_a,
        "api:relationship-transition",
        relationship.pk,
        {"to_status": "paused", "reason": "Exams"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "paused"
    response = _post(
        client,
        world.coordinator_a,
        "api:relationship-transition",
        relationship.pk,
        {"to_status": "introduced"},
    )
    assert response.status_code == 400
    assert "cannot be moved" in response.json()["status"][0]
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.PAUSED


def test_schedule_and_log_through_the_api(world, client):
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    response = _post(
        client,
        world.coordinator_a,
        "api:relationship-schedule",
        world.relationship_under_16.pk,
        {"first_starts_at": start.isoformat(), "count": 12, "is_online": True},
    )
    assert response.status_code == 201
    assert len(response.json()["sessions"]) == 12
    past = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    goal = GoalFactory(relationship=world.relationship_under_16)
    response = _post(
        client,
        world.mentor,
        "api:session-log",
        past.pk,
        {
            "held": True,
            "duration_minutes": 60,
            "format": "online",
            "topics": ["employability"],
            "next_time_notes": "Mock interview",
            "goal_updates": [{"goal": goal.pk, "status": "in_progress", "note": "CV drafted"}],
        },
    )
    assert response.status_code == 201, response.json()
    assert SessionLog.objects.get(session=past).next_time_notes == "Mock interview"
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS
    past.refresh_from_db()
    assert past.status == MentoringSession.Status.HELD


def test_mentee_proposes_a_goal_through_the_api(world, client):
    client.force_login(world.mentee_under_16)
    response = client.post(
        reverse("api:goal-list"),
        {"relationship": world.relationship_under_16.pk, "title": "Visit two universities"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "proposed"


def test_a_goal_for_someone_elses_relationship_is_refused(world, client):
    client.force_login(world.mentor)
    response = client.post(
        reverse("api:goal-list"),
        {"relationship": world.relationship_b.pk, "title": "Not mine"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_mentee_does_not_see_the_mentors_session_logs(world, client):
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    SessionLog.objects.create(
        session=session, author=world.mentor, held=True, duration_minutes=60, format="online"
    )
    client.force_login(world.mentee_under_16)
    assert client.get(reverse("api:sessionlog-list")).json()["count"] == 0
    client.force_login(world.mentor)
    assert client.get(reverse("api:sessionlog-list")).json()["count"] == 1
