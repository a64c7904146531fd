from celery import shared_task

from . import reminders


@shared_task(acks_late=True)
def send_reminders():
    """Session, log-due and log-overdue reminders. Idempotent: each reminder is claimed before sending."""
    return reminders.reminders_send()


@shared_task(acks_late=True)
def send_monthly_digest():
    """The coordinators' monthly digest, once per coordinator per month."""
    return reminders.monthly_digest_send()
