"""Sign-ins and failed sign-ins go to the audit log (the email tried, never the password)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit import audit_record


@receiver(user_logged_in, dispatch_uid="safeguarding_audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="account.login", target=user, summary="Signed in")


@receiver(user_logged_out, dispatch_uid="safeguarding_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="account.logout", target=user, summary="Signed out")


@receiver(user_login_failed, dispatch_uid="safeguarding_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    tried = str(credentials.get("email") or credentials.get("username") or "")[:120]
    audit_record(actor=None, action="account.login_failed", summary=f"Failed sign-in for {tried}")
