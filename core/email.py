"""Outgoing email: rendered now, recorded in the database with the change that caused it, and sent by
a Celery task once the transaction commits (or by the periodic flush if that task is lost).

Every message has a plain-text body; an HTML alternative is optional.
"""

import datetime
import logging
import signal
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# After this many failed attempts a message is marked failed and left for a person to look at.
OUTGOING_EMAIL_MAX_ATTEMPTS = 8
# Emails recorded together are sent by tasks of at most this many, each over one connection.
OUTGOING_EMAIL_BATCH = 200
# Sent messages are kept this long (to answer "did it go?"), then deleted: they hold personal data.
OUTGOING_EMAIL_KEEP = datetime.timedelta(days=14)


def absolute_url(path: str) -> str:
    """A link people can follow from an email or a calendar file: the site's public address (SITE_URL,
    which `make demo` sets from HOST and PORT) and the path. The only place links are made absolute."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def absolute_reverse(name: str, *args, **kwargs) -> str:
    """absolute_url() of a named URL."""
    return absolute_url(reverse(name, args=args or None, kwargs=kwargs or None))


def site_hostname() -> str:
    """The host of SITE_URL, for identifiers such as calendar UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_to_dict(message: EmailMultiAlternatives) -> dict:
    """The message as the outbox keeps it, with its Message-ID fixed now: a message sent again after
    a worker died between the mail server taking it and its row being marked sent carries the same
    identifier, which is how mail servers and mail programs recognise a repeat and keep one copy."""
    alternatives = [(content, mimetype) for content, mimetype in getattr(message, "alternatives", [])]
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, bytes):
            content = content.decode()
        attachments.append((filename, content, mimetype))
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "alternatives": alternatives,
        "attachments": attachments,
        "message_id": _message_id(message),
    }


def _message_id(message: EmailMultiAlternatives) -> str:
    for name, value in message.extra_headers.items():
        if name.lower() == "message-id":
            return str(value)
    return make_msgid(domain=site_hostname())


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data.get("cc"),
        bcc=data.get("bcc"),
        reply_to=data.get("reply_to"),
        headers={"Message-ID": data["message_id"]} if data.get("message_id") else None,
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data.get("attachments", []):
        message.attach(filename, content, mimetype)
    return message


def email_send(
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Queue an email for sending when the current transaction commits (at once outside one)."""
    email_enqueue(
        email_message(to=to, subject=subject, body=body, html_body=html_body, attachments=attachments)
    )


def email_message(
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> EmailMultiAlternatives:
    """The message email_send() queues, for queueing many at once with emails_enqueue()."""
    if not body.strip():
        raise ValueError("Every email needs a plain-text body.")
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


def email_enqueue(message: EmailMultiAlternatives) -> OutgoingEmail:
    """Record the message in the current transaction and send it from a task once that commits.

    If the task is lost (broker restarted, worker killed) the periodic flush sends the row later;
    a rolled-back change leaves no row, so nothing is sent."""
    from .tasks import send_outgoing_email

    outgoing = OutgoingEmail.objects.create(message=message_to_dict(message))
    send_outgoing_email.delay_on_commit(outgoing.pk)
    return outgoing


def emails_enqueue(messages: list[EmailMultiAlternatives]) -> list[OutgoingEmail]:
    """email_enqueue() for many messages at once: recorded in one INSERT, and sent once the transaction
    commits by tasks of up to OUTGOING_EMAIL_BATCH messages, each over one mail-server connection."""
    from .tasks import send_outgoing_emails

    rows = OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(message=message_to_dict(message)) for message in messages]
    )
    email_ids = [row.pk for row in rows]
    for start in range(0, len(email_ids), OUTGOING_EMAIL_BATCH):
        send_outgoing_emails.delay_on_commit(email_ids[start : start + OUTGOING_EMAIL_BATCH])
    return rows


def outgoing_emails_send(*, email_ids: list[int], now=None) -> int:
    """outgoing_email_send() for many recorded emails over one connection; returns how many this call
    sent. Each message is claimed just before it is sent, by a conditional UPDATE stamped at that
    moment, so a long batch never makes its last messages look abandoned (EMAIL_STALE_AFTER) while it
    is still sending them, and a second run of the same batch (a broker redelivery) skips every message
    the first has claimed. Each is marked sent (or put back, as outgoing_email_send does) straight
    after its own attempt. After a failure the others are still tried, and then the first error
    propagates for the task's retry."""
    due = OutgoingEmail.objects.filter(pk__in=email_ids).filter(_claimable(now or timezone.now()))
    sent, failure = 0, None
    connection = get_connection()
    try:
        for email_id, data in due.values_list("pk", "message"):
            if not _claim(email_id, now or timezone.now()):
                continue  # another run of this batch, or the flush, has it
            with _termination_deferred():
                try:
                    connection.open()  # once: it is kept open, and a message sent over it leaves it so
                    message = message_from_dict(data)
                    message.connection = connection
                    message.send()
                except Exception as error:  # noqa: BLE001 - recorded on the row; the first is raised below
                    failure = failure or error
                    _put_back(email_id, error)
                    continue
                _mark_sent(email_id, data)
            sent += 1
    finally:
        connection.close()
    if failure is not None:
        raise failure
    return sent


def outgoing_email_send(*, email_id: int, now=None) -> bool:
    """Send one recorded email if nobody else is sending or has sent it; True when this call sent it.

    The row is claimed by a conditional UPDATE before the mail server is contacted and marked sent
    straight after, with termination held off in between (see _termination_deferred), so a message
    goes twice only if the process is killed outright (SIGKILL, power) between those two steps, and
    then with the Message-ID it was recorded with, so the receiving side keeps one copy. A
    failure puts it back to wait for the next flush, and the error propagates for the task's retry."""
    if not _claim(email_id, now or timezone.now()):
        return False
    outgoing = OutgoingEmail.objects.get(pk=email_id)
    with _termination_deferred():
        try:
            message_from_dict(outgoing.message).send()
        except Exception as error:
            _put_back(email_id, error)
            raise
        _mark_sent(email_id, outgoing.message)
    return True


def _claim(email_id: int, now) -> bool:
    return bool(
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(_claimable(now))
        .update(status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


# What a sent message keeps of itself: enough to answer "did it go, to whom, about what?" (and to find
# it in the mail server's log by its Message-ID). The body,
# its HTML and its attachments are dropped once the mail server has them: they may hold a link that
# signs a person in or resets a password, and a certificate's PDF.
SENT_KEEPS = ("subject", "from_email", "to", "cc", "bcc", "reply_to", "message_id")


def _mark_sent(email_id: int, message: dict) -> None:
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        message={key: message[key] for key in SENT_KEEPS if key in message},
    )


def _put_back(email_id: int, error: Exception) -> None:
    """After a failed attempt: waiting for the next flush, or failed for good after the last attempt."""
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=Case(
            When(attempts__gte=OUTGOING_EMAIL_MAX_ATTEMPTS, then=Value(OutgoingEmail.Status.FAILED)),
            default=Value(OutgoingEmail.Status.PENDING),
        ),
        last_error=str(error)[:300],
    )


@contextmanager
def _termination_deferred():
    """Hold off SIGTERM between handing a message to the mail server and recording that it went.

    Celery terminates a running task with SIGTERM when the worker loses the broker (the setting
    CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS) or when it is revoked. Arriving between
    the two steps, it would leave a sent message looking unsent, and the flush would send it again.
    The signal is kept and delivered as soon as the message is recorded. Only the main thread of a
    process can handle signals; elsewhere (and where the handler was not set from Python) nothing is
    deferred."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is None:
        yield
        return
    received: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if received:
            signal.raise_signal(signal.SIGTERM)


def _claimable(now) -> Q:
    stale = now - datetime.timedelta(seconds=settings.EMAIL_STALE_AFTER)
    return Q(status=OutgoingEmail.Status.PENDING) | Q(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=stale
    )


def outgoing_emails_due(*, now=None):
    """Emails whose own task should have sent them by now: waiting since before WORK_REQUEUE_AFTER,
    or claimed by a worker that died (EMAIL_STALE_AFTER)."""
    now = now or timezone.now()
    waiting_since = now - datetime.timedelta(seconds=settings.WORK_REQUEUE_AFTER)
    return OutgoingEmail.objects.filter(_claimable(now)).exclude(
        status=OutgoingEmail.Status.PENDING, created_at__gt=waiting_since
    )


def outgoing_email_flush(*, now=None, limit: int = 2000) -> int:
    """Send what is due (see outgoing_emails_due), oldest first, and forget sent emails older than
    OUTGOING_EMAIL_KEEP. Returns how many this call sent."""
    now = now or timezone.now()
    sent = 0
    for email_id in outgoing_emails_due(now=now).order_by("pk").values_list("pk", flat=True)[:limit]:
        try:
            # Each claim is stamped when it is made: a flush can take longer than EMAIL_STALE_AFTER,
            # and a claim stamped with its start would look stale to the next flush while it sends.
            sent += outgoing_email_send(email_id=email_id)
        except Exception:  # noqa: BLE001 - one bad message must not stop the others; it stays recorded
            logger.exception("Outgoing email %s could not be sent", email_id)
    OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENT, sent_at__lt=now - OUTGOING_EMAIL_KEEP
    ).delete()
    return sent
