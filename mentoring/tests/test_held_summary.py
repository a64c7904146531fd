"""Each relationship's held-session summary (held_sessions, first_held_at, last_held_at, and
held_logs, held_minutes from its session logs) follows its sessions and logs however they are
written, and a relationship saved from a stale copy never puts old counts back."""

import datetime

import pytest
from django.utils import timezone

from mentoring.journal import session_log_save
from mentoring.models import MentoringSession, Relationship, SessionLog
from mentoring.tests.factories import MentoringSessionFactory, RelationshipFactory, SessionLogFactory

pytestmark = pytest.mark.django_db


def _summary(relationship):
    return Relationship.objects.values_list("held_sessions", "first_held_at", "last_held_at").get(
        pk=relationship.pk
    )


def test_logging_a_session_as_held_counts_it_and_missing_it_does_not():
    relationship = RelationshipFactory(status=Relationship.Status.ACTIVE)
    now = timezone.now()
    first = MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=40))
    second = MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=10))
    assert _summary(relationship) == (0, None, None)

    session_log_save(
        actor=relationship.mentor, session=first, held=True, duration_minutes=60, format="online"
    )
    assert _summary(relationship) == (1, first.starts_at, first.starts_at)

    session_log_save(actor=relationship.mentor, session=second, held=False, missed_by="mentee")
    assert _summary(relationship) == (1, first.starts_at, first.starts_at)

    session_log_save(
        actor=relationship.mentor, session=second, held=True, duration_minutes=60, format="online"
    )
    assert _summary(relationship) == (2, first.starts_at, second.starts_at)


def test_sessions_saved_moved_and_deleted_outside_services_keep_the_summary_true():
    relationship, other = RelationshipFactory(), RelationshipFactory()
    now = timezone.now()
    held = MentoringSessionFactory(
        relationship=relationship, status="held", starts_at=now - datetime.timedelta(days=3)
    )
    assert _summary(relationship) == (1, held.starts_at, held.starts_at)

    held.starts_at = now - datetime.timedelta(days=5)
    held.save()
    assert _summary(relationship) == (1, held.starts_at, held.starts_at)

    moved = MentoringSession.objects.get(pk=held.pk)
    moved.relationship = other
    moved.save()
    assert _summary(relationship) == (0, None, None)
    assert _summary(other) == (1, moved.starts_at, moved.starts_at)

    moved.delete()
    assert _summary(other) == (0, None, None)


def test_a_relationship_saved_from_a_stale_copy_keeps_the_counts():
    relationship = RelationshipFactory(status=Relationship.Status.ACTIVE)
    stale = Relationship.objects.get(pk=relationship.pk)
    session = MentoringSessionFactory(relationship=relationship, status="held")
    stale.messaging_enabled = False
    stale.save()
    assert _summary(relationship) == (1, session.starts_at, session.starts_at)
    assert Relationship.objects.get(pk=relationship.pk).messaging_enabled is False


def test_refresh_recounts_after_writes_that_bypass_signals():
    relationship = RelationshipFactory()
    starts = timezone.now() - datetime.timedelta(days=2)
    MentoringSession.objects.bulk_create(
        [MentoringSession(relationship=relationship, number=1, starts_at=starts, status="held")]
    )
    assert _summary(relationship) == (0, None, None)
    Relationship.objects.filter(pk=relationship.pk).refresh_held_sessions()
    assert _summary(relationship) == (1, starts, starts)


def _log_summary(relationship):
    return Relationship.objects.values_list("held_logs", "held_minutes").get(pk=relationship.pk)


def _log_recount(relationship):
    held = SessionLog.objects.filter(session__relationship=relationship, held=True)
    return (held.count(), sum(log.duration_minutes or 0 for log in held))


def test_the_held_log_summary_follows_logs_added_edited_moved_and_deleted():
    relationship, other = RelationshipFactory(), RelationshipFactory()
    now = timezone.now()
    first = MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=40))
    second = MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=10))
    assert _log_summary(relationship) == (0, 0)

    # Through the service: logged as held, edited, logged as missed, held again.
    mentor = relationship.mentor
    session_log_save(actor=mentor, session=first, held=True, duration_minutes=60, format="online")
    assert _log_summary(relationship) == (1, 60)
    session_log_save(actor=mentor, session=first, held=True, duration_minutes=45, format="online")
    session_log_save(actor=mentor, session=second, held=True, duration_minutes=90, format="online")
    assert _log_summary(relationship) == (2, 135) == _log_recount(relationship)
    session_log_save(actor=mentor, session=second, held=False, missed_by="mentee")
    assert _log_summary(relationship) == (1, 45) == _log_recount(relationship)

    # Outside the services: a log written directly, edited, moved to another pair's session, deleted.
    log = SessionLogFactory(session__relationship=relationship, duration_minutes=30)
    assert _log_summary(relationship) == (2, 75)
    log.duration_minutes = 50
    log.save()
    assert _log_summary(relationship) == (2, 95)
    log.save(update_fields=["summary"])  # nothing the summary counts
    assert _log_summary(relationship) == (2, 95)
    moved = SessionLog.objects.get(pk=log.pk)
    moved.session = MentoringSessionFactory(
        relationship=other, status="held", starts_at=now - datetime.timedelta(days=3)
    )
    moved.save()
    assert _log_summary(relationship) == (1, 45) == _log_recount(relationship)
    assert _log_summary(other) == (1, 50) == _log_recount(other)
    moved.delete()
    assert _log_summary(other) == (0, 0)

    # A session moved to another pair takes its log along; deleting the session deletes its log.
    first.refresh_from_db()
    first.relationship = other
    first.save()
    assert _log_summary(relationship) == (0, 0)
    assert _log_summary(other) == (1, 45)
    first.delete()
    assert _log_summary(other) == (0, 0) == _log_recount(other)


def test_the_held_log_summary_is_recounted_after_bulk_writes():
    relationship = RelationshipFactory()
    session = MentoringSessionFactory(
        relationship=relationship, status="held", starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    SessionLog.objects.bulk_create(
        [SessionLog(session=session, author=relationship.mentor, held=True, duration_minutes=70)]
    )
    assert _log_summary(relationship) == (0, 0)
    Relationship.objects.filter(pk=relationship.pk).refresh_held_sessions()
    assert _log_summary(relationship) == (1, 70)
