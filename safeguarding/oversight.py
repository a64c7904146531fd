"""Services for mentor suspension and removal, off-platform meetings and the gifts register."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core import policy
from core.audit import audit_record
from core.email import email_send
from core.errors import ApplicationError
from mentoring import moderation
from mentoring.models import HeldText, Relationship

from .models import GiftDeclaration, MeetingRequest, MentorSuspension, ProgrammeSafeguarding


def _coordinators_of(relationships) -> list[str]:
    partner_ids = {
        r.mentee.mentee_profile.youth_partner_id for r in relationships if hasattr(r.mentee, "mentee_profile")
    }
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                role_assignments__role=Role.COORDINATOR,
                role_assignments__youth_partner_id__in=partner_ids,
            ).values_list("email", flat=True)
        )
    )


def _put_into_effect(suspension: MentorSuspension, actor: User) -> None:
    relationships = list(
        Relationship.objects.open().filter(mentor=suspension.mentor).select_related("mentee__mentee_profile")
    )
    if suspension.action == MentorSuspension.Action.REMOVE:
        Relationship.objects.filter(pk__in=[r.pk for r in relationships]).update(
            status=Relationship.Status.ENDED_EARLY, ended_on=timezone.localdate()
        )
        what = "removed from the programme"
    else:
        Relationship.objects.filter(pk__in=[r.pk for r in relationships]).update(
            status=Relationship.Status.PAUSED
        )
        what = "suspended"
    suspension.status = MentorSuspension.Status.IN_EFFECT
    suspension.effective_at = timezone.now()
    suspension.save(update_fields=["status", "effective_at", "approved_by", "updated_at"])
    audit_record(
        actor=actor,
        action=f"safeguarding.mentor_{suspension.action}",
        target=suspension.mentor,
        summary=f"{suspension.get_ground_display()}; {len(relationships)} relationship(s) affected",
    )
    coordinators = _coordinators_of(relationships)
    if coordinators:
        email_send(
            to=coordinators,
            subject=f"A mentor at your organisation has been {what}",
            body=(
                f"{suspension.mentor.get_full_name()} has been {what}. Their mentoring relationships "
                "with your young people are on hold and they can no longer send messages. "
                "Programme staff will be in touch about next steps."
            ),
        )
    email_send(
        to=[suspension.mentor.email],
        subject=f"Your mentoring role has been {what}",
        body=(
            f"Dear {suspension.mentor.first_name},\n\nYour role as a mentor has been {what} "
            f"({suspension.get_ground_display().lower()}). Your relationships are on hold and messaging is "
            "closed while this is in effect. A member of the programme team will contact you to explain "
            "what happens next."
        ),
    )


@transaction.atomic
def mentor_suspension_request(
    *, mentor: User, actor: User, action: str, ground: str, reason: str
) -> MentorSuspension:
    """Suspend at once, or ask a second staff member to approve a removal."""
    policy.require(actor, "safeguarding.manage", refuse_with=ApplicationError)
    if Role.MENTOR not in mentor.roles:
        raise ApplicationError("This person is not a mentor.")
    if MentorSuspension.objects.filter(
        mentor=mentor,
        action=action,
        status__in=[MentorSuspension.Status.PENDING, MentorSuspension.Status.IN_EFFECT],
    ).exists():
        raise ApplicationError("This is already in place or waiting for approval.")
    suspension = MentorSuspension(
        mentor=mentor, action=action, ground=ground, reason=reason.strip(), requested_by=actor
    )
    suspension.full_clean()
    suspension.save()
    audit_record(actor=actor, action=f"safeguarding.mentor_{action}_requested", target=mentor, summary=ground)
    if action == MentorSuspension.Action.SUSPEND:
        _put_into_effect(suspension, actor)
    return suspension


@transaction.atomic
def mentor_removal_approve(*, suspension: MentorSuspension, actor: User) -> MentorSuspension:
    policy.require(actor, "safeguarding.manage", refuse_with=ApplicationError)
    suspension = MentorSuspension.objects.select_for_update(of=("self",)).get(pk=suspension.pk)
    if suspension.status != MentorSuspension.Status.PENDING:
        raise ApplicationError("This is not waiting for approval.")
    if suspension.requested_by_id == actor.pk:
        raise ApplicationError("A second member of staff must approve this.")
    suspension.approved_by = actor
    _put_into_effect(suspension, actor)
    return suspension


@transaction.atomic
def mentor_suspension_lift(*, suspension: MentorSuspension, actor: User) -> MentorSuspension:
    policy.require(actor, "safeguarding.manage", refuse_with=ApplicationError)
    suspension = MentorSuspension.objects.select_for_update(of=("self",)).get(pk=suspension.pk)
    if (
        suspension.action != MentorSuspension.Action.SUSPEND
        or suspension.status != MentorSuspension.Status.IN_EFFECT
    ):
        raise ApplicationError("Only a suspension in effect can be lifted.")
    suspension.status = MentorSuspension.Status.LIFTED
    suspension.save(update_fields=["status", "updated_at"])
    paused = Relationship.objects.filter(mentor=suspension.mentor, status=Relationship.Status.PAUSED)
    paused.update(status=Relationship.Status.ACTIVE)
    audit_record(actor=actor, action="safeguarding.mentor_suspension_lifted", target=suspension.mentor)
    return suspension


# Off-platform meetings --------------------------------------------------------------------------


@transaction.atomic
def meeting_request_create(
    *,
    relationship: Relationship,
    actor: User,
    place: str,
    purpose: str,
    proposed_for: datetime.datetime,
    checked: bool = False,
) -> MeetingRequest | HeldText:
    """Ask to meet elsewhere. The other side of the pair sees the request: one whose place or purpose
    seems to contain contact details is held for a check and made only when released (`checked`)."""
    if actor.pk not in (relationship.mentor_id, relationship.mentee_id):
        raise ApplicationError("Only the mentor or mentee can ask for this.")
    if not relationship.is_open:
        raise ApplicationError("This relationship is not open.")
    if proposed_for <= timezone.now():
        raise ApplicationError("Choose a time in the future.", field="proposed_for")
    if "home" in place.lower():
        raise ApplicationError(
            "Meetings never happen at anyone's home. Choose a public place.", field="place"
        )
    meeting = MeetingRequest(
        relationship=relationship,
        requested_by=actor,
        place=place.strip(),
        purpose=purpose.strip(),
        proposed_for=proposed_for,
    )
    meeting.full_clean()
    texts = {"place": meeting.place, "purpose": meeting.purpose}
    found = [] if checked else moderation.contact_details_to_hold(relationship, actor, **texts)
    if found:
        return moderation.held_text_create(
            relationship=relationship,
            author=actor,
            kind=HeldText.Kind.MEETING_REQUEST,
            texts=texts,
            found=found,
            data={"proposed_for": proposed_for.isoformat()},
        )
    meeting.save()
    audit_record(actor=actor, action="safeguarding.meeting_requested", target=meeting, summary=meeting.place)
    return meeting


def _release_meeting_request(held: HeldText) -> MeetingRequest:
    proposed_for = datetime.datetime.fromisoformat(held.data["proposed_for"])
    return meeting_request_create(
        relationship=held.relationship,
        actor=held.author,
        proposed_for=proposed_for,
        checked=True,
        **held.texts,
    )


moderation.register_releaser(HeldText.Kind.MEETING_REQUEST, _release_meeting_request, MeetingRequest)


@transaction.atomic
def meeting_request_decide(
    *, meeting: MeetingRequest, actor: User, approve: bool, guardian_agreed: str = "", note: str = ""
) -> MeetingRequest:
    """The coordinator decides; an under-18's meeting needs the parent or guardian's agreement recorded."""
    meeting = (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("relationship__mentee__mentee_profile")
        .get(pk=meeting.pk)
    )
    if meeting.status != MeetingRequest.Status.PENDING:
        raise ApplicationError("This request has already been decided.")
    profile = getattr(meeting.relationship.mentee, "mentee_profile", None)
    if approve and (profile is None or profile.is_under_18) and not guardian_agreed.strip():
        raise ApplicationError(
            "For a young person under 18, record who of their parents or guardians agreed, and when.",
            field="guardian_agreed",
        )
    meeting.status = MeetingRequest.Status.APPROVED if approve else MeetingRequest.Status.REFUSED
    meeting.guardian_agreed = guardian_agreed.strip()
    meeting.decision_note = note.strip()
    meeting.decided_by = actor
    meeting.decided_at = timezone.now()
    meeting.save()
    audit_record(actor=actor, action=f"safeguarding.meeting_{meeting.status}", target=meeting)
    return meeting


# Gifts and hospitality --------------------------------------------------------------------------


def gift_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "GIFT_APPROVAL_THRESHOLD", "25.00")))


@transaction.atomic
def gift_declare(
    *, mentor: User, direction: str, description: str, value: Decimal, given_on
) -> GiftDeclaration:
    if Role.MENTOR not in mentor.roles:
        raise ApplicationError("Only mentors declare gifts here.")
    if given_on > timezone.localdate():
        raise ApplicationError("The date cannot be in the future.", field="given_on")
    gift = GiftDeclaration(
        mentor=mentor,
        direction=direction,
        description=description.strip(),
        value=value,
        given_on=given_on,
        status=GiftDeclaration.Status.PENDING
        if value > gift_threshold()
        else GiftDeclaration.Status.RECORDED,
    )
    gift.full_clean()
    gift.save()
    audit_record(actor=mentor, action="safeguarding.gift_declared", target=gift, summary=f"£{value}")
    return gift


@transaction.atomic
def gift_decide(*, gift: GiftDeclaration, actor: User, approve: bool) -> GiftDeclaration:
    policy.require(actor, "safeguarding.manage", refuse_with=ApplicationError)
    gift = GiftDeclaration.objects.select_for_update(of=("self",)).get(pk=gift.pk)
    if gift.status != GiftDeclaration.Status.PENDING:
        raise ApplicationError("This declaration does not need a decision.")
    gift.status = GiftDeclaration.Status.APPROVED if approve else GiftDeclaration.Status.REFUSED
    gift.decided_by = actor
    gift.decided_at = timezone.now()
    gift.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action=f"safeguarding.gift_{gift.status}", target=gift)
    return gift


def mentor_mfa_required_by_programme(mentor: User) -> bool:
    """A mentor needs MFA when a programme they mentor in requires it of its mentors."""
    return ProgrammeSafeguarding.objects.filter(
        mentor_mfa=ProgrammeSafeguarding.MentorMFA.REQUIRED,
        programme__cohorts__relationships__mentor=mentor,
    ).exists()


@transaction.atomic
def programme_safeguarding_save(*, settings: ProgrammeSafeguarding, actor: User) -> ProgrammeSafeguarding:
    settings.full_clean()
    settings.save()
    audit_record(
        actor=actor,
        action="safeguarding.programme_settings_changed",
        target=settings.programme,
        summary=f"Mentor MFA: {settings.get_mentor_mfa_display()}",
    )
    return settings
