"""Outgoing email: rendered now, sent by a Celery task once the transaction commits.

Every message has a plain-text body; an HTML alternative is optional.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse


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
    if not body.strip():
        raise ValueError("Every email needs a plain-text body.")
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    email_enqueue(message)


def email_enqueue(message: EmailMultiAlternatives) -> None:
    from .tasks import send_email

    data = message_to_dict(message)
    transaction.on_commit(lambda: send_email.delay(data))
