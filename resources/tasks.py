import datetime

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.tasks import RETRY_POLICY

from . import services
from .models import Bulletin


@shared_task(**RETRY_POLICY)
def deliver_bulletin(bulletin_id: int) -> int:
    """Send a bulletin to those who have not had it yet; safe to run again at any time."""
    return services.bulletin_deliver(bulletin_id=bulletin_id)


@shared_task(**RETRY_POLICY)
def resume_bulletins() -> int:
    """Finish any bulletin still sending WORK_REQUEUE_AFTER seconds after it was sent (its task was
    lost with the broker, or its worker died); only those not yet sent it get it."""
    since = timezone.now() - datetime.timedelta(seconds=settings.WORK_REQUEUE_AFTER)
    total = 0
    for bulletin_id in (
        Bulletin.objects.filter(status=Bulletin.Status.SENDING)
        .filter(Q(send_started_at__isnull=True) | Q(send_started_at__lt=since))
        .values_list("pk", flat=True)
    ):
        total += services.bulletin_deliver(bulletin_id=bulletin_id)
    return total
