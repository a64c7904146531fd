"""Shared Celery tasks, and the retry policy every task in the project uses."""

import smtplib
import socket

from celery import shared_task
from django.core.management import call_command
from django.db import InterfaceError, OperationalError

# Only errors that a later attempt can cure are retried; a bug or bad data fails at once.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPDataError,
)

RETRY_POLICY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,  # 5 s, 10 s, 20 s ... with jitter
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(**RETRY_POLICY)
def send_email(message: dict) -> None:
    """Send one rendered email (messages queued before the outbox existed). Retried on connection trouble."""
    from .email import message_from_dict

    message_from_dict(message).send()


@shared_task(**RETRY_POLICY)
def send_outgoing_email(email_id: int) -> bool:
    """Send one recorded email (idempotent: the row is claimed first; a sent one is left alone)."""
    from .email import outgoing_email_send

    return outgoing_email_send(email_id=email_id)


@shared_task(soft_time_limit=600, time_limit=660, **RETRY_POLICY)
def send_outgoing_emails(email_ids: list[int]) -> int:
    """Send recorded emails over one connection (idempotent: each row is claimed first)."""
    from .email import outgoing_emails_send

    return outgoing_emails_send(email_ids=email_ids)


@shared_task(soft_time_limit=600, time_limit=660)
def email_outbox_flush() -> int:
    """Periodic: send recorded emails whose own task was lost or whose worker died."""
    from .email import outgoing_email_flush

    return outgoing_email_flush()


@shared_task(**RETRY_POLICY)
def clear_expired_sessions() -> None:
    """Remove expired sessions; idempotent, safe to run twice."""
    call_command("clearsessions")
