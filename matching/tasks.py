from celery import shared_task

from . import services


@shared_task(soft_time_limit=900, time_limit=960)
def matching_round_run(round_id: int):
    """Run a queued matching round (idempotent: only a round still waiting is claimed)."""
    matching_round = services.round_run(round_id=round_id)
    return matching_round.status if matching_round else None


@shared_task(soft_time_limit=120, time_limit=180)
def interests_expire():
    """Expire mentors' requests nobody answered in time, and tell the mentors."""
    return services.interests_expire()
