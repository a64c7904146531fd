"""Sign-ins and failed sign-ins go to the audit log (the email tried, never the password); a mentor's
suspension in effect, or its end, is recorded on the person."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.services import suspension_fact_set
from core.audit import audit_record

from .models import MentorSuspension


@receiver(post_save, sender=MentorSuspension, dispatch_uid="safeguarding_suspension_saved")
@receiver(post_delete, sender=MentorSuspension, dispatch_uid="safeguarding_suspension_deleted")
def record_suspension_on_person(sender, instance, **kwargs):
    in_effect = MentorSuspension.objects.filter(
        mentor_id=instance.mentor_id, status=MentorSuspension.Status.IN_EFFECT
    ).exists()
    suspension_fact_set(user=instance.mentor, suspended=in_effect)


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
