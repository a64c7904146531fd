"""State changes for people: profiles and roles. Each writes its audit row in the same transaction."""

import secrets
from datetime import timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_record
from core.errors import ApplicationError

from .models import (
    ApiToken,
    DiversityAnswers,
    MenteeProfile,
    MentorProfile,
    RoleAssignment,
    User,
    api_token_digest,
)


@transaction.atomic
def user_profile_update(*, actor, user: User, profile: MentorProfile | MenteeProfile | None = None) -> User:
    """Save a person's name and, if given, their profile; both or neither."""
    user.full_clean(exclude=["password"])
    user.save()
    changed = ["name"]
    if profile is not None:
        profile.full_clean()
        profile.save()
        changed.append(type(profile).__name__.lower())  # the model name, as in _meta.model_name
    audit_record(actor=actor, action="person.update", target=user, details={"changed": changed})
    return user


def suspension_fact_set(*, user: User, suspended: bool) -> None:
    """Record on the person whether a suspension or removal is in effect (safeguarding decides).
    Written with an update so no other field of a possibly stale instance is saved."""
    User.objects.filter(pk=user.pk).exclude(is_suspended=suspended).update(is_suspended=suspended)
    user.is_suspended = suspended


def _audit_role_change(*, actor, action: str, assignment: RoleAssignment) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=assignment.user,
        summary=str(assignment),
        details={
            "role": assignment.role,
            "youth_partner": assignment.youth_partner_id,
            "programme": assignment.programme_id,
        },
    )


@transaction.atomic
def role_assign(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Give a person a role; refuses a duplicate with a clear message."""
    assignment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise ApplicationError("This person already holds that role there.", field="role") from None
    _audit_role_change(actor=actor, action="role.assign", assignment=assignment)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    _audit_role_change(actor=actor, action="role.revoke", assignment=assignment)
    assignment.delete()


@transaction.atomic
def diversity_answers_give(*, user: User, ethnicity: str, disability: str) -> DiversityAnswers:
    """Record or replace a person's own optional monitoring answers, with the time they consented."""
    answers = DiversityAnswers.objects.filter(user=user).first() or DiversityAnswers(user=user)
    answers.ethnicity = ethnicity
    answers.disability = disability
    answers.consented_at = timezone.now()
    answers.full_clean()
    answers.save()
    # The audit row names only the action: the answers themselves stay out of the log.
    audit_record(actor=user, action="diversity.give", target=user)
    return answers


@transaction.atomic
def diversity_answers_withdraw(*, user: User) -> None:
    """Withdraw consent: the answers are deleted, not hidden."""
    deleted, _ = DiversityAnswers.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="diversity.withdraw", target=user)


def _api_token_lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "API_TOKEN_LIFETIME_DAYS", 90))


@transaction.atomic
def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API key for `user`; returns the row and the key, which is never shown again.
    People whose role needs two-factor authentication get a key only once they have set it up."""
    from accounts.security import mfa_required_for

    name = (name or "").strip()
    if not name:
        raise ApplicationError("Give the key a name, so you can recognise it later.", field="name")
    if not user.is_active:
        raise ApplicationError("This account is not active.")
    if mfa_required_for(user) and not is_mfa_enabled(user):
        raise ApplicationError(
            "Your role needs two-factor authentication: set it up before creating an API key."
        )
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        digest=api_token_digest(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + _api_token_lifetime(),
    )
    audit_record(actor=user, action="account.api_token_created", target=token, summary=token.name)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a key (its owner or staff). Revoking a key twice keeps the first revocation."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="account.api_token_revoked",
            target=token,
            summary=f"{token.name} of {token.user.email}",
        )
    return token
