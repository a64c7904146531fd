"""Emails about sessions and relationships: plain text, with an .ics file where a date is involved.

Emails are recorded in the outbox with the change that causes them and sent once it commits. They
never contain a mentor's private contact details, nor a mentee's: the platform is the channel between
the two.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from core.email import email_enqueue, emails_enqueue

from .calendar import calendar_for
from .models import MentoringSession, NotificationPreference, Relationship


def coordinators_of(relationship: Relationship):
    partner_id = relationship.mentee.mentee_profile.youth_partner_id
    return [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            role=Role.COORDINATOR, youth_partner_id=partner_id, user__is_active=True
        ).select_related("user")
    ]


def preference_for(user) -> NotificationPreference:
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def _message(*, to, subject: str, template: str, context: dict, sessions=None, method: str = "PUBLISH"):
    """One email rendered now, for the outbox: recorded in the caller's transaction, so it is kept or
    dropped with the change that causes it."""
    body = render_to_string(template, {**context, "recipient": to, "site_name": settings.SITE_NAME})
    message = EmailMessage(subject=f"[{settings.SITE_NAME}] {subject}", body=body, to=[to.email])
    if sessions:
        message.attach("session.ics", calendar_for(sessions, to, method=method), "text/calendar")
    return message


def sessions_changed(*, relationship: Relationship, sessions, change: str, reason: str = "", actor=None):
    """Tell everyone affected that sessions were scheduled, moved or cancelled (with the .ics)."""
    subjects = {
        "scheduled": f"{len(sessions)} mentoring session{'s' if len(sessions) != 1 else ''} scheduled",
        "rescheduled": "A mentoring session has moved",
        "cancelled": "A mentoring session is cancelled",
    }
    recipients = {relationship.mentor, relationship.mentee, *coordinators_of(relationship)}
    messages = []
    for person in recipients:
        if actor is not None and person.pk == actor.pk and change != "scheduled":
            continue
        messages.append(
            _message(
                to=person,
                subject=subjects[change],
                template="mentoring/email/sessions_changed.txt",
                context={
                    "relationship": relationship,
                    "sessions": sessions,
                    "change": change,
                    "reason": reason,
                    "is_mentor": person.pk == relationship.mentor_id,
                    "is_mentee": person.pk == relationship.mentee_id,
                },
                sessions=sessions,
                method="CANCEL" if change == "cancelled" else "PUBLISH",
            )
        )
    emails_enqueue(messages)


def closure_thank_you(*, relationship: Relationship):
    messages = [
        _message(
            to=person,
            subject="Thank you for mentoring together",
            template="mentoring/email/closure_thank_you.txt",
            context={
                "relationship": relationship,
                "is_mentor": person.pk == relationship.mentor_id,
                "policy": relationship.cohort.programme.post_closure_contact_policy,
            },
        )
        for person in (relationship.mentor, relationship.mentee)
    ]
    emails_enqueue(messages)


def reminder(*, to, kind: str, session: MentoringSession | None = None, context: dict | None = None):
    """One reminder email, recorded in the caller's transaction (the one that claimed it)."""
    subjects = {
        "session_soon": "Your mentoring session is in two days",
        "log_due": "Please log yesterday's mentoring session",
        "log_overdue": "A session log is a week overdue",
        "monthly_digest": f"Mentoring this month: {timezone.localdate():%B %Y}",
    }
    email_enqueue(
        _message(
            to=to,
            subject=subjects[kind],
            template=f"mentoring/email/{kind}.txt",
            context={"session": session, **(context or {})},
            sessions=[session] if kind == "session_soon" and session else None,
        )
    )
