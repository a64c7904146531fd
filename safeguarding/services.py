"""Safeguarding actions: raising and handling concerns, messages, and the outbox that delivers alerts."""

from __future__ import annotations

import datetime
import logging
import os
import re
from collections.abc import Callable

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import MenteeProfile, Role, User
from core import uploads
from core.audit import audit_reads, audit_record
from core.email import absolute_url, email_send
from core.errors import ApplicationError
from mentoring.models import HeldText, Relationship
from programmes.models import Programme

from .models import CaseEntry, Concern, Message, MessageAttachment, OutboxMessage
from .screening import contact_details_found

logger = logging.getLogger(__name__)

RETENTION_YEARS = 25


def _acknowledge_within() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "SAFEGUARDING_ACKNOWLEDGE_HOURS", 4))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _absolute(path: str) -> str:
    return absolute_url(path)


# Routing ----------------------------------------------------------------------------------------


def _active_leads(**assignment) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.SAFEGUARDING_LEAD,
            **{f"role_assignments__{key}": value for key, value in assignment.items()},
        )
        .order_by("role_assignments__is_deputy", "first_name", "id")
        .distinct()
    )


def programme_safeguarding_leads(*, programme: Programme | None) -> list[User]:
    """The programme's DSLs and deputies; any programme DSL when the programme has none."""
    leads = []
    if programme is not None:
        leads = _active_leads(programme=programme, youth_partner__isnull=True)
    if not leads:
        leads = _active_leads(programme__isnull=False, youth_partner__isnull=True)
    return leads


def safeguarding_leads_for(*, youth_partner, programme) -> list[User]:
    """The youth partner's DSLs and deputies, else the programme's."""
    leads = _active_leads(youth_partner=youth_partner) if youth_partner is not None else []
    return leads or programme_safeguarding_leads(programme=programme)


def _programme_of(*, young_person: User | None, reporter: User) -> Programme | None:
    if young_person is not None:
        profile = MenteeProfile.objects.select_related("cohort").filter(user=young_person).first()
        if profile and profile.cohort:
            return profile.cohort.programme
        relationship = Relationship.objects.filter(mentee=young_person).select_related("cohort").first()
        if relationship:
            return relationship.cohort.programme
    relationship = (
        Relationship.objects.filter(Q(mentor=reporter) | Q(mentee=reporter)).select_related("cohort").first()
    )
    return relationship.cohort.programme if relationship else None


def concern_subjects_for(*, user):
    """The young people this person may raise a concern about by name."""
    profiles = MenteeProfile.objects.all()
    condition = Q(user=user)
    if Role.MENTOR in user.roles:
        condition |= Q(user__mentee_relationships__mentor=user)
    partner_ids = user.coordinated_partner_ids | user.safeguarding_partner_ids
    if partner_ids:
        condition |= Q(youth_partner_id__in=partner_ids)
    if user.is_programme_staff:
        condition = Q()
    return User.objects.filter(pk__in=profiles.filter(condition).values("user_id")).order_by("first_name")


# Concerns ---------------------------------------------------------------------------------------


def _outbox_add(*, topic: str, payload: dict, available_at=None) -> OutboxMessage:
    message = OutboxMessage.objects.create(
        topic=topic, payload=payload, available_at=available_at or timezone.now()
    )
    from .tasks import outbox_dispatch

    outbox_dispatch.delay_on_commit()
    return message


@transaction.atomic
def concern_raise(
    *, reporter: User, kind: str, happened_at, who_is_at_risk: str, facts: str, **fields
) -> Concern:
    """Record a concern as reported, route it to the right DSL and queue their alert and its escalation."""
    young_person = fields.get("young_person")
    if (
        young_person is not None
        and not concern_subjects_for(user=reporter).filter(pk=young_person.pk).exists()
    ):
        raise ApplicationError("Choose a young person from the list.", field="young_person")
    if kind == Concern.Kind.ADULT and not fields.get("adult_concerned", "").strip():
        raise ApplicationError("Say which adult this is about.", field="adult_concerned")
    if happened_at and happened_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ApplicationError("This cannot be in the future.", field="happened_at")
    profile = getattr(young_person, "mentee_profile", None) if young_person else None
    youth_partner = profile.youth_partner if profile else None
    programme = _programme_of(young_person=young_person, reporter=reporter)
    # Allegations about adults go to the programme's DSL, who liaises with the LADO.
    if kind == Concern.Kind.ADULT:
        leads = programme_safeguarding_leads(programme=programme) or safeguarding_leads_for(
            youth_partner=youth_partner, programme=None
        )
    else:
        leads = safeguarding_leads_for(youth_partner=youth_partner, programme=programme)
    now = timezone.now()
    today = timezone.localdate()
    concern = Concern(
        kind=kind,
        reporter=reporter,
        happened_at=happened_at,
        who_is_at_risk=who_is_at_risk,
        facts=facts,
        youth_partner=youth_partner,
        programme=programme,
        assigned_to=leads[0] if leads else None,
        acknowledge_by=now + _acknowledge_within(),
        retain_until=_add_years(profile.date_of_birth if profile else today, RETENTION_YEARS),
        **fields,
    )
    concern.full_clean()
    concern.save()
    told = ", ".join(lead.get_full_name() or lead.email for lead in leads) or "no safeguarding lead on record"
    CaseEntry.objects.create(
        concern=concern,
        kind=CaseEntry.Kind.SYSTEM,
        author=None,
        text=f"Received from {reporter.get_full_name() or reporter.email}. Sent to: {told}.",
        details={"told_user_ids": [lead.pk for lead in leads]},
    )
    _outbox_add(topic="concern.notify", payload={"concern_id": concern.pk})
    _outbox_add(
        topic="concern.escalate", payload={"concern_id": concern.pk}, available_at=concern.acknowledge_by
    )
    audit_record(
        actor=reporter, action="safeguarding.concern_raised", target=concern, summary=concern.reference
    )
    return concern


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)


@transaction.atomic
def concern_acknowledge(*, concern: Concern, actor: User) -> Concern:
    """A DSL takes the concern on; this stops the escalation clock."""
    concern = _locked(concern)
    if concern.is_acknowledged:
        raise ApplicationError("This concern has already been acknowledged.")
    concern.status = Concern.Status.ACKNOWLEDGED
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = actor
    if concern.assigned_to_id is None:
        concern.assigned_to = actor
    concern.full_clean()
    concern.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "assigned_to", "updated_at"])
    CaseEntry.objects.create(concern=concern, kind=CaseEntry.Kind.STATUS, author=actor, text="Acknowledged.")
    audit_record(
        actor=actor, action="safeguarding.concern_acknowledged", target=concern, summary=concern.reference
    )
    return concern


@transaction.atomic
def case_entry_add(
    *, concern: Concern, actor: User, kind: str, text: str, agency: str = "", told_whom: str = ""
) -> CaseEntry:
    """Append to the chronology; referrals, decisions not to refer and outcomes move the status on."""
    concern = _locked(concern)
    text = text.strip()
    if not concern.is_acknowledged:
        raise ApplicationError("Acknowledge the concern before adding to its record.")
    if kind not in {
        CaseEntry.Kind.NOTE,
        CaseEntry.Kind.TOLD,
        CaseEntry.Kind.REFERRAL,
        CaseEntry.Kind.NO_REFERRAL,
        CaseEntry.Kind.OUTCOME,
    }:
        raise ApplicationError("Choose what kind of entry this is.", field="kind")
    if not text:
        raise ApplicationError("Write what happened or what was decided.", field="text")
    if kind in (CaseEntry.Kind.REFERRAL, CaseEntry.Kind.NO_REFERRAL) and not agency:
        raise ApplicationError("Say which agency.", field="agency")
    if kind == CaseEntry.Kind.TOLD and not told_whom.strip():
        raise ApplicationError("Say who was told.", field="told_whom")
    if concern.status == Concern.Status.CLOSED and kind == CaseEntry.Kind.OUTCOME:
        raise ApplicationError("This concern already has an outcome.", field="kind")
    entry = CaseEntry(
        concern=concern, kind=kind, author=actor, text=text, agency=agency, told_whom=told_whom.strip()
    )
    entry.full_clean()
    entry.save()
    status_after: dict[str, str] = {
        CaseEntry.Kind.REFERRAL: Concern.Status.REFERRED,
        CaseEntry.Kind.OUTCOME: Concern.Status.CLOSED,
    }
    new_status = status_after.get(kind)
    if new_status is None and concern.status == Concern.Status.ACKNOWLEDGED:
        new_status = Concern.Status.IN_PROGRESS
    if new_status and concern.status != Concern.Status.CLOSED:
        concern.status = new_status
        concern.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="safeguarding.case_entry_added",
        target=concern,
        summary=f"{concern.reference}: {entry.get_kind_display()}",
    )
    return entry


@transaction.atomic
def concern_keep_messages(*, concern: Concern, actor: User, relationship: Relationship) -> CaseEntry:
    """Keep a snapshot of a relationship's messages on the case record as evidence."""
    if concern.young_person_id is None or relationship.mentee_id != concern.young_person_id:
        raise ApplicationError("Only the young person's own message threads can be kept as evidence.")
    messages = [
        {
            "id": message.pk,
            "sent_at": timezone.localtime(message.sent_at).isoformat(),
            "sender": message.sender.get_full_name() or message.sender.email,
            "status": message.status,
            "body": message.body,
        }
        for message in Message.objects.filter(relationship=relationship).select_related("sender")
    ]
    entry = CaseEntry.objects.create(
        concern=concern,
        kind=CaseEntry.Kind.EVIDENCE,
        author=actor,
        text=f"Copy of {len(messages)} message(s) between {relationship.mentor} and the young person.",
        details={"relationship_id": relationship.pk, "messages": messages},
    )
    audit_record(actor=actor, action="safeguarding.evidence_kept", target=concern, summary=concern.reference)
    return entry


def concern_read_record(*, concern: Concern, actor: User) -> None:
    """Every read of a case record is logged."""
    audit_record(actor=actor, action="safeguarding.concern_viewed", target=concern, summary=concern.reference)


# Outbox handlers --------------------------------------------------------------------------------


def _email_leads(leads: list[User], *, subject: str, body: str) -> None:
    addresses = [lead.email for lead in leads if lead.email]
    if addresses:
        email_send(to=addresses, subject=subject, body=body)


def _concern_email_body(concern: Concern, opening: str) -> str:
    # Email is not a safe place for case details: it carries only the reference and a link.
    danger = "\nThe reporter said someone may be in immediate danger.\n" if concern.immediate_danger else ""
    return (
        f"{opening}\n\nReference: {concern.reference}\n{danger}\n"
        f"Please sign in, read it and acknowledge it:\n{_absolute(concern.get_absolute_url())}\n\n"
        "For your safety and the young person's, the details are only on the platform."
    )


def _handle_concern_notify(payload: dict) -> None:
    concern = Concern.objects.get(pk=payload["concern_id"])
    leads = safeguarding_leads_for(youth_partner=concern.youth_partner, programme=concern.programme)
    if concern.kind == Concern.Kind.ADULT:
        leads = programme_safeguarding_leads(programme=concern.programme) or leads
    if not leads:
        logger.error("Safeguarding concern %s has no safeguarding lead to go to", concern.pk)
    _email_leads(
        leads,
        subject=f"Safeguarding concern {concern.reference} needs your attention",
        body=_concern_email_body(concern, "A new safeguarding concern has been raised."),
    )


def _handle_concern_escalate(payload: dict) -> None:
    concern = Concern.objects.select_for_update(of=("self",)).get(pk=payload["concern_id"])
    if concern.is_acknowledged or concern.escalated_at is not None:
        return
    leads = programme_safeguarding_leads(programme=concern.programme)
    concern.escalated_at = timezone.now()
    concern.save(update_fields=["escalated_at", "updated_at"])
    told = ", ".join(lead.get_full_name() or lead.email for lead in leads) or "no programme lead on record"
    CaseEntry.objects.create(
        concern=concern,
        kind=CaseEntry.Kind.SYSTEM,
        text=f"Not acknowledged in time: escalated to {told}.",
        details={"told_user_ids": [lead.pk for lead in leads]},
    )
    audit_record(
        actor=None, action="safeguarding.concern_escalated", target=concern, summary=concern.reference
    )
    _email_leads(
        leads,
        subject=f"ESCALATED: safeguarding concern {concern.reference} is unacknowledged",
        body=_concern_email_body(
            concern, "A safeguarding concern has not been acknowledged in time and is escalated to you."
        ),
    )


def _handle_message_risk(payload: dict) -> None:
    message = Message.objects.select_related(
        "relationship__mentee__mentee_profile", "relationship__cohort"
    ).get(pk=payload["message_id"])
    relationship = message.relationship
    profile = getattr(relationship.mentee, "mentee_profile", None)
    leads = safeguarding_leads_for(
        youth_partner=profile.youth_partner if profile else None, programme=relationship.cohort.programme
    )
    link = _absolute(reverse("safeguarding:thread", args=[relationship.pk]))
    _email_leads(
        leads,
        subject="A message on the platform may need a safeguarding look",
        body=(
            "A message between a mentor and a mentee used words on the programme's watch list "
            f"({', '.join(message.risk_words)}).\n\nRead the conversation:\n{link}"
        ),
    )


def _handle_message_held(payload: dict) -> None:
    message = Message.objects.select_related("relationship__mentee__mentee_profile").get(
        pk=payload["message_id"]
    )
    if message.status != Message.Status.HELD:
        return
    profile = getattr(message.relationship.mentee, "mentee_profile", None)
    coordinators = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.COORDINATOR,
        role_assignments__youth_partner_id=profile.youth_partner_id if profile else None,
    ).distinct()
    addresses = [coordinator.email for coordinator in coordinators]
    if addresses:
        link = _absolute(reverse("safeguarding:thread", args=[message.relationship_id]))
        email_send(
            to=addresses,
            subject="A message is waiting for your review",
            body=(
                "A message between a mentor and a mentee is held for your review "
                f"({message.hold_reason}).\n\n{link}"
            ),
        )


def _partner_coordinator_emails(relationship: Relationship) -> list[str]:
    profile = getattr(relationship.mentee, "mentee_profile", None)
    coordinators = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.COORDINATOR,
        role_assignments__youth_partner_id=profile.youth_partner_id if profile else None,
    ).distinct()
    return [coordinator.email for coordinator in coordinators]


def held_text_notify(held: HeldText) -> None:
    """Held goals, notes and requests reach the coordinators' inbox as held messages do."""
    _outbox_add(topic="text.held", payload={"held_text_id": held.pk})


def _handle_text_held(payload: dict) -> None:
    held = (
        HeldText.objects.select_related("relationship__mentee__mentee_profile")
        .filter(pk=payload["held_text_id"])
        .first()
    )
    if held is None or held.status != HeldText.Status.HELD:
        return
    addresses = _partner_coordinator_emails(held.relationship)
    if addresses:
        link = _absolute(held.relationship.get_absolute_url())
        email_send(
            to=addresses,
            subject="Something a mentor or mentee wrote is waiting for your review",
            body=(
                f"{held.get_kind_display()} written in a mentoring relationship is held for your review "
                f"({held.hold_reason}). The other person sees nothing of it until you release it.\n\n{link}"
            ),
        )


def held_text_returned_notify(held: HeldText) -> None:
    """The writer of held text returned for editing is told what to change, by email."""
    _outbox_add(topic="text.returned", payload={"held_text_id": held.pk})


def _handle_text_returned(payload: dict) -> None:
    held = HeldText.objects.select_related("author").filter(pk=payload["held_text_id"]).first()
    if held is None or held.status != HeldText.Status.RETURNED:
        return
    link = _absolute(reverse("mentoring:held_text_rewrite", args=[held.pk]))
    email_send(
        to=[held.author.email],
        subject="What you wrote was returned for you to edit",
        body=(
            f"Hello {held.author.first_name},\n\n"
            f"{held.get_kind_display()} you wrote on {timezone.localtime(held.created_at):%d %B %Y} was "
            "checked by the coordinator, who asks you to change it before the other person sees it.\n\n"
            f"What to change: {held.decline_reason}\n\n{CONTACT_RULE}\n\n"
            f"Edit it and send it again:\n{link}"
        ),
    )


HANDLERS: dict[str, Callable[[dict], None]] = {
    "text.held": _handle_text_held,
    "text.returned": _handle_text_returned,
    "concern.notify": _handle_concern_notify,
    "concern.escalate": _handle_concern_escalate,
    "message.risk": _handle_message_risk,
    "message.held": _handle_message_held,
}


def _stale_claim() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SAFEGUARDING_OUTBOX_STALE_AFTER)


def _claimable(now) -> Q:
    return Q(status=OutboxMessage.Status.PENDING) | Q(
        status=OutboxMessage.Status.CLAIMED, claimed_at__lt=now - _stale_claim()
    )


class _ClaimTakenOver(Exception):
    """Another worker took the row over while this one was handling it."""


def outbox_row_handle(*, row_id: int) -> bool:
    """Claim one outbox row and handle it; True when this call handled it.

    The claim is stamped when it is made. The handler's writes (the alert's emails among them) and
    the row marked done commit together, and only while this call's claim still stands: a worker so
    slow that its claim went stale and another worker took the row over commits nothing, so an
    alert goes once even then. A failed handler leaves the row claimed, to be retried once stale."""
    claimed_at = timezone.now()
    claimed = OutboxMessage.objects.filter(_claimable(claimed_at), pk=row_id).update(
        status=OutboxMessage.Status.CLAIMED, claimed_at=claimed_at, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    row = OutboxMessage.objects.get(pk=row_id)
    try:
        with transaction.atomic():
            HANDLERS[row.topic](row.payload)
            still_ours = OutboxMessage.objects.filter(
                pk=row_id, status=OutboxMessage.Status.CLAIMED, claimed_at=claimed_at
            ).update(status=OutboxMessage.Status.DONE, done_at=timezone.now())
            if not still_ours:
                raise _ClaimTakenOver
    except _ClaimTakenOver:
        logger.warning("Outbox row %s (%s) was taken over by another worker; left to it", row_id, row.topic)
        return False
    except Exception:
        logger.exception("Outbox row %s (%s) failed", row_id, row.topic)
        return False
    return True


def outbox_dispatch(*, now=None, limit: int = 200) -> int:
    """Handle the outbox rows due at `now`: pending ones, and those claimed longer ago than
    SAFEGUARDING_OUTBOX_STALE_AFTER by a worker that must have died. Returns how many it handled."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(_claimable(now), available_at__lte=now).values_list("pk", flat=True)
    # Each claim is stamped when it is made, not with the dispatch's start: a claim stamped with a
    # long dispatch's start would look stale to the next dispatch while it is being handled.
    return sum(outbox_row_handle(row_id=row_id) for row_id in list(due[:limit]))


# Messages ---------------------------------------------------------------------------------------


def risk_words_found(text: str) -> list[str]:
    words = getattr(settings, "SAFEGUARDING_RISK_WORDS", [])
    lowered = text.lower()
    return [word for word in words if re.search(rf"\b{re.escape(word.lower())}\b", lowered)]


def messaging_is_direct(relationship: Relationship) -> bool:
    """Over-18s who agreed to share contact details message their mentor without review."""
    profile = getattr(relationship.mentee, "mentee_profile", None)
    return bool(profile and not profile.is_under_18 and profile.shares_contact_with_mentor)


MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# What a file must start with to be accepted, by type: documents and photos only.
FILE_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def attachment_check(upload) -> tuple[str, File]:
    """The content type of an acceptable upload and the file to store; refuses anything too big, of
    another type, whose content does not match its name, or (core.uploads) a PDF with anything active
    in it. Pictures are stored as Pillow draws them again, not as sent."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ApplicationError("Files can be up to 5 MB.", field="attachment")
    extension = os.path.splitext(upload.name or "")[1].lower()
    content_type = EXTENSIONS.get(extension)
    if content_type is None:
        raise ApplicationError("Send a PDF, PNG or JPEG file.", field="attachment")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(FILE_SIGNATURES[content_type]):
        raise ApplicationError("This file's content does not match its type.", field="attachment")
    name = uploads.safe_basename(upload.name)
    if content_type == "application/pdf":
        uploads.pdf_check(upload)
        stored = upload
    else:
        stored = uploads.image_redrawn(upload, content_type)
    stored.name = name
    return content_type, stored


@transaction.atomic
def message_send(*, relationship: Relationship, sender: User, body: str, attachment=None) -> Message:
    """Send a message; contact details are held for review unless the pair may share them."""
    body = (body or "").strip()
    if not body:
        raise ApplicationError("Write a message.", field="body")
    if sender.pk not in (relationship.mentor_id, relationship.mentee_id):
        raise ApplicationError("Only the mentor and mentee can write in this conversation.")
    if not relationship.is_open:
        raise ApplicationError("This mentoring relationship has ended, so no new messages can be sent.")
    if relationship.status == Relationship.Status.PAUSED or relationship.mentor.is_suspended:
        raise ApplicationError("Messaging is closed while this relationship is on hold.")
    profile = getattr(relationship.mentee, "mentee_profile", None)
    under_18 = profile is None or profile.is_under_18
    found = [] if messaging_is_direct(relationship) else contact_details_found(body)
    content_type, stored = attachment_check(attachment) if attachment is not None else ("", None)
    if attachment is not None and under_18:
        # Files to or from under-18s reach the other person only once a coordinator has approved them.
        found.append("a file")
    risk = risk_words_found(body)
    message = Message(
        relationship=relationship,
        sender=sender,
        body=body,
        status=Message.Status.HELD if found else Message.Status.DELIVERED,
        hold_reason=("Contains " + " and ".join(found)) if found else "",
        risk_words=risk,
        copied_to_coordinator=under_18,
    )
    message.full_clean()
    message.save()
    if attachment is not None:
        assert stored is not None  # checked and stored above whenever a file is attached
        MessageAttachment.objects.create(
            message=message,
            file=stored,
            original_name=(stored.name or "")[:200],
            content_type=content_type,
            size=stored.size,
        )
    if found:
        _outbox_add(topic="message.held", payload={"message_id": message.pk})
    if risk:
        _outbox_add(topic="message.risk", payload={"message_id": message.pk})
    return message


def thread_reads_audit(*, actor, relationships) -> int:
    """A coordinator, safeguarding lead or member of staff reading a pair's messages: one audit row
    per thread read (the pair reading their own conversation is not recorded)."""
    read = {
        relationship.pk: relationship
        for relationship in relationships
        if actor.pk not in (relationship.mentor_id, relationship.mentee_id)
    }
    return audit_reads(
        actor=actor, action="safeguarding.thread_read", targets=list(read.values()), summary="Messages read"
    )


@transaction.atomic
def message_hold(*, message: Message, actor: User, reason: str = "") -> Message:
    message = Message.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if message.status == Message.Status.HELD:
        raise ApplicationError("This message is already held.")
    message.status = Message.Status.HELD
    message.hold_reason = (reason.strip() or "Held by the coordinator")[:200]
    message.reviewed_by = actor
    message.reviewed_at = timezone.now()
    message.save(update_fields=["status", "hold_reason", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="messaging.message_held", target=message, summary=message.hold_reason)
    return message


@transaction.atomic
def message_release(*, message: Message, actor: User) -> Message:
    message = Message.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if message.status != Message.Status.HELD:
        raise ApplicationError("This message is not held.")
    message.status = Message.Status.DELIVERED
    message.reviewed_by = actor
    message.reviewed_at = timezone.now()
    message.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="messaging.message_released", target=message)
    return message


# What writers are reminded of when something they wrote is not shown as written.
CONTACT_RULE = (
    "On the programme, mentors and mentees keep in touch here and meet at the agreed venue: "
    "no personal phone numbers, email addresses, social media names or links to them."
)
DECLINE_GUIDANCE = f"{CONTACT_RULE} You can write your message again without them."


@transaction.atomic
def message_decline(*, message: Message, actor: User, reason: str) -> Message:
    """Decline a held message: it is never delivered, kept as evidence, and the sender is told why."""
    message = Message.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if message.status != Message.Status.HELD:
        raise ApplicationError("Only a held message can be declined.")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Say why the message is not delivered: the sender will read it.", field="reason"
        )
    message.status = Message.Status.DECLINED
    message.decline_reason = reason[:500]
    message.reviewed_by = actor
    message.reviewed_at = timezone.now()
    message.save(update_fields=["status", "decline_reason", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor, action="messaging.message_declined", target=message, summary=message.decline_reason
    )
    _outbox_add(topic="message.declined", payload={"message_id": message.pk})
    return message


def _handle_message_declined(payload: dict) -> None:
    message = Message.objects.select_related("sender", "relationship").get(pk=payload["message_id"])
    if message.status != Message.Status.DECLINED:
        return
    link = _absolute(reverse("safeguarding:thread", args=[message.relationship_id]))
    email_send(
        to=[message.sender.email],
        subject="Your message was not delivered",
        body=(
            f"Hello {message.sender.first_name},\n\n"
            f"Your message of {timezone.localtime(message.sent_at):%d %B %Y at %H:%M} was checked by the "
            "coordinator and has not been delivered.\n\n"
            f"Why: {message.decline_reason}\n\n{DECLINE_GUIDANCE}\n\nThe conversation:\n{link}"
        ),
    )


HANDLERS["message.declined"] = _handle_message_declined


@transaction.atomic
def message_return(*, message: Message, actor: User, note: str) -> Message:
    """Return a held message to its sender to edit: kept, never delivered as written, the sender told why."""
    message = Message.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if message.status != Message.Status.HELD:
        raise ApplicationError("Only a held message can be returned for editing.")
    note = (note or "").strip()
    if not note:
        raise ApplicationError("Say what to change: the sender will read it.", field="note")
    message.status = Message.Status.RETURNED
    message.decline_reason = note[:500]
    message.reviewed_by = actor
    message.reviewed_at = timezone.now()
    message.save(update_fields=["status", "decline_reason", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor, action="messaging.message_returned", target=message, summary=message.decline_reason
    )
    _outbox_add(topic="message.returned", payload={"message_id": message.pk})
    return message


def _handle_message_returned(payload: dict) -> None:
    message = Message.objects.select_related("sender", "relationship").get(pk=payload["message_id"])
    if message.status != Message.Status.RETURNED:
        return
    link = _absolute(
        reverse("safeguarding:thread", args=[message.relationship_id]) + f"?rewrite={message.pk}"
    )
    email_send(
        to=[message.sender.email],
        subject="Your message was returned for you to edit",
        body=(
            f"Hello {message.sender.first_name},\n\n"
            f"Your message of {timezone.localtime(message.sent_at):%d %B %Y at %H:%M} was checked by the "
            "coordinator, who asks you to change it before it is sent.\n\n"
            f"What to change: {message.decline_reason}\n\n{DECLINE_GUIDANCE}\n\n"
            f"Edit and send it again:\n{link}"
        ),
    )


HANDLERS["message.returned"] = _handle_message_returned


# Exporting a case record ------------------------------------------------------------------------


@transaction.atomic
def case_export_request(*, concern: Concern, actor: User, reason: str):
    from .models import CaseExport

    if not reason.strip():
        raise ApplicationError("Say why a copy is needed, and for whom.", field="reason")
    export = CaseExport(concern=concern, requested_by=actor, reason=reason.strip())
    export.full_clean()
    export.save()
    CaseEntry.objects.create(
        concern=concern, kind=CaseEntry.Kind.SYSTEM, author=actor, text=f"Copy requested: {export.reason}"
    )
    audit_record(
        actor=actor, action="safeguarding.case_export_requested", target=concern, summary=export.reason
    )
    return export


@transaction.atomic
def case_export_approve(*, export, actor: User):
    from .models import CaseExport

    export = CaseExport.objects.select_for_update(of=("self",)).get(pk=export.pk)
    if export.status != CaseExport.Status.PENDING:
        raise ApplicationError("This copy has already been approved.")
    if export.requested_by_id == actor.pk:
        raise ApplicationError("A second safeguarding lead must approve this.")
    export.status = CaseExport.Status.APPROVED
    export.approved_by = actor
    export.approved_at = timezone.now()
    export.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    CaseEntry.objects.create(
        concern=export.concern, kind=CaseEntry.Kind.SYSTEM, author=actor, text="Copy approved."
    )
    audit_record(actor=actor, action="safeguarding.case_export_approved", target=export.concern)
    return export


def case_export_data(*, export, actor: User) -> dict:
    """The approved copy: the concern as reported and its whole chronology. Every download is logged."""
    from .models import CaseExport

    if export.status != CaseExport.Status.APPROVED:
        raise ApplicationError("A second safeguarding lead must approve this copy first.")
    concern = export.concern
    reported = {
        field: getattr(concern, field)
        for field in (
            "kind",
            "adult_concerned",
            "immediate_danger",
            "childs_words",
            "questions_asked",
            "who_is_at_risk",
            "context",
            "facts",
            "opinion",
            "status",
        )
    }
    data = {
        "reference": concern.reference,
        "young_person": concern.young_person.get_full_name() if concern.young_person else "",
        "youth_partner": str(concern.youth_partner or ""),
        "reported_by": concern.reporter.get_full_name(),
        "reported_at": timezone.localtime(concern.created_at).isoformat(),
        "happened_at": timezone.localtime(concern.happened_at).isoformat(),
        "retain_until": concern.retain_until.isoformat(),
        **reported,
        "chronology": [
            {
                "at": timezone.localtime(entry.occurred_at).isoformat(),
                "kind": entry.get_kind_display(),
                "by": entry.author.get_full_name() if entry.author else "platform",
                "text": entry.text,
                "told": entry.told_whom,
                "agency": entry.get_agency_display() if entry.agency else "",
                "details": entry.details,
            }
            for entry in concern.entries.select_related("author")
        ],
        "export": {"reason": export.reason, "approved_by": export.approved_by.get_full_name()},
    }
    audit_record(actor=actor, action="safeguarding.case_exported", target=concern, summary=export.reason)
    return data
