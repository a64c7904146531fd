import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import ApplicationFactory
from core.models import AuditEvent
from recruitment import services
from recruitment.models import Application, RenewalReminder, ScreeningCheck
from recruitment.selectors import screenings_due_for_renewal
from recruitment.tasks import send_renewal_reminders


def _screening(world, user=None, **fields):
    application = ApplicationFactory(
        user=user or world.mentor,
        programme=world.programme,
        status=Application.Status.SCREENING,
        submitted_at=timezone.now(),
    )
    return ScreeningCheck.objects.create(application=application, **fields)


def test_recording_barred_list_result_and_decision_stamps_the_acting_staff_user(world):
    screening = _screening(world)
    screening.barred_list_result = ScreeningCheck.BarredListResult.NOT_BARRED
    screening.check_decision = ScreeningCheck.Decision.SUITABLE
    services.screening_update(actor=world.staff, screening=screening)
    screening.refresh_from_db()
    assert screening.checked_by == world.staff
    assert screening.checked_on == timezone.localdate()
    event = AuditEvent.objects.get(action="screening.update")
    assert event.actor == world.staff
    assert event.details["check_decision"] == "suitable"


def test_saving_other_fields_keeps_who_checked(world):
    screening = _screening(world)
    screening.barred_list_result = ScreeningCheck.BarredListResult.NOT_BARRED
    services.screening_update(actor=world.staff, screening=screening)
    other_staff = world.staff.__class__.objects.create_user(email="second.staff@example.org")
    screening.interview_notes = "Interview went well."
    services.screening_update(actor=other_staff, screening=screening)
    screening.refresh_from_db()
    assert screening.checked_by == world.staff


def test_staff_form_records_the_decision(world, client_for):
    screening = _screening(world)
    client_for(world.staff).post(
        reverse("recruitment:screening_update", args=[screening.application_id]),
        {
            "identity_status": "clear",
            "background_check_status": "clear",
            "background_check_level": "enhanced_barred",
            "barred_list_result": "not_barred",
            "check_decision": "suitable",
            "interview_status": "not_started",
        },
    )
    screening.refresh_from_db()
    assert (screening.check_decision, screening.checked_by) == ("suitable", world.staff)


def test_renewals_page_lists_checks_due_within_sixty_days_only(
    world, client_for, django_assert_max_num_queries
):
    today = timezone.localdate()
    _screening(world, renewal_due_on=today + datetime.timedelta(days=30), certificate_last4="AB12")
    _screening(world, user=world.other_mentor, renewal_due_on=today + datetime.timedelta(days=90))
    client = client_for(world.staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("recruitment:renewals_due"))
    assert [s.application.user for s in page.context["page"]] == [world.mentor]
    assert "•••• AB12" in page.content.decode()
    filtered = client.get(reverse("recruitment:renewals_due"), {"q": "nobody-matches"})
    assert list(filtered.context["page"]) == []


def test_mentor_cannot_see_the_renewals_page(world, client_for):
    assert client_for(world.mentor).get(reverse("recruitment:renewals_due")).status_code == 403


def test_selector_scopes_by_user(world):
    _screening(world, renewal_due_on=timezone.localdate())
    assert screenings_due_for_renewal(user=world.staff).count() == 1
    assert screenings_due_for_renewal(user=world.coordinator_a).count() == 0


def test_renewal_reminder_is_sent_once_when_the_task_runs_twice(world, django_capture_on_commit_callbacks):
    due = timezone.localdate() + datetime.timedelta(days=20)
    screening = _screening(world, renewal_due_on=due)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders() == 0
    assert RenewalReminder.objects.filter(screening=screening).count() == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world.mentor.email, world.staff.email])
    assert all(message.body.strip() for message in mail.outbox)


def test_a_new_renewal_date_gets_its_own_reminder(world, django_capture_on_commit_callbacks):
    screening = _screening(world, renewal_due_on=timezone.localdate() + datetime.timedelta(days=10))
    services.screening_renewal_reminders_send()
    screening.renewal_due_on = timezone.localdate() + datetime.timedelta(days=50)
    screening.save()
    assert services.screening_renewal_reminders_send() == 1
    assert RenewalReminder.objects.filter(screening=screening).count() == 2


def test_renewal_reminder_task_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "recruitment.tasks.send_renewal_reminders" in tasks
