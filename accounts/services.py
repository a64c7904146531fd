"""State changes for people: profiles and roles. Each writes its audit row in the same transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_record
from core.errors import ApplicationError

from .models import DiversityAnswers, MenteeProfile, MentorProfile, RoleAssignment, User


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
