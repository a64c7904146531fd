"""Background work: survey invitations and reminders, and building PDF impact reports."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.email import absolute_reverse, email_send

from .models import SurveyResponse

REMIND_AFTER = datetime.timedelta(days=7)
MAX_REMINDERS = 3


def _survey_email(response: SurveyResponse, *, reminder: bool) -> None:
    instrument = response.instance.version.instrument
    link = absolute_reverse("evaluation:response_fill", response.pk)
    opening = (
        "A reminder: you still have a survey to finish." if reminder else "You have a new survey to fill in."
    )
    body = (
        f"Hello {response.respondent.first_name},\n\n{opening}\n\n"
        f"{instrument.name}\n{link}\n\n"
        "It takes a few minutes. You can save your answers and come back to finish later.\n\n"
        f"{settings.SITE_NAME}"
    )
    email_send(
        to=[response.respondent.email],
        subject=f"{'Reminder: ' if reminder else ''}{instrument.name}",
        body=body,
    )


@shared_task
def send_survey_invitation(response_id: int) -> None:
    response = (
        SurveyResponse.objects.select_related("instance__version__instrument", "respondent")
        .filter(pk=response_id, status=SurveyResponse.Status.ISSUED)
        .first()
    )
    if response is not None:
        _survey_email(response, reminder=False)


@shared_task
def send_survey_reminders() -> int:
    """Remind people with an unfinished survey, at most weekly and three times. Returns how many."""
    now = timezone.now()
    due = SurveyResponse.objects.filter(
        status__in=[SurveyResponse.Status.ISSUED, SurveyResponse.Status.IN_PROGRESS],
        instance__is_open=True,
        created_at__lte=now - REMIND_AFTER,
        reminders_sent__lt=MAX_REMINDERS,
    ).exclude(last_reminded_at__gt=now - REMIND_AFTER)
    sent = 0
    for response_id in due.values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            # Claim the reminder first, so a second worker running the same task skips it.
            claimed = (
                SurveyResponse.objects.filter(pk=response_id)
                .exclude(last_reminded_at__gt=now - REMIND_AFTER)
                .update(last_reminded_at=now, reminders_sent=F("reminders_sent") + 1)
            )
            if not claimed:
                continue
            response = SurveyResponse.objects.select_related(
                "instance__version__instrument", "respondent"
            ).get(pk=response_id)
            # Recorded with the claim: a worker killed here leaves neither, so the next run sends it.
            _survey_email(response, reminder=True)
        sent += 1
    return sent


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60)
def build_impact_report(report_id: int) -> None:
    from .services import impact_report_build

    impact_report_build(report_id=report_id)


@shared_task(soft_time_limit=60, time_limit=90)
def reports_resume() -> int:
    """Periodic: queue again the reports still waiting long after they were asked for, and those
    whose worker died while building them. Returns how many were queued."""
    from .services import impact_reports_due_again

    report_ids = list(impact_reports_due_again())
    for report_id in report_ids:
        build_impact_report.delay(report_id)
    return len(report_ids)
