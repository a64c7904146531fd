"""Recruitment emails: plain-text bodies from templates, sent only once the change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse


def absolute_url(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def send_on_commit(*, to: str, subject: str, template: str, context: dict) -> None:
    """Render `recruitment/email/<template>.txt` and send it when the current transaction commits."""
    body = render_to_string(f"recruitment/email/{template}.txt", {"site_name": settings.SITE_NAME, **context})
    subject = f"[{settings.SITE_NAME}] {subject}"
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    )
