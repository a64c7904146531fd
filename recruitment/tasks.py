"""Emails with single-use links, sent by workers after the change that caused them has committed."""

from smtplib import SMTPException

from celery import shared_task

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": True, "max_retries": 5}
LIMITS = {"soft_time_limit": 30, "time_limit": 60}
BATCH_LIMITS = {"soft_time_limit": 300, "time_limit": 360}


def _deliver(kind: str, link_id: int) -> bool:
    from .services import link_email_deliver

    return link_email_deliver(kind=kind, link_id=link_id)


@shared_task(**RETRY, **LIMITS)
def send_invitation(invitation_id: int) -> bool:
    return _deliver("invitation", invitation_id)


@shared_task(**RETRY, **LIMITS)
def send_reference_request(reference_id: int) -> bool:
    return _deliver("reference", reference_id)


@shared_task(**RETRY, **LIMITS)
def send_consent_request(consent_request_id: int) -> bool:
    return _deliver("consent", consent_request_id)


@shared_task(acks_late=True, **BATCH_LIMITS)
def link_emails_resume() -> int:
    """Periodic: send the link emails (invitations, reference and consent requests) whose own task was
    lost with the broker, once WORK_REQUEUE_AFTER has passed. Idempotent, like each link's task."""
    from .services import link_emails_resume as resume

    return resume()


@shared_task(acks_late=True, **BATCH_LIMITS)
def send_renewal_reminders() -> int:
    """Daily: remind staff and mentors of background checks due for renewal (once per check and date)."""
    from .services import screening_renewal_reminders_send

    return screening_renewal_reminders_send()
