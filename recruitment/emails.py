"""Recruitment emails: plain-text bodies from templates, sent only once the change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.email import absolute_url as core_absolute_url
from core.email import email_send


def absolute_url(name: str, **kwargs) -> str:
    return core_absolute_url(reverse(name, kwargs=kwargs))


def _render(subject: str, template: str, context: dict) -> tuple[str, str]:
    body = render_to_string(f"recruitment/email/{template}.txt", {"site_name": settings.SITE_NAME, **context})
    return f"[{settings.SITE_NAME}] {subject}", body


def send_now(*, to: str, subject: str, template: str, context: dict) -> None:
    """Render `recruitment/email/<template>.txt` and send it at once (plain text)."""
    subject, body = _render(subject, template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


def send_on_commit(*, to: str, subject: str, template: str, context: dict) -> None:
    """Render a status email now and record it in the outbox with the change that caused it: it is
    sent once that commits, and by the periodic flush if its task is lost (`core.email.email_send`).

    Only for emails that carry no secret: links are sent by `services.link_email_deliver`.
    """
    subject, body = _render(subject, template, context)
    email_send(to=[to], subject=subject, body=body)
