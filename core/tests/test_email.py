import smtplib

import pytest
from django.core import mail
from django.db import transaction

from core.email import email_send
from core.tasks import RETRY_POLICY, send_email


def test_email_is_sent_only_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_send(to=["mentor@example.org"], subject="Your next session", body="See you on Tuesday.")
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert mail.outbox[0].body == "See you on Tuesday."
    assert mail.outbox[0].to == ["mentor@example.org"]


def test_no_email_leaves_for_a_rolled_back_change(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_send(to=["mentor@example.org"], subject="Approved", body="You are approved.")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []


def test_every_email_needs_a_plain_text_body(db):
    with pytest.raises(ValueError):
        email_send(to=["a@example.org"], subject="Hello", body="  ", html_body="<p>Hello</p>")


def test_html_alternative_and_attachments_survive_the_queue(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["a@example.org"],
            subject="Session",
            body="Plain text first.",
            html_body="<p>Plain text first.</p>",
            attachments=[("session.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        )
    sent = mail.outbox[0]
    assert sent.alternatives[0][1] == "text/html"
    assert sent.attachments[0][0] == "session.ics"


def test_only_transient_errors_are_retried():
    assert smtplib.SMTPServerDisconnected in RETRY_POLICY["autoretry_for"]
    assert ValueError not in RETRY_POLICY["autoretry_for"]
    assert send_email.autoretry_for == RETRY_POLICY["autoretry_for"]
    assert send_email.max_retries == 6
