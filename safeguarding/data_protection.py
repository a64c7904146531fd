"""Data protection services: a person's own data as JSON."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.audit import audit_record
from core.home_cache import Scopes, home_changed
from core.models import AuditEvent
from mentoring.models import Relationship

from .models import Concern, Message

PROFILE_EXCLUDE = {"id", "user", "created_at", "updated_at"}


def _fields(instance, exclude=PROFILE_EXCLUDE) -> dict:
    if instance is None:
        return None
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


@transaction.atomic
def personal_data_export(*, user: User) -> dict:
    """Everything the platform holds about this person that they may see, machine-readable.

    Other people's contact details are left out; concerns they raised appear with their status only,
    because case records belong to the safeguarding lead.
    """
    relationships = Relationship.objects.filter(Q(mentor=user) | Q(mentee=user)).select_related(
        "mentor", "mentee", "cohort__programme", "cohort__youth_partner"
    )
    messages = (
        Message.objects.filter(Q(relationship__mentor=user) | Q(relationship__mentee=user))
        .filter(Q(status=Message.Status.DELIVERED) | Q(sender=user))
        .select_related("sender")
    )
    data = {
        "exported_at": _when(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "roles": [
                {
                    "role": assignment.role,
                    "youth_partner": str(assignment.youth_partner or ""),
                    "programme": str(assignment.programme or ""),
                }
                for assignment in user.role_assignments.select_related("youth_partner", "programme")
            ],
        },
        "mentor_profile": _fields(getattr(user, "mentor_profile", None)),
        "mentee_profile": _fields(getattr(user, "mentee_profile", None)),
        "diversity_answers": _fields(getattr(user, "diversity_answers", None)),
        "relationships": [
            {
                "mentor": relationship.mentor.get_full_name(),
                "mentee": relationship.mentee.get_full_name(),
                "programme": relationship.cohort.programme.name,
                "youth_partner": relationship.cohort.youth_partner.name,
                "status": relationship.status,
                "started_on": str(relationship.started_on or ""),
                "ended_on": str(relationship.ended_on or ""),
            }
            for relationship in relationships
        ],
        "messages": [
            {
                "relationship": message.relationship_id,
                "from": message.sender.get_full_name(),
                "sent_at": _when(message.sent_at),
                "status": message.status,
                "body": message.body,
            }
            for message in messages
        ],
        "concerns_reported": [
            {
                "reference": concern.reference,
                "reported_at": _when(concern.created_at),
                "status": concern.status,
            }
            for concern in Concern.objects.filter(reporter=user)
        ],
        "sign_in_history": [
            {"action": event.action, "at": _when(event.occurred_at)}
            for event in AuditEvent.objects.filter(actor=user, action__startswith="account.")[:500]
        ],
    }
    audit_record(actor=user, action="data_protection.export", target=user, summary="Downloaded own data")
    return data


REDACTED = "[removed on request]"


def _anonymise(person: User, *, include_messages: bool) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from accounts.models import DiversityAnswers, MenteeProfile, MentorProfile

    person.first_name = "Erased"
    person.last_name = "person"
    person.email = f"erased-{person.pk}@erased.invalid"
    person.is_active = False
    person.set_unusable_password()
    person.save()
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    DiversityAnswers.objects.filter(user=person).delete()
    MentorProfile.objects.filter(user=person).update(bio="", phone="", employer_name="", job_title="")
    MenteeProfile.objects.filter(user=person).update(phone="", address="", shares_contact_with_mentor=False)
    if include_messages:
        Message.objects.filter(sender=person).update(body=REDACTED)
    # The updates above bypass the save signals; the person's save already covers whom they concern.


@transaction.atomic
def erasure_request(*, person: User, actor: User, reason: str, includes_safeguarding: bool = False):
    """Erase a person on request. Safeguarding records are kept; removing the text of their messages
    as well needs a second staff member."""
    from core.errors import ApplicationError

    from .models import ErasureRequest

    if not actor.is_programme_staff:
        raise ApplicationError("Only programme staff can erase a person.")
    if person.pk == actor.pk:
        raise ApplicationError("You cannot erase your own account here.")
    if not reason.strip():
        raise ApplicationError("Give the reason for the erasure.", field="reason")
    erasure = ErasureRequest(
        person=person, reason=reason.strip(), includes_safeguarding=includes_safeguarding, requested_by=actor
    )
    erasure.full_clean()
    erasure.save()
    audit_record(
        actor=actor,
        action="data_protection.erasure_requested",
        target=person,
        summary=f"Erasure #{erasure.pk}" + (" including messages" if includes_safeguarding else ""),
        details={"reason": erasure.reason},
    )
    if not includes_safeguarding:
        _complete_erasure(erasure, actor)
    return erasure


def _complete_erasure(erasure, actor: User) -> None:
    from .models import ErasureRequest

    _anonymise(erasure.person, include_messages=erasure.includes_safeguarding)
    erasure.status = ErasureRequest.Status.COMPLETED
    erasure.completed_at = timezone.now()
    erasure.save(update_fields=["status", "completed_at", "approved_by", "updated_at"])
    audit_record(
        actor=actor,
        action="data_protection.erased",
        target=erasure.person,
        summary=f"Erasure #{erasure.pk} completed",
        details={"reason": erasure.reason, "requested_by": erasure.requested_by_id},
    )


@transaction.atomic
def erasure_approve(*, erasure, actor: User):
    from core.errors import ApplicationError

    from .models import ErasureRequest

    erasure = (
        ErasureRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=erasure.pk)
    )
    if not actor.is_programme_staff:
        raise ApplicationError("Only programme staff can approve an erasure.")
    if erasure.status != ErasureRequest.Status.PENDING:
        raise ApplicationError("This erasure is not waiting for approval.")
    if erasure.requested_by_id == actor.pk:
        raise ApplicationError("A second member of staff must approve this.")
    erasure.approved_by = actor
    _complete_erasure(erasure, actor)
    return erasure


def retention_run(*, today=None) -> dict:
    """The nightly retention job: message text from relationships that ended longer ago than the
    retention period is removed; concerns reaching their review date are flagged on their record once;
    finished outbox rows are cleared."""
    from datetime import timedelta

    from django.conf import settings

    from .models import CaseEntry, OutboxMessage

    today = today or timezone.localdate()
    message_years = getattr(settings, "MESSAGE_RETENTION_YEARS", 6)
    from .services import _add_years

    cutoff = _add_years(today, -message_years)
    with transaction.atomic():
        redacted = (
            Message.objects.filter(relationship__ended_on__lt=cutoff)
            .exclude(body=REDACTED)
            .update(body=REDACTED)
        )
        if redacted:  # the update bypasses the save signals; a held message may show on a home page
            home_changed(Scopes(site=True))
        due = Concern.objects.filter(retain_until__lte=today).exclude(entries__details__review_due=True)
        flagged = 0
        for concern in due:
            CaseEntry.objects.create(
                concern=concern,
                kind=CaseEntry.Kind.SYSTEM,
                text="The retention date has been reached: review whether this record is still needed.",
                details={"review_due": True},
            )
            flagged += 1
        cleared = OutboxMessage.objects.filter(
            status=OutboxMessage.Status.DONE, done_at__lt=timezone.now() - timedelta(days=90)
        ).delete()[0]
        if redacted or flagged:
            audit_record(
                actor=None,
                action="data_protection.retention_run",
                summary=f"{redacted} message(s) removed, {flagged} concern(s) due for review",
            )
    return {"messages_redacted": redacted, "concerns_flagged": flagged, "outbox_cleared": cleared}
