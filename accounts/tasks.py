"""Celery discovers tasks in `<app>.tasks`; recruitment's live beside its services."""

from .recruitment.tasks import (
    deliver_email,
    send_consent_request,
    send_invitation,
    send_reference_request,
    send_renewal_reminders,
)

__all__ = [
    "deliver_email",
    "send_consent_request",
    "send_invitation",
    "send_reference_request",
    "send_renewal_reminders",
]
