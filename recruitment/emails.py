"""Recruitment emails: plain-text bodies from templates, sent only once the change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.dispatch import delay_on_commit
from core.email import absolute_url as core_absolute_url


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
    """Render a status email now and hand it to a worker once the current transaction commits.

    Only for emails that carry no secret: links are sent by `services.link_email_deliver`.
    """
    from .tasks import deliver_email

    subject, body = _render(subject, template, context)
    delay_on_commit(deliver_email, to, subject, body)
