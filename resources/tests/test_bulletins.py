"""Bulletins go to each mentor once, whatever happens to the sending task; mentors can opt out."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import MentorProfileFactory
from core.errors import ApplicationError
from mentoring.models import NotificationPreference

from .. import services, tasks
from ..models import Bulletin, BulletinDelivery
from .factories import BulletinFactory, ResourceFactory, sent_bulletin

pytestmark = pytest.mark.django_db


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the task, then each email) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _mentor_emails(world):
    return {world.mentor.email, world.other_mentor.email}


def test_sending_reaches_every_mentor_once_and_marks_the_bulletin_sent(world, committing):
    bulletin = BulletinFactory()
    with committing():
        services.bulletin_send(actor=world.staff, bulletin=bulletin)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT
    assert sorted(message.to[0] for message in mail.outbox) == sorted(_mentor_emails(world))
    # Coordinators, mentees, staff and funders are not mentors and receive nothing.
    assert world.coordinator_a.email not in {message.to[0] for message in mail.outbox}


def test_running_the_send_task_twice_sends_once(world, committing):
    bulletin = BulletinFactory(status=Bulletin.Status.SENDING)
    with committing():
        tasks.deliver_bulletin(bulletin.pk)
    with committing():
        tasks.deliver_bulletin(bulletin.pk)
        tasks.resume_bulletins()
    assert len(mail.outbox) == 2
    assert BulletinDelivery.objects.filter(bulletin=bulletin).count() == 2


def test_sending_resumes_after_a_crash_with_only_those_not_yet_sent(world, committing):
    extra = [MentorProfileFactory().user for _ in range(3)]
    bulletin = BulletinFactory(status=Bulletin.Status.SENDING)
    real_send = services.email_send
    calls = []

    def crash_on_third(**kwargs):
        calls.append(kwargs["to"][0])
        if len(calls) == 3:
            raise ConnectionError("mail server went away")
        real_send(**kwargs)

    with mock.patch.object(services, "email_send", side_effect=crash_on_third), committing():
        with pytest.raises(ConnectionError):
            services.bulletin_deliver(bulletin_id=bulletin.pk)
    assert len(mail.outbox) == 2
    # The crashed recipient's claim was rolled back with their email, so they are still to do.
    assert BulletinDelivery.objects.filter(bulletin=bulletin).count() == 2
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENDING

    # The periodic sweep picks the bulletin up again.
    with committing():
        assert tasks.resume_bulletins() == 3
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == sorted(_mentor_emails(world) | {user.email for user in extra})
    assert len(recipients) == len(set(recipients)) == 5
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT


def test_mentors_who_opted_out_are_not_sent_the_bulletin(world, committing):
    NotificationPreference.objects.create(user=world.other_mentor, bulletins=False)
    bulletin = BulletinFactory()
    with committing():
        services.bulletin_send(actor=world.staff, bulletin=bulletin)
    assert [message.to for message in mail.outbox] == [[world.mentor.email]]
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT


def test_a_mentor_turns_bulletins_off_on_the_reminder_settings_page(world, client):
    client.force_login(world.mentor)
    response = client.post(
        reverse("mentoring:calendar_settings"),
        {"form": "preferences", "session_reminders": "on", "log_reminders": "on"},
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.mentor).bulletins is False


def test_sending_is_dispatched_when_the_transaction_commits(world, django_capture_on_commit_callbacks):
    bulletin = BulletinFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.bulletin_send(actor=world.staff, bulletin=bulletin)
    assert len(callbacks) == 1
    assert mail.outbox == []
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENDING


def test_a_bulletin_cannot_be_sent_twice_or_edited_once_sent(world):
    bulletin = sent_bulletin()
    with pytest.raises(ApplicationError):
        services.bulletin_send(actor=world.staff, bulletin=bulletin)
    with pytest.raises(ApplicationError):
        services.bulletin_save(actor=world.staff, bulletin=bulletin, title="Changed")
    assert mail.outbox == []


def test_an_empty_bulletin_is_not_sent(world):
    bulletin = BulletinFactory(news="", skill_builder="", upcoming_events="")
    with pytest.raises(ApplicationError):
        services.bulletin_send(actor=world.staff, bulletin=bulletin)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.DRAFT


def test_only_staff_send_bulletins(world):
    bulletin = BulletinFactory()
    with pytest.raises(ApplicationError):
        services.bulletin_send(actor=world.mentor, bulletin=bulletin)
    assert mail.outbox == []


def test_the_email_has_a_plain_text_body_with_every_section_and_a_way_to_opt_out(world, committing):
    resource = ResourceFactory(title="Goal-setting worksheet", slug="goal-setting-worksheet")
    bulletin = BulletinFactory(
        news="Welcome **everyone**.", skill_builder="Ask open questions.", upcoming_events="- Online meet-up"
    )
    bulletin.featured_resources.set([resource])
    with committing():
        services.bulletin_send(actor=world.staff, bulletin=bulletin)
    message = mail.outbox[0]
    assert "Welcome **everyone**." in message.body
    assert "Ask open questions." in message.body
    assert "Online meet-up" in message.body
    assert "Goal-setting worksheet" in message.body
    assert reverse("resources:resource_detail", args=[resource.slug]) in message.body
    assert reverse("mentoring:calendar_settings") in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<strong>everyone</strong>" in html


def test_staff_see_sending_progress(world, client):
    bulletin = BulletinFactory(status=Bulletin.Status.SENDING)
    BulletinDelivery.objects.create(bulletin=bulletin, recipient=world.mentor)
    client.force_login(world.staff)
    page = client.get(reverse("resources:bulletin_progress", args=[bulletin.pk])).content.decode()
    assert "Sent to 1 of 2 mentors; 1 still to go" in page


def test_mentors_read_the_archive_of_sent_bulletins_only(world, client):
    sent = sent_bulletin(title="March bulletin")
    BulletinFactory(title="Draft for April")
    client.force_login(world.mentor)
    page = client.get(reverse("resources:bulletin_list")).content.decode()
    assert "March bulletin" in page and "Draft for April" not in page
    detail = client.get(reverse("resources:bulletin_detail", args=[sent.pk])).content.decode()
    assert "Welcome to this month" in detail


def test_staff_compose_preview_and_send_through_the_pages(world, client, committing):
    resource = ResourceFactory(title="Values cards")
    client.force_login(world.staff)
    response = client.post(
        reverse("resources:bulletin_create"),
        {
            "title": "May bulletin",
            "issue_date": "2026-05-01",
            "news": "News for May",
            "skill_builder": "",
            "upcoming_events": "",
            "featured": [resource.pk],
        },
    )
    bulletin = Bulletin.objects.get(title="May bulletin")
    assert response.status_code == 302
    preview = client.get(bulletin.get_absolute_url()).content.decode()
    assert "Preview: this draft has not been sent" in preview and "Values cards" in preview
    assert "Send to 2 mentors" in preview
    with committing():
        client.post(reverse("resources:bulletin_send", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT
    assert len(mail.outbox) == 2


def test_bulletin_list_uses_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    for _ in range(15):
        sent_bulletin()
    client.force_login(world.mentor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("resources:bulletin_list")).status_code == 200


def test_the_bulletin_preference_is_on_the_reminder_settings_page(world, client):
    client.force_login(world.mentor)
    page = client.get(reverse("mentoring:calendar_settings")).content.decode()
    assert "send me the monthly mentor bulletin" in page.lower()


def test_a_new_bulletin_starts_with_events_from_registered_sources(world, client):
    from ..bulletin_events import register_events_source, unregister_events_source

    def community_events(issue_date):
        return f"- Community of practice, {issue_date:%B}"

    register_events_source(community_events)
    try:
        client.force_login(world.staff)
        form = client.get(reverse("resources:bulletin_create")).context["form"]
    finally:
        unregister_events_source(community_events)
    assert form.initial["upcoming_events"].startswith("- Community of practice, ")


@pytest.mark.django_db(transaction=True)
def test_a_bulletin_sent_while_the_broker_is_down_is_saved_said_so_and_sent_by_the_resume(
    client, settings, monkeypatch, caplog
):
    """Redis restarting at the moment staff press Send: the bulletin is recorded as sending, the page
    says sending has started (not an error page for a change that did save), and the periodic
    resume sends it once the broker is back."""
    from kombu.exceptions import OperationalError

    from accounts.tests.factories import RoleAssignmentFactory

    staff = RoleAssignmentFactory().user
    mentor = MentorProfileFactory().user
    bulletin = BulletinFactory()

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_bulletin, "delay", broker_down)
    client.force_login(staff)
    response = client.post(reverse("resources:bulletin_send", args=[bulletin.pk]), follow=True)
    assert response.status_code == 200
    assert "Sending has started" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENDING and mail.outbox == []
    assert "Could not queue resources.tasks.deliver_bulletin" in caplog.text

    monkeypatch.undo()
    settings.WORK_REQUEUE_AFTER = 0
    tasks.resume_bulletins()
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT
    assert [message.to for message in mail.outbox] == [[mentor.email]]
