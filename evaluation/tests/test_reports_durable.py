"""Impact reports whose task was lost or whose worker died are built by the periodic resume."""

import datetime

import pytest
from django.utils import timezone

from evaluation.models import ImpactReport
from evaluation.services import impact_report_build, impact_reports_due_again
from evaluation.tasks import reports_resume

pytestmark = pytest.mark.django_db


def report(**fields):
    created = ImpactReport.objects.create(period_start="2026-01-01", period_end="2026-02-01")
    ImpactReport.objects.filter(pk=created.pk).update(**fields)
    return created


def test_reports_waiting_too_long_or_abandoned_are_queued_again_and_fresh_ones_are_not(settings):
    settings.WORK_REQUEUE_AFTER, settings.WORK_STALE_AFTER = 120, 900
    now = timezone.now()
    lost = report(created_at=now - datetime.timedelta(seconds=300))
    report()  # just asked for
    abandoned = report(status=ImpactReport.Status.RUNNING, started_at=now - datetime.timedelta(seconds=1000))
    report(status=ImpactReport.Status.RUNNING, started_at=now - datetime.timedelta(seconds=60))
    assert sorted(impact_reports_due_again(now=now)) == sorted([lost.pk, abandoned.pk])
    abandoned.refresh_from_db()
    assert abandoned.status == ImpactReport.Status.PENDING


def test_the_resume_builds_a_lost_report_and_a_late_old_build_cannot_overwrite_it(settings, world):
    settings.WORK_REQUEUE_AFTER = 0
    lost = report(created_at=timezone.now() - datetime.timedelta(seconds=5))
    assert reports_resume() == 1
    lost.refresh_from_db()
    assert lost.status == ImpactReport.Status.READY and lost.pdf
    assert reports_resume() == 0
    assert impact_report_build(report_id=lost.pk) is None
