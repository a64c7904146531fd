"""Outgoing email: rendered now, recorded in the database with the change that caused it, and sent by
a Celery task once the transaction commits (or by the periodic flush if that task is lost).

Every message has a plain-text body; an HTML alternative is optional.
"""

import datetime
import logging
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
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
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data.get("cc"),
        bcc=data.get("bcc"),
        reply_to=data.get("reply_to"),
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
    transaction.on_commit(partial(send_outgoing_email.delay, outgoing.pk))
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
        transaction.on_commit(
            partial(send_outgoing_emails.delay, email_ids[start : start + OUTGOING_EMAIL_BATCH])
        )
    return rows


def outgoing_emails_send(*, email_ids: list[int], now=None) -> int:
    """outgoing_email_send() for many recorded emails over one connection; returns how many this call
    sent. Those nobody else is sending are claimed together; each is marked sent (or put back, as
    outgoing_email_send does) straight after its own attempt. After a failure the others are still
    tried, and then the first error propagates for the task's retry."""
    now = now or timezone.now()
    with transaction.atomic():
        claimable = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids)
            .filter(_claimable(now))
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=claimable).filter(_claimable(now)).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    sent, failure = 0, None
    connection = get_connection()
    try:
        for email_id, data, attempts in OutgoingEmail.objects.filter(
            pk__in=claimable, status=OutgoingEmail.Status.SENDING, claimed_at=now
        ).values_list("pk", "message", "attempts"):
            try:
                connection.open()  # once: it is kept open, and a message sent over it leaves it so
                message = message_from_dict(data)
                message.connection = connection
                message.send()
            except Exception as error:  # noqa: BLE001 - recorded on the row; the first is raised below
                failure = failure or error
                status = (
                    OutgoingEmail.Status.FAILED
                    if attempts >= OUTGOING_EMAIL_MAX_ATTEMPTS
                    else OutgoingEmail.Status.PENDING
                )
                OutgoingEmail.objects.filter(pk=email_id).update(status=status, last_error=str(error)[:300])
                continue
            OutgoingEmail.objects.filter(pk=email_id).update(
                status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    finally:
        connection.close()
    if failure is not None:
        raise failure
    return sent


def outgoing_email_send(*, email_id: int, now=None) -> bool:
    """Send one recorded email if nobody else is sending or has sent it; True when this call sent it.

    The row is claimed by a conditional UPDATE before the mail server is contacted and marked sent
    straight after, so a message goes twice only if the process dies between those two steps. A
    failure puts it back to wait for the next flush, and the error propagates for the task's retry."""
    now = now or timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(_claimable(now))
        .update(status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    outgoing = OutgoingEmail.objects.get(pk=email_id)
    try:
        message_from_dict(outgoing.message).send()
    except Exception as error:
        status = (
            OutgoingEmail.Status.FAILED
            if outgoing.attempts >= OUTGOING_EMAIL_MAX_ATTEMPTS
            else OutgoingEmail.Status.PENDING
        )
        OutgoingEmail.objects.filter(pk=email_id).update(status=status, last_error=str(error)[:300])
        raise
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


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
