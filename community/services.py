"""Changing events, registrations, buddy pairings and employer links. Every change comes through here."""

import re

from django.db import transaction
from django.utils import timezone

from accounts.models import MenteeProfile, Role, RoleAssignment
from accounts.services import role_assign
from core import policy
from core.audit import audit_record
from core.email import email_send
from core.errors import ApplicationError
from mentoring.models import Relationship

from . import selectors
from .models import (
    BuddyMessage,
    BuddyPairing,
    BuddyPreference,
    EmployerContact,
    EmployerMembership,
    EmployerPartner,
    Event,
    EventRegistration,
)
from .policies import is_mentor

EVENT_FIELDS = (
    "title",
    "description",
    "region",
    "employer",
    "format",
    "location",
    "starts_at",
    "ends_at",
    "capacity",
    "waiting_list",
    "organiser",
)


# --- Employer partners ---------------------------------------------------------------------------


@transaction.atomic
def employer_membership_set(*, actor, mentor, employer: EmployerPartner | None) -> EmployerMembership | None:
    """Link a mentor to the employer partner they volunteer through (None removes the link)."""
    if not actor.is_programme_staff and actor != mentor:
        raise ApplicationError("Only programme staff or the mentor can change who a mentor works for.")
    if Role.MENTOR not in mentor.roles:
        raise ApplicationError("Only mentors can be linked to an employer partner.")
    EmployerMembership.objects.filter(mentor=mentor).exclude(employer=employer).delete()
    membership = None
    if employer is not None:
        membership, _created = EmployerMembership.objects.get_or_create(mentor=mentor, employer=employer)
    audit_record(
        actor=actor,
        action="community.employer_membership_set",
        target=mentor,
        summary=f"Employer partner: {employer.name if employer else 'none'}",
    )
    return membership


@transaction.atomic
def employer_contact_add(*, actor, employer: EmployerPartner, user) -> EmployerContact:
    """Make `user` the contact for `employer`: the employer contact role plus the link to the employer."""
    if not actor.is_programme_staff:
        raise ApplicationError("Only programme staff can add an employer contact.")
    contact, _created = EmployerContact.objects.get_or_create(employer=employer, user=user)
    if not RoleAssignment.objects.filter(user=user, role=Role.EMPLOYER_CONTACT).exists():
        role_assign(actor=actor, assignment=RoleAssignment(user=user, role=Role.EMPLOYER_CONTACT))
    audit_record(
        actor=actor,
        action="community.employer_contact_add",
        target=user,
        summary=f"Contact for {employer.name}",
    )
    return contact


# --- Events --------------------------------------------------------------------------------------


def _check_event(event: Event) -> None:
    if event.employer_id and event.region:
        # An employer's event is for their staff wherever they live; say so rather than guess.
        raise ApplicationError(
            "An event is either for a region or for an employer's mentors, not both.", field="region"
        )
    if event.format == Event.Format.IN_PERSON and not event.location.strip():
        raise ApplicationError("Say where an in-person event takes place.", field="location")
    event.full_clean()


@transaction.atomic
def event_create(*, actor, **fields) -> Event:
    """Create a community-of-practice event (programme staff)."""
    if not policy.can_create(actor, Event):
        raise ApplicationError("Only programme staff can create events.")
    event = Event(**{name: fields[name] for name in EVENT_FIELDS if name in fields})
    if event.organiser_id is None:
        event.organiser = actor
    _check_event(event)
    event.save()
    audit_record(actor=actor, action="community.event_create", target=event, summary=event.title)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, **fields) -> Event:
    """Change an event's details (staff or its organiser); calendars see the change through SEQUENCE."""
    policy.require(actor, policy.CHANGE, event)
    was_cancelled = event.status == Event.Status.CANCELLED
    for name in EVENT_FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
    if "status" in fields:
        event.status = fields["status"]
    event.sequence += 1
    _check_event(event)
    event.save()
    audit_record(actor=actor, action="community.event_update", target=event, summary=event.title)
    if event.status == Event.Status.CANCELLED and not was_cancelled:
        _tell_signed_up_of_cancellation(event)
    return event


def _tell_signed_up_of_cancellation(event: Event) -> None:
    signed_up = event.registrations.exclude(status=EventRegistration.Status.CANCELLED).select_related(
        "mentor"
    )
    for registration in signed_up:
        email_send(
            to=[registration.mentor.email],
            subject=f"Cancelled: {event.title}",
            body=(
                f"Hello {registration.mentor.first_name},\n\n"
                f"Sorry: {event.title} ({timezone.localtime(event.starts_at):%A %-d %B %Y, %H:%M}) "
                "has been cancelled. You do not need to do anything; look out for the next event on the "
                "Community page.\n"
            ),
        )


@transaction.atomic
def event_register(*, actor, event: Event) -> EventRegistration:
    """Take a place at an event, or a place on its waiting list when it is full."""
    if not is_mentor(actor):
        raise ApplicationError("Community events are for mentors.")
    if actor.is_suspended:
        raise ApplicationError("You cannot sign up for events while your mentoring role is suspended.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not policy.can(actor, policy.VIEW, event):
        raise ApplicationError("This event is not open to you.")
    if event.status != Event.Status.SCHEDULED:
        raise ApplicationError("This event has been cancelled.")
    if event.starts_at <= timezone.now():
        raise ApplicationError("This event has already started.")
    registration = EventRegistration.objects.filter(event=event, mentor=actor).first()
    if registration is not None and registration.status != EventRegistration.Status.CANCELLED:
        raise ApplicationError("You are already signed up for this event.")
    taken = event.registrations.filter(status=EventRegistration.Status.REGISTERED).count()
    if event.capacity is None or taken < event.capacity:
        status = EventRegistration.Status.REGISTERED
    elif event.waiting_list:
        status = EventRegistration.Status.WAITING
    else:
        raise ApplicationError("This event is full.")
    if registration is None:
        registration = EventRegistration(event=event, mentor=actor)
    registration.status = status
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def event_registration_cancel(*, actor, registration: EventRegistration) -> EventRegistration:
    """Give up a place (or leave the waiting list); the first person waiting takes a freed place."""
    if registration.mentor_id != actor.pk:
        raise ApplicationError("You can only cancel your own place.")
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    was_registered = registration.status == EventRegistration.Status.REGISTERED
    registration.status = EventRegistration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if was_registered and event.is_upcoming:
        _promote_from_waiting_list(event)
    return registration


def _promote_from_waiting_list(event: Event) -> None:
    taken = event.registrations.filter(status=EventRegistration.Status.REGISTERED).count()
    free = None if event.capacity is None else event.capacity - taken
    waiting = event.registrations.filter(status=EventRegistration.Status.WAITING).select_related("mentor")
    for registration in waiting.order_by("created_at", "pk")[: free if free is not None else None]:
        registration.status = EventRegistration.Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        email_send(
            to=[registration.mentor.email],
            subject=f"A place has come up: {event.title}",
            body=(
                f"Hello {registration.mentor.first_name},\n\n"
                f"A place came free at {event.title} "
                f"({timezone.localtime(event.starts_at):%A %-d %B %Y, %H:%M}) and it is now yours.\n"
                "If you can no longer come, please cancel your place so someone else can have it.\n"
            ),
        )


@transaction.atomic
def event_attendance_record(*, actor, event: Event, attendance: dict[int, tuple[bool | None, str]]) -> int:
    """Record who came (and a note) for registered mentors: staff or the event's organiser.
    `attendance` maps a registration id to (attended, notes). Returns how many rows changed."""
    policy.require(actor, policy.CHANGE, event)
    changed = 0
    registrations = event.registrations.exclude(status=EventRegistration.Status.CANCELLED).filter(
        pk__in=list(attendance)
    )
    for registration in registrations:
        attended, notes = attendance[registration.pk]
        if (registration.attended, registration.notes) != (attended, notes):
            registration.attended, registration.notes = attended, notes
            registration.full_clean()
            registration.save(update_fields=["attended", "notes", "updated_at"])
            changed += 1
    return changed


# --- Buddies -------------------------------------------------------------------------------------


@transaction.atomic
def buddy_preference_set(*, actor, wants: str, is_active: bool = True) -> BuddyPreference:
    """Opt in to (or out of) the buddy scheme, as a new mentor or as an experienced one."""
    if not is_mentor(actor):
        raise ApplicationError("The buddy scheme is for mentors.")
    if is_active and wants == BuddyPreference.Wants.OFFERING and not selectors.is_experienced_mentor(actor):
        raise ApplicationError(
            f"You can offer to be a buddy once you have mentored for {selectors.EXPERIENCE_DAYS} days.",
            field="wants",
        )
    preference, _created = BuddyPreference.objects.update_or_create(
        mentor=actor, defaults={"wants": wants, "is_active": is_active}
    )
    return preference


@transaction.atomic
def buddy_pairing_suggest(*, actor, new_mentor, experienced_mentor=None) -> BuddyPairing:
    """Suggest a buddy for a new mentor who opted in: staff choose one, or the scheme picks the best
    match by region and sector. Both mentors must then accept."""
    if not (actor.is_programme_staff or actor == new_mentor):
        raise ApplicationError("Only programme staff can suggest a buddy for someone else.")
    preference = BuddyPreference.objects.filter(mentor=new_mentor, is_active=True).first()
    if preference is None or preference.wants != BuddyPreference.Wants.SEEKING:
        raise ApplicationError("This mentor has not asked for a buddy.")
    if selectors.open_pairing_for(user=new_mentor) is not None:
        raise ApplicationError("This mentor already has a buddy or a suggestion waiting.")
    suggestions = dict(selectors.buddy_suggestions(new_mentor=new_mentor, limit=50))
    if experienced_mentor is None:
        if not suggestions:
            raise ApplicationError("No experienced buddy has room at the moment. We will keep looking.")
        experienced_mentor = next(iter(suggestions))
    elif experienced_mentor not in suggestions:
        raise ApplicationError(
            "That mentor has not offered to be a buddy, or has no room.", field="experienced_mentor"
        )
    if new_mentor.is_suspended:
        raise ApplicationError("This mentor cannot join the buddy scheme at the moment.")
    pairing = BuddyPairing(
        new_mentor=new_mentor,
        experienced_mentor=experienced_mentor,
        reason=suggestions[experienced_mentor],
        suggested_by=actor if actor.is_programme_staff else None,
    )
    pairing.full_clean()
    pairing.save()
    audit_record(actor=actor, action="community.buddy_suggest", target=pairing, summary=pairing.reason)
    for person, other in ((new_mentor, experienced_mentor), (experienced_mentor, new_mentor)):
        email_send(
            to=[person.email],
            subject="A buddy has been suggested for you",
            body=(
                f"Hello {person.first_name},\n\n"
                f"We suggest {other.get_full_name()} as your mentor buddy ({pairing.reason}).\n"
                "The pairing starts once you both accept. Sign in and open Buddies to say yes or no.\n"
            ),
        )
    return pairing


@transaction.atomic
def buddy_pairing_respond(*, actor, pairing: BuddyPairing, accept: bool) -> BuddyPairing:
    """One of the two mentors accepts or declines; the pairing starts when both have accepted."""
    pairing = BuddyPairing.objects.select_for_update().get(pk=pairing.pk)
    if not pairing.is_member(actor):
        raise ApplicationError("Only the two mentors can accept or decline a buddy pairing.")
    if pairing.status != BuddyPairing.Status.PROPOSED:
        raise ApplicationError("This suggestion has already been answered.")
    now = timezone.now()
    if not accept:
        pairing.status = BuddyPairing.Status.DECLINED
        pairing.ended_at = now
    else:
        if actor.pk == pairing.new_mentor_id:
            pairing.new_accepted_at = pairing.new_accepted_at or now
        else:
            pairing.experienced_accepted_at = pairing.experienced_accepted_at or now
        if pairing.new_accepted_at and pairing.experienced_accepted_at:
            pairing.status = BuddyPairing.Status.ACTIVE
    pairing.save()
    audit_record(
        actor=actor,
        action="community.buddy_accept" if accept else "community.buddy_decline",
        target=pairing,
    )
    return pairing


@transaction.atomic
def buddy_pairing_end(*, actor, pairing: BuddyPairing) -> BuddyPairing:
    """Either buddy, or staff, ends a pairing; the thread stays readable but closed."""
    if not (pairing.is_member(actor) or actor.is_programme_staff):
        raise ApplicationError("Only the buddies or programme staff can end a pairing.")
    if pairing.status != BuddyPairing.Status.ACTIVE:
        raise ApplicationError("Only an active pairing can be ended.")
    pairing.status = BuddyPairing.Status.ENDED
    pairing.ended_at = timezone.now()
    pairing.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(actor=actor, action="community.buddy_end", target=pairing)
    return pairing


def mentee_identifiers(mentor_ids) -> list[re.Pattern]:
    """Patterns that would identify a mentee of these mentors: full name, email, phone, and the first
    name as a capitalised word. Kept out of buddy threads, which are for mentors only."""
    mentee_ids = Relationship.objects.filter(mentor_id__in=list(mentor_ids)).values("mentee_id")
    patterns = []
    for first, last, email, phone in MenteeProfile.objects.filter(user_id__in=mentee_ids).values_list(
        "user__first_name", "user__last_name", "user__email", "phone"
    ):
        if first and last:
            patterns.append(re.compile(rf"\b{re.escape(first)}\s+{re.escape(last)}\b", re.IGNORECASE))
        if first:
            patterns.append(re.compile(rf"\b{re.escape(first)}\b"))
        if email:
            patterns.append(re.compile(re.escape(email), re.IGNORECASE))
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 7:
            patterns.append(re.compile(r"\D*".join(digits)))
    return patterns


@transaction.atomic
def buddy_message_post(*, actor, pairing: BuddyPairing, body: str) -> BuddyMessage:
    """Post to a buddy thread: the two buddies only, while the pairing is active, and never a mentee's
    name or contact details."""
    if not pairing.is_member(actor):
        raise ApplicationError("Only the two buddies can write in this thread.")
    if pairing.status != BuddyPairing.Status.ACTIVE:
        raise ApplicationError("You can write here once you have both accepted, and until the pairing ends.")
    if pairing.new_mentor.is_suspended or pairing.experienced_mentor.is_suspended:
        # A suspended mentor leaves messaging (safeguarding.oversight); the thread pauses for both.
        raise ApplicationError("This thread is paused while one of you has their mentoring role suspended.")
    body = body.strip()
    if not body:
        raise ApplicationError("Write a message first.", field="body")
    patterns = mentee_identifiers([pairing.new_mentor_id, pairing.experienced_mentor_id])
    if any(pattern.search(body) for pattern in patterns):
        raise ApplicationError(
            "Buddy threads are for mentors only: please leave out your mentee's name and contact details "
            '(write "my mentee"). To raise a worry about a young person, use Raise a concern.',
            field="body",
        )
    message = BuddyMessage(pairing=pairing, author=actor, body=body)
    message.full_clean()
    message.save()
    return message
