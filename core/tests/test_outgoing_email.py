"""The email outbox: every email is recorded with the change that caused it, sent once, and sent
later by the periodic flush when its own task was lost."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils import timezone

from core.email import (
    email_message,
    email_send,
    emails_enqueue,
    outgoing_email_flush,
    outgoing_email_send,
    outgoing_emails_send,
)
from core.models import OutgoingEmail
from core.tasks import email_outbox_flush, send_outgoing_email, send_outgoing_emails

pytestmark = pytest.mark.django_db


def record(subject="Your next session"):
    email_send(to=["mentor@example.org"], subject=subject, body="See you on Tuesday.")
    return OutgoingEmail.objects.latest("pk")


def age(outgoing, *, seconds):
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def test_an_email_is_recorded_with_the_change_and_sent_once_when_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = record()
        assert outgoing.status == OutgoingEmail.Status.PENDING and mail.outbox == []
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENT and outgoing.attempts == 1
    # The task delivered twice (a broker redelivery, the flush racing it) sends nothing more.
    assert send_outgoing_email(outgoing.pk) is False
    assert outgoing_email_flush() == 0
    assert [message.subject for message in mail.outbox] == ["Your next session"]


def test_a_rolled_back_change_leaves_no_email_to_send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                record()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_the_flush_sends_an_email_whose_task_was_lost_but_leaves_fresh_ones_to_their_task(settings):
    settings.WORK_REQUEUE_AFTER = 120
    lost = record("Lost with the broker")  # no on-commit callback runs: its task never happened
    fresh = record("Just recorded")
    age(lost, seconds=121)
    assert email_outbox_flush() == 1
    assert [message.subject for message in mail.outbox] == ["Lost with the broker"]
    fresh.refresh_from_db()
    assert fresh.status == OutgoingEmail.Status.PENDING


def test_an_email_claimed_by_a_worker_that_died_is_sent_again_only_once_stale(settings):
    settings.EMAIL_STALE_AFTER = 300
    outgoing = record()
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=now - datetime.timedelta(seconds=60), attempts=1
    )
    assert outgoing_email_send(email_id=outgoing.pk) is False  # maybe still being sent
    assert outgoing_email_send(email_id=outgoing.pk, now=now + datetime.timedelta(seconds=300)) is True
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENT and outgoing.attempts == 2
    assert len(mail.outbox) == 1


def test_a_long_flush_stamps_each_claim_when_made_so_the_next_flush_leaves_it_alone(settings, monkeypatch):
    settings.WORK_REQUEUE_AFTER = 0
    settings.EMAIL_STALE_AFTER = 300
    first, second = record("First"), record("Second")
    started = timezone.now() - datetime.timedelta(seconds=400)  # the flush began 400 s ago
    OutgoingEmail.objects.update(created_at=started - datetime.timedelta(seconds=1))
    send = locmem.EmailBackend.send_messages
    flushes_meanwhile = []

    def send_and_let_another_flush_run(self, messages):
        if not flushes_meanwhile:  # while the first email is being sent, the next flush starts
            flushes_meanwhile.append(None)
            flushes_meanwhile[0] = outgoing_email_flush()
        return send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_and_let_another_flush_run)
    assert outgoing_email_flush(now=started) == 1  # the other flush took the second one
    assert flushes_meanwhile == [1]
    assert sorted(message.subject for message in mail.outbox) == ["First", "Second"]
    for outgoing in (first, second):
        outgoing.refresh_from_db()
        assert outgoing.status == OutgoingEmail.Status.SENT and outgoing.attempts == 1


def test_a_mail_server_failure_puts_the_email_back_to_wait_with_the_error(settings, monkeypatch):
    settings.WORK_REQUEUE_AFTER = 0
    outgoing = record()

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        outgoing_email_send(email_id=outgoing.pk)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.PENDING
    assert "unexpectedly closed" in outgoing.last_error
    monkeypatch.undo()
    assert outgoing_email_flush() == 1
    assert len(mail.outbox) == 1


def test_the_flush_forgets_emails_sent_more_than_two_weeks_ago():
    old, recent = record("Old"), record("Recent")
    OutgoingEmail.objects.filter(pk=old.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now() - datetime.timedelta(days=15)
    )
    OutgoingEmail.objects.filter(pk=recent.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now() - datetime.timedelta(days=13)
    )
    outgoing_email_flush()
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_flush_reads_a_bounded_number_of_queries(settings, django_assert_max_num_queries):
    settings.WORK_REQUEUE_AFTER = 0
    for number in range(5):
        record(f"Message {number}")
    # 1 to list what is due, then per email: claim, read, mark sent (3 x 5); 1 to forget old ones.
    with django_assert_max_num_queries(17):
        assert outgoing_email_flush() == 5


def test_emails_recorded_together_are_sent_by_one_task_over_one_connection(
    django_capture_on_commit_callbacks, monkeypatch
):
    opened = []
    monkeypatch.setattr(locmem.EmailBackend, "open", lambda self: opened.append(self) or True, raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        rows = emails_enqueue(
            [
                email_message(to=[f"person{n}@example.org"], subject=f"Notice {n}", body="Hello.")
                for n in range(3)
            ]
        )
        assert {row.status for row in rows} == {OutgoingEmail.Status.PENDING} and mail.outbox == []
    assert sorted(message.subject for message in mail.outbox) == ["Notice 0", "Notice 1", "Notice 2"]
    assert len({id(connection) for connection in opened}) == 1
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(OutgoingEmail.Status.SENT, 1)}
    # Delivered again (a broker redelivery, the flush racing it), the task sends nothing more.
    assert send_outgoing_emails([row.pk for row in rows]) == 0
    assert len(mail.outbox) == 3


def test_one_failed_email_of_many_waits_for_the_flush_and_the_others_go(settings, monkeypatch):
    settings.WORK_REQUEUE_AFTER = 0
    rows = emails_enqueue(
        [email_message(to=[f"person{n}@example.org"], subject=f"Notice {n}", body="Hello.") for n in range(3)]
    )
    send = locmem.EmailBackend.send_messages

    def refuse_the_second(self, messages):
        if messages[0].subject == "Notice 1":
            raise smtplib.SMTPDataError(451, "Try again later")
        return send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse_the_second)
    with pytest.raises(smtplib.SMTPDataError):
        outgoing_emails_send(email_ids=[row.pk for row in rows])
    assert sorted(message.subject for message in mail.outbox) == ["Notice 0", "Notice 2"]
    failed = OutgoingEmail.objects.get(pk=rows[1].pk)
    assert failed.status == OutgoingEmail.Status.PENDING and "Try again later" in failed.last_error
    monkeypatch.undo()
    assert outgoing_email_flush() == 1
    assert sorted(message.subject for message in mail.outbox) == ["Notice 0", "Notice 1", "Notice 2"]


def test_a_slow_batch_is_not_sent_twice_by_a_second_run_of_it(settings, monkeypatch):
    """A batch on a slow mail server (10 s a message) outlasts EMAIL_STALE_AFTER (15 s); the same batch
    delivered again by the broker meanwhile sends only what the first run has not claimed yet, and
    the first run then skips that."""
    import types

    import core.email

    settings.EMAIL_STALE_AFTER = 15
    rows = emails_enqueue(
        [email_message(to=[f"person{n}@example.org"], subject=f"Notice {n}", body="Hello.") for n in range(4)]
    )
    clock = [timezone.now()]
    monkeypatch.setattr(core.email, "timezone", types.SimpleNamespace(now=lambda: clock[0]))
    send = locmem.EmailBackend.send_messages
    redelivered: list[int] = []
    started = []

    def slow_server(self, messages):
        clock[0] += datetime.timedelta(seconds=10)
        if messages[0].subject == "Notice 2" and not started:
            started.append(clock[0])  # 30 s after the first run claimed its first message
            redelivered.append(outgoing_emails_send(email_ids=[row.pk for row in rows]))
        return send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", slow_server)
    first = outgoing_emails_send(email_ids=[row.pk for row in rows])
    assert sorted(message.subject for message in mail.outbox) == [f"Notice {n}" for n in range(4)]
    assert (first, redelivered) == (3, [1])
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(OutgoingEmail.Status.SENT, 1)}


@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
def test_termination_while_a_message_is_sent_waits_until_it_is_recorded(batch, monkeypatch):
    """Celery stops a running task with SIGTERM when the worker loses the broker; arriving while the
    mail server takes the message, it is handled only once the message is marked sent, so the flush
    never sends it again."""
    import signal
    import threading

    assert threading.current_thread() is threading.main_thread()
    outgoing = record()
    statuses_when_terminated = []
    send = locmem.EmailBackend.send_messages

    def terminated_while_sending(self, messages):
        signal.raise_signal(signal.SIGTERM)
        return send(self, messages)

    def on_terminate(signum, frame):
        statuses_when_terminated.append(OutgoingEmail.objects.get(pk=outgoing.pk).status)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", terminated_while_sending)
    previous = signal.signal(signal.SIGTERM, on_terminate)
    try:
        if batch:
            assert outgoing_emails_send(email_ids=[outgoing.pk]) == 1
        else:
            assert outgoing_email_send(email_id=outgoing.pk) is True
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert statuses_when_terminated == [OutgoingEmail.Status.SENT]
    assert len(mail.outbox) == 1


def test_an_email_recorded_while_the_broker_is_down_is_kept_and_sent_by_the_flush(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The change commits and its email is recorded; queueing its task fails (Redis restarting), which
    is logged and not raised, and the periodic flush sends it later. Any other error still raises."""
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_outgoing_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = record()
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.PENDING and mail.outbox == []

    def bug(*args, **kwargs):
        raise ValueError("not a broker problem")

    monkeypatch.setattr(send_outgoing_email, "delay", bug)
    with pytest.raises(ValueError), django_capture_on_commit_callbacks(execute=True):
        record("Another")

    monkeypatch.undo()
    settings.WORK_REQUEUE_AFTER = 0
    assert outgoing_email_flush() == 2
    assert sorted(message.subject for message in mail.outbox) == ["Another", "Your next session"]


def test_a_sent_message_keeps_who_and_what_about_but_not_its_body_or_attachments(
    django_capture_on_commit_callbacks,
):
    """Once the mail server has a message, its row keeps the recipients and subject ("did it go?")
    and drops the body, the HTML and the attachments: a sign-in or password link, a certificate.
    Until then the whole message is kept, so a message put back after a failure is sent whole."""
    reset = "https://example.org/accounts/password/reset/key/abc-123/"
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["mentor@example.org"],
            subject="Reset your password",
            body=f"Use this link: {reset}",
            html_body=f"<a href='{reset}'>Reset</a>",
            attachments=[("certificate.pdf", "%PDF-1.7 the certificate", "application/pdf")],
        )
    one = OutgoingEmail.objects.latest("pk")
    many = emails_enqueue(
        [email_message(to=[f"m{index}@example.org"], subject="Sign in", body=reset) for index in range(2)]
    )
    waiting = OutgoingEmail.objects.filter(pk__in=[row.pk for row in many])
    assert all(reset in row.message["body"] for row in waiting)
    outgoing_emails_send(email_ids=[row.pk for row in many])

    assert [message.body for message in mail.outbox] == [f"Use this link: {reset}", reset, reset]
    assert mail.outbox[0].attachments and mail.outbox[0].alternatives
    for row in OutgoingEmail.objects.all():
        assert row.status == OutgoingEmail.Status.SENT
        assert reset not in str(row.message) and "%PDF" not in str(row.message)
        assert row.message["to"] and row.message["subject"] in ("Reset your password", "Sign in")
    assert str(OutgoingEmail.objects.get(pk=one.pk)) == "Sent: Reset your password"


class Killed(BaseException):
    """The process dying outright: nothing after it runs, no handler catches it."""


def test_an_email_sent_again_after_its_worker_died_carries_the_same_message_id(settings, monkeypatch):
    """A worker killed between the mail server taking a message and its row being marked sent leaves
    the claim behind; once stale, the flush sends the message again. The repeat has the Message-ID
    recorded with the message, so mail servers and mail programs see one message, and the sent row
    keeps that identifier to find it in the mail server's log."""
    import core.email

    settings.EMAIL_STALE_AFTER = 300
    settings.SITE_URL = "https://mentoring.example.org"
    outgoing = record()
    other = record("Another")
    mark_sent = core.email._mark_sent

    def killed(email_id, message):
        raise Killed

    monkeypatch.setattr(core.email, "_mark_sent", killed)
    with pytest.raises(Killed):
        outgoing_email_send(email_id=outgoing.pk)
    monkeypatch.setattr(core.email, "_mark_sent", mark_sent)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENDING and len(mail.outbox) == 1

    later = timezone.now() + datetime.timedelta(seconds=301)
    assert outgoing_email_send(email_id=outgoing.pk, now=later) is True
    outgoing_email_send(email_id=other.pk)

    first, again, another = (message.message()["Message-ID"] for message in mail.outbox)
    assert first == again and first != another
    assert first.startswith("<") and first.endswith("@mentoring.example.org>")
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENT and outgoing.message["message_id"] == first
