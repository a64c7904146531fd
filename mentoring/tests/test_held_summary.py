"""Each relationship's held-session summary (held_sessions, first_held_at, last_held_at, and
held_logs, held_minutes from its session logs) follows its sessions and logs however they are
written, and a relationship saved from a stale copy never puts old counts back."""

import datetime

import pytest
from django.utils import timezone

from mentoring.journal import session_log_save
from mentoring.models import MentoringSession, Relationship, RelationshipMonth, SessionLog
from mentoring.receivers import deletions_refreshed_at_end
from mentoring.tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)

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


def _months(*relationships):
    """The maintained months, and the same counted straight from the logs (the site's time zone)."""
    kept = sorted(
        RelationshipMonth.objects.filter(relationship__in=relationships).values_list(
            "relationship_id", "month", "held_logs", "held_minutes"
        )
    )
    direct = {}
    for log in SessionLog.objects.filter(held=True, session__relationship__in=relationships).select_related(
        "session"
    ):
        month = timezone.localtime(log.session.starts_at).date().replace(day=1)
        logs, minutes = direct.get((log.session.relationship_id, month), (0, 0))
        direct[(log.session.relationship_id, month)] = (logs + 1, minutes + (log.duration_minutes or 0))
    assert kept == sorted((*key, *value) for key, value in direct.items())
    return kept


def test_the_months_of_held_logs_follow_every_write_and_equal_a_count_of_the_logs():
    relationship, other = RelationshipFactory(), RelationshipFactory()
    now = timezone.localtime()
    this_month = now.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    first = MentoringSessionFactory(relationship=relationship, starts_at=last_month)
    second = MentoringSessionFactory(relationship=relationship, starts_at=this_month)
    assert _months(relationship) == []

    mentor = relationship.mentor
    session_log_save(actor=mentor, session=first, held=True, duration_minutes=60, format="online")
    session_log_save(actor=mentor, session=second, held=True, duration_minutes=30, format="online")
    assert _months(relationship) == [
        (relationship.pk, last_month.date(), 1, 60),
        (relationship.pk, this_month.date(), 1, 30),
    ]
    session_log_save(actor=mentor, session=second, held=False, missed_by="mentee")
    assert _months(relationship) == [(relationship.pk, last_month.date(), 1, 60)]

    # A session rescheduled into another month takes its held log along, whatever its status says.
    first.refresh_from_db()
    first.status = MentoringSession.Status.SCHEDULED
    first.save()
    rescheduled = MentoringSession.objects.get(pk=first.pk)
    rescheduled.starts_at = this_month + datetime.timedelta(hours=1)
    rescheduled.save()
    assert _months(relationship) == [(relationship.pk, this_month.date(), 1, 60)]

    # A log edited, moved to another pair's session, deleted; a session moved and deleted.
    log = SessionLogFactory(
        session__relationship=relationship, session__starts_at=last_month, duration_minutes=20
    )
    log.duration_minutes = 25
    log.save()
    _months(relationship)
    moved = SessionLog.objects.get(pk=log.pk)
    moved.session = MentoringSessionFactory(relationship=other, status="held", starts_at=last_month)
    moved.save()
    _months(relationship, other)
    assert _months(other) == [(other.pk, last_month.date(), 1, 25)]
    moved.delete()
    assert _months(other) == []
    rescheduled.relationship = other
    rescheduled.save()
    assert _months(relationship) == [] and _months(other) == [(other.pk, this_month.date(), 1, 60)]
    rescheduled.delete()
    assert _months(relationship, other) == []


def test_the_months_are_recounted_after_bulk_writes():
    relationship = RelationshipFactory()
    session = MentoringSessionFactory(
        relationship=relationship, status="held", starts_at=timezone.now() - datetime.timedelta(days=40)
    )
    SessionLog.objects.bulk_create(
        [SessionLog(session=session, author=relationship.mentor, held=True, duration_minutes=70)]
    )
    assert RelationshipMonth.objects.filter(relationship=relationship).count() == 0
    Relationship.objects.filter(pk=relationship.pk).refresh_held_sessions()
    assert [row[2:] for row in _months(relationship)] == [(1, 70)]
    SessionLog.objects.filter(session=session).update(duration_minutes=None)
    Relationship.objects.filter(pk=relationship.pk).refresh_held_sessions()
    assert [row[2:] for row in _months(relationship)] == [(1, 0)]


def test_deletions_inside_the_block_refresh_each_summary_once_at_its_end():
    relationship = RelationshipFactory(status=Relationship.Status.ACTIVE)
    now = timezone.now()
    kept = MentoringSessionFactory(
        relationship=relationship, status="held", starts_at=now - datetime.timedelta(days=10)
    )
    SessionLogFactory(session=kept, duration_minutes=40)
    gone = MentoringSessionFactory(
        relationship=relationship, status="held", starts_at=now - datetime.timedelta(days=3)
    )
    SessionLogFactory(session=gone, duration_minutes=30)
    goals = [GoalFactory(relationship=relationship), GoalFactory(relationship=relationship)]
    counted = Relationship.objects.values_list("goals_agreed", flat=True).get(pk=relationship.pk)
    assert _summary(relationship) == (2, kept.starts_at, gone.starts_at)
    assert _log_summary(relationship) == (2, 70)

    with deletions_refreshed_at_end():
        gone.delete()  # with its log
        goals[0].delete()
        # Noted, not refreshed yet.
        assert _summary(relationship) == (2, kept.starts_at, gone.starts_at)
        assert _log_summary(relationship) == (2, 70)

    assert _summary(relationship) == (1, kept.starts_at, kept.starts_at)
    assert _log_summary(relationship) == (1, 40) == _log_recount(relationship)
    assert Relationship.objects.values_list("goals_agreed", flat=True).get(pk=relationship.pk) == counted - 1
    assert counted == 2

    # The relationship itself deleted inside: nothing is left to refresh, and nothing fails.
    with deletions_refreshed_at_end():
        relationship.delete()
    assert not RelationshipMonth.objects.filter(relationship_id=relationship.pk).exists()
