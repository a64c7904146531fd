from celery import shared_task

from core.tasks import RETRY_POLICY

from . import pool_files, services


@shared_task(soft_time_limit=840, time_limit=900)
def matching_round_run(round_id: int):
    """Run a queued matching round. Idempotent: only a round still waiting is claimed, and a round
    that fails is marked failed with its error (so it is not retried half-written)."""
    matching_round = services.round_run(round_id=round_id)
    return matching_round.status if matching_round else None


@shared_task(soft_time_limit=4 * 3600, time_limit=4 * 3600 + 300)
def pool_file_run(pool_path: str, result_path: str, protect_worst_off: bool = False):
    """Match a pool saved as a file (`matching.pool_files.save_pool`), for pools too large for a
    round in the database, such as a national one. Progress goes to `<result_path>.progress.json`
    as each stage starts; the proposals, reasons and figures to `result_path`. Returns the figures."""
    return pool_files.run_file(pool_path, result_path, protect_worst_off=protect_worst_off)


@shared_task(soft_time_limit=60, time_limit=90)
def rounds_resume():
    """Periodic: queue again the rounds whose task was lost or whose worker died (see
    services.rounds_due_again); each run claims its round first, so a duplicate does nothing."""
    round_ids = services.rounds_due_again()
    for round_id in round_ids:
        matching_round_run.delay(round_id)
    return len(round_ids)


@shared_task(soft_time_limit=120, time_limit=180, **RETRY_POLICY)
def interests_expire():
    """Expire mentors' requests nobody answered in time, and tell the mentors (each claimed once)."""
    return services.interests_expire()
