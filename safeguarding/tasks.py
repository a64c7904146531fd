from celery import shared_task

from . import services


@shared_task(soft_time_limit=120, time_limit=180)
def outbox_dispatch():
    """Send due safeguarding alerts and escalations (idempotent: rows are claimed before handling)."""
    return services.outbox_dispatch()


@shared_task(soft_time_limit=600, time_limit=660)
def retention_run():
    """Nightly retention schedule; idempotent: removed text and flagged reviews are skipped."""
    from .data_protection import retention_run as run

    return run()


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60)
def build_data_export(export_id: int) -> None:
    """Build a person's data export; idempotent: the export is claimed before it is built."""
    from .data_protection import data_export_build

    data_export_build(export_id=export_id)
