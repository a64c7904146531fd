import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from mentoring import journal, reminders
from mentoring.models import NotificationPreference, SentReminder
from mentoring.tests.factories import MentoringSessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _feed(client, user):
    token = journal.calendar_feed_for(user).token
    return client.get(reverse("mentoring:calendar_feed", args=[token]))


def test_mentor_feed_has_the_sessions_with_only_the_mentees_first_name(world, client):
    mentee = world.mentee_under_16
    mentee.last_name = "Quennell-Thistlewood"
    mentee.save()
    MentoringSessionFactory(
        relationship=world.relationship_under_16, number=1, venue=VenueFactory(youth_partner=world.partner_a)
    )
    response = _feed(client, world.mentor)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == f"Mentoring session 1: {mentee.first_name}"
    body = response.content.decode()
    for private in (mentee.last_name, mentee.email, "07700 900001", mentee.mentee_profile.address or "@@"):
        assert private not in body


def test_no_feed_ever_contains_an_under_18s_contact_details(world, client):
    MentoringSessionFactory(relationship=world.relationship_under_16)
    profile = world.mentee_under_16.mentee_profile
    profile.address = "12 Elm Road, Salford"
    profile.save()
    for viewer in (world.mentor, world.mentee_under_16):
        body = _feed(client, viewer).content.decode()
        assert world.mentee_under_16.email not in body
        assert "07700 900001" not in body
        assert "Elm Road" not in body


def test_a_revoked_feed_address_stops_working(world, client):
    old = journal.calendar_feed_for(world.mentor).token
    journal.calendar_feed_revoke(actor=world.mentor)
    assert client.get(reverse("mentoring:calendar_feed", args=[old])).status_code == 404
    assert _feed(client, world.mentor).status_code == 200


def test_running_the_reminder_task_twice_sends_each_reminder_once(world, committing):
    MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() + datetime.timedelta(hours=30)
    )
    MentoringSessionFactory(
        relationship=world.relationship_over_18,
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=2),
    )
    MentoringSessionFactory(
        relationship=world.relationship_b, starts_at=timezone.now() - datetime.timedelta(days=10)
    )
    with committing():
        first = reminders.reminders_send()
    sent = len(mail.outbox)
    with committing():
        second = reminders.reminders_send()
    # Session soon: mentor and mentee; log due: mentor; log overdue: the other mentor.
    assert first == 4
    assert sent == 4
    assert second == 0
    assert len(mail.outbox) == 4
    assert SentReminder.objects.count() == 4
    soon = next(m for m in mail.outbox if m.to == [world.mentee_under_16.email])
    assert soon.attachments[0][0] == "session.ics"
    assert world.mentor.email not in soon.body
    assert "07700 900123" not in soon.body


def test_a_claimed_reminder_is_not_sent_again_after_a_crash(world, committing):
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() + datetime.timedelta(hours=30)
    )
    SentReminder.objects.create(kind="session_soon", recipient=world.mentor, key=str(session.pk))
    with committing():
        reminders.reminders_send()
    assert [m.to for m in mail.outbox] == [[world.mentee_under_16.email]]


def test_reminders_respect_notification_preferences(world, committing):
    NotificationPreference.objects.create(user=world.mentor, session_reminders=False)
    MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() + datetime.timedelta(hours=30)
    )
    with committing():
        reminders.reminders_send()
    assert [m.to for m in mail.outbox] == [[world.mentee_under_16.email]]


def test_monthly_digest_goes_to_each_coordinator_once_a_month(world, committing):
    MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    with committing():
        assert reminders.monthly_digest_send() == 2
    with committing():
        assert reminders.monthly_digest_send() == 0
    digest = next(m for m in mail.outbox if m.to == [world.coordinator_a.email])
    assert "Sessions not yet logged: 1" in digest.body


def test_beat_schedule_declares_the_reminder_tasks(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"mentoring.tasks.send_reminders", "mentoring.tasks.send_monthly_digest"} <= tasks


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Emails are recorded with the change and sent once it commits: run what waits for the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
