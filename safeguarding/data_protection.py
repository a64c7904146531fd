"""Data protection services: a person's own data as JSON."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.audit import audit_record
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
