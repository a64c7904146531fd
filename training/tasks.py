from celery import shared_task
from django.utils import timezone

from . import services
from .models import Enrolment


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def certificate_render(certificate_id: int, regenerate: bool = False):
    """Render, store and email one certificate (idempotent by its status)."""
    services.certificate_issue(certificate_id=certificate_id, regenerate=regenerate)


@shared_task(soft_time_limit=600, time_limit=660)
def certificates_resume():
    """Periodic: issue certificates still being prepared long after they were asked for (their task
    was lost with the broker, or their worker died). Idempotent, like certificate_render."""
    return services.certificates_resume()


@shared_task(acks_late=True)
def programme_recheck_training(programme_id: int):
    """After a programme's requirement changes: certificates for mentors it now counts as trained."""
    from accounts.models import User

    for user in User.objects.filter(pk__in=services.programme_mentor_ids(programme_id=programme_id)):
        services.training_check_completion(user=user)


@shared_task(acks_late=True)
def send_training_reminders():
    """Daily: remind people whose course deadline is within a few days and who have not finished."""
    today = timezone.localdate()
    horizon = today + timezone.timedelta(days=services.REMINDER_DAYS_BEFORE)
    due = Enrolment.objects.filter(
        completed_at__isnull=True, reminder_sent_on__isnull=True, due_on__gte=today, due_on__lte=horizon
    ).values_list("pk", flat=True)
    for enrolment_id in due.iterator():
        services.enrolment_send_reminder(enrolment_id=enrolment_id)
