from celery import shared_task

from core.tasks import RETRY_POLICY

from . import services
from .models import Bulletin


@shared_task(**RETRY_POLICY)
def deliver_bulletin(bulletin_id: int) -> int:
    """Send a bulletin to those who have not had it yet; safe to run again at any time."""
    return services.bulletin_deliver(bulletin_id=bulletin_id)


@shared_task(**RETRY_POLICY)
def resume_bulletins() -> int:
    """Finish any bulletin whose sending stopped part-way (for instance a worker died)."""
    total = 0
    for bulletin_id in Bulletin.objects.filter(status=Bulletin.Status.SENDING).values_list("pk", flat=True):
        total += services.bulletin_deliver(bulletin_id=bulletin_id)
    return total
