"""A mentor records a session that took place without being scheduled, and it counts like any other."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditEvent
from mentoring import journal
from mentoring.models import MentoringSession, Relationship
from mentoring.tests.factories import MentoringSessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _days_ago(days: int, hour: int = 16) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def matched_two_months_ago(world):
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60), status="introduced"
    )
    world.relationship_under_16.refresh_from_db()
    return world.relationship_under_16


def test_mentor_records_a_past_session_then_logs_it_and_the_pair_become_active(
    world, client_for, matched_two_months_ago
):
    relationship = matched_two_months_ago
    later = MentoringSessionFactory(relationship=relationship, number=1, starts_at=_days_ago(-7))
    venue = VenueFactory(youth_partner=world.partner_a)
    client = client_for(world.mentor)
    page = client.get(reverse("mentoring:relationship_detail", args=[relationship.pk]))
    assert b"Record a session that was not scheduled" in page.content
    when = timezone.localtime(_days_ago(3))
    response = client.post(
        reverse("mentoring:session_record", args=[relationship.pk]),
        {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45, "venue": venue.pk},
    )
    session = MentoringSession.objects.get(relationship=relationship, starts_at=when)
    assert response["Location"] == reverse("mentoring:session_log", args=[session.pk])
    # Numbers follow the dates: the recorded one comes before next week's.
    assert session.number == 1
    later.refresh_from_db()
    assert later.number == 2 and later.sequence == 1
    assert AuditEvent.objects.filter(action="session.record", actor=world.mentor).exists()
    journal.session_log_save(
        actor=world.mentor, session=session, held=True, duration_minutes=45, format="in_person"
    )
    relationship.refresh_from_db()
    session.refresh_from_db()
    assert session.status == "held"
    assert relationship.status == "active"


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda: timezone.now() + datetime.timedelta(hours=2), "has not come yet"),
        (lambda: _days_ago(journal.RECORD_LIMIT_DAYS + 1), "can be recorded from"),
    ],
)
def test_a_future_time_or_one_beyond_the_limit_is_refused(world, matched_two_months_ago, when, message):
    with pytest.raises(ApplicationError, match=message):
        journal.session_record_past(
            actor=world.mentor,
            relationship=matched_two_months_ago,
            starts_at=when(),
            duration_minutes=60,
            is_online=True,
        )
    assert not MentoringSession.objects.exists()


def test_a_session_before_the_pair_were_matched_is_refused(world):
    with pytest.raises(ApplicationError, match="can be recorded from"):
        journal.session_record_past(
            actor=world.mentor,
            relationship=world.relationship_under_16,
            starts_at=_days_ago(2),
            duration_minutes=60,
            is_online=True,
        )


def test_the_relationship_rules_still_hold(world, matched_two_months_ago):
    relationship = matched_two_months_ago
    MentoringSessionFactory(relationship=relationship, number=1, starts_at=_days_ago(5, hour=10))
    with pytest.raises(ApplicationError, match="log that session instead"):
        journal.session_record_past(
            actor=world.mentor,
            relationship=relationship,
            starts_at=_days_ago(5),
            duration_minutes=60,
            is_online=True,
        )
    with pytest.raises(ApplicationError, match="Only the pair's mentor or their coordinator"):
        journal.session_record_past(
            actor=world.coordinator_b,
            relationship=relationship,
            starts_at=_days_ago(4),
            duration_minutes=60,
            is_online=True,
        )
    with pytest.raises(ApplicationError, match="venues"):
        journal.session_record_past(
            actor=world.mentor,
            relationship=relationship,
            starts_at=_days_ago(4),
            duration_minutes=60,
            venue=VenueFactory(youth_partner=world.partner_b),
        )
    Relationship.objects.filter(pk=relationship.pk).update(status="ended_early")
    with pytest.raises(ApplicationError, match="no longer be recorded"):
        journal.session_record_past(
            actor=world.mentor,
            relationship=relationship,
            starts_at=_days_ago(4),
            duration_minutes=60,
            is_online=True,
        )
    assert MentoringSession.objects.count() == 1


def test_a_refused_record_says_why_on_the_form(world, client_for, matched_two_months_ago):
    client = client_for(world.mentor)
    future = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    response = client.post(
        reverse("mentoring:session_record", args=[matched_two_months_ago.pk]),
        {"starts_at": future.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60, "is_online": "on"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    # In the summary at the top of the form (linked to the field), and beside the field itself.
    summary = content.split('class="alert alert-danger error-summary"', 1)[1].split("</div>", 1)[0]
    assert "There is a problem" in summary
    assert "has not come yet" in summary
    assert content.count("has not come yet") == 2
    assert not MentoringSession.objects.exists()
