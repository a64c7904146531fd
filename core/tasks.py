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
    """Send one rendered email. Retried on connection trouble only."""
    from .email import message_from_dict

    message_from_dict(message).send()


@shared_task(**RETRY_POLICY)
def clear_expired_sessions() -> None:
    """Remove expired sessions; idempotent, safe to run twice."""
    call_command("clearsessions")
