"""Account security: MFA for the roles that can see children's data, session timeouts, sessions ended
on deactivation, and the admin sign-in routed through the throttled allauth form.

Other apps add reasons for a person to need MFA with `register_mfa_requirement` (safeguarding: a
programme that requires it of its mentors), so this module knows no app above accounts."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.account.signals import user_logged_in as allauth_logged_in
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record

MFA_SETUP_FLAG = "mfa_setup_required"
STARTED_AT = "session_started_at"
LAST_ACTIVITY = "session_last_activity"
# Saving the session on every request would be a write per page; a minute's precision is plenty.
ACTIVITY_PRECISION_SECONDS = 60


_mfa_requirements: dict[str, list[Callable]] = {}


def register_mfa_requirement(role: str, requirement: Callable) -> None:
    """Ask `requirement(user)` whether a person holding `role` needs MFA beyond MFA_REQUIRED_ROLES."""
    _mfa_requirements.setdefault(role, []).append(requirement)


def mfa_required_for(user) -> bool:
    """Staff, coordinators and DSLs always, and anyone who can open the admin; others when a
    registered requirement says so (a mentor whose programme requires it)."""
    required = set(getattr(settings, "MFA_REQUIRED_ROLES", ()))
    if user.is_superuser or user.is_staff or user.roles & required:
        return True
    return any(
        requirement(user) for role in sorted(user.roles) for requirement in _mfa_requirements.get(role, ())
    )


@receiver(allauth_logged_in, dispatch_uid="accounts_mfa_at_login")
def flag_missing_mfa(sender, request, user, **kwargs):
    """Signing in through the sign-in form is where the requirement is checked: people whose role needs
    MFA and who have none are kept on the MFA set-up pages until they have added it."""
    if mfa_required_for(user) and not is_mfa_enabled(user):
        request.session[MFA_SETUP_FLAG] = True


def _exempt(path: str) -> bool:
    prefixes = ("/accounts/", settings.STATIC_URL, "/healthz")
    return path.startswith(prefixes)


class RequireMFAMiddleware:
    """Until a flagged person has MFA, every page except the account pages sends them to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(MFA_SETUP_FLAG) and request.user.is_authenticated:
            if is_mfa_enabled(request.user):
                del session[MFA_SETUP_FLAG]
            elif not _exempt(request.path):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Set up two-factor authentication first."}, status=403)
                messages.warning(request, "Your role needs two-factor authentication. Please set it up now.")
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Server-side idle and absolute limits: a session left alone, or simply too old, is ended."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED_AT, now)
            last = session.get(LAST_ACTIVITY, now)
            idle_limit = getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60)
            absolute_limit = getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
            if now - last > idle_limit or now - started > absolute_limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Your session has ended. Please sign in again."}, status=403
                    )
                messages.info(request, "For your security you were signed out. Please sign in again.")
                return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
            if now - last > ACTIVITY_PRECISION_SECONDS or LAST_ACTIVITY not in session:
                session[LAST_ACTIVITY] = now
                # Saved now, before the page does its work, rather than after it. Saved after, a
                # database lost between the page's commit and the session's save would turn a change
                # that did save into an error page ("the session was interrupted", 400), and the
                # person would write it again. Saved now, a database already gone fails the request
                # before anything is written.
                if session.session_key is not None:
                    session.save()
                    session.modified = False
        return self.get_response(request)


def end_sessions_of(user) -> int:
    """Delete every stored session that belongs to this person."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_end_sessions_on_deactivate")
def end_sessions_on_deactivation(sender, instance, created, update_fields=None, **kwargs):
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    if end_sessions_of(instance):
        audit_record(actor=None, action="account.sessions_ended", target=instance, summary="Deactivated")


def admin_login(request, extra_context=None):
    """The admin has no sign-in form of its own: everyone signs in through allauth, which throttles
    failed attempts and asks for the second factor."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated and request.user.is_staff:
        return HttpResponseRedirect(reverse("admin:index"))
    return redirect_to_login(next_url, reverse("account_login"))
