"""Reminders: each is claimed (a SentReminder row with a unique key) before it is sent, so running the
beat task twice, or again after a crash, never sends the same reminder twice."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, RoleAssignment

from . import notifications
from .models import MentoringSession, Relationship, SentReminder

Kind = SentReminder.Kind

# Unlogged sessions older than this are left to the coordinator's monitoring page.
LOG_REMINDER_HORIZON = datetime.timedelta(days=60)


def claim(*, kind: str, recipient, key: str) -> bool:
    """Record that this reminder is being sent. False when it already was (or is being) sent."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, recipient=recipient, key=str(key))
    except IntegrityError:
        return False
    return True


def _wants(user, kind: str) -> bool:
    preference = notifications.preference_for(user)
    if kind == Kind.SESSION_SOON:
        return preference.session_reminders
    if kind in (Kind.LOG_DUE, Kind.LOG_OVERDUE):
        return preference.log_reminders
    return preference.monthly_digest


def _remind(*, kind: str, recipient, key, session=None, context=None) -> bool:
    if not recipient.is_active or not _wants(recipient, kind):
        return False
    # The claim and the recorded email commit together: a worker killed in between leaves neither.
    with transaction.atomic():
        if not claim(kind=kind, recipient=recipient, key=key):
            return False
        notifications.reminder(to=recipient, kind=kind, session=session, context=context)
    return True


def _sessions():
    return MentoringSession.objects.filter(
        status=MentoringSession.Status.SCHEDULED, relationship__status__in=Relationship.OPEN_STATUSES
    ).select_related(
        "relationship__mentor__notification_preference",
        "relationship__mentee__notification_preference",
        "venue",
    )


def sessions_due_for_reminder(now=None):
    now = now or timezone.now()
    return _sessions().filter(starts_at__gt=now, starts_at__lte=now + datetime.timedelta(hours=48))


def sessions_with_log_due(now=None):
    """Unlogged sessions from yesterday or earlier in the past week."""
    now = now or timezone.now()
    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time()))
    return _sessions().filter(starts_at__lt=start_of_today, starts_at__gte=now - datetime.timedelta(days=7))


def sessions_with_log_overdue(now=None):
    now = now or timezone.now()
    return _sessions().filter(
        starts_at__lt=now - datetime.timedelta(days=7), starts_at__gte=now - LOG_REMINDER_HORIZON
    )


def reminders_send(now=None) -> int:
    """Send every reminder that is due and not yet sent. Returns how many were sent."""
    sent = 0
    for session in sessions_due_for_reminder(now):
        for person in (session.relationship.mentor, session.relationship.mentee):
            sent += _remind(kind=Kind.SESSION_SOON, recipient=person, key=session.pk, session=session)
    for session in sessions_with_log_due(now):
        sent += _remind(
            kind=Kind.LOG_DUE, recipient=session.relationship.mentor, key=session.pk, session=session
        )
    for session in sessions_with_log_overdue(now):
        sent += _remind(
            kind=Kind.LOG_OVERDUE, recipient=session.relationship.mentor, key=session.pk, session=session
        )
    return sent


def monthly_digest_send(today=None) -> int:
    """The monthly summary for each coordinator, once per month."""
    from .selectors import monitoring_summary

    today = today or timezone.localdate()
    key = f"{today:%Y-%m}"
    sent = 0
    coordinators = {}
    for assignment in RoleAssignment.objects.filter(
        role=Role.COORDINATOR, user__is_active=True
    ).select_related("user__notification_preference"):
        coordinators.setdefault(assignment.user_id, assignment.user)
    for user in coordinators.values():
        summary = monitoring_summary(user=user, partner_ids=user.coordinated_partner_ids)
        sent += _remind(
            kind=Kind.MONTHLY_DIGEST, recipient=user, key=key, context={"summary": summary, "month": today}
        )
    return sent
