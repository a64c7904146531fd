"""Scheduling sessions: a whole run in one step, rescheduling and cancelling, venues and blackout dates."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record
from core.errors import ApplicationError

from . import lifecycle, notifications
from .dates import add_months
from .models import BlackoutDate, MentoringSession, Programme, Relationship, Venue, YouthPartner
from .selectors import relationship_changed

Status = Relationship.Status
MAX_RUN = 24


@dataclass
class ScheduleResult:
    sessions: list[MentoringSession]
    warnings: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


def may_schedule(user, relationship: Relationship) -> bool:
    """Coordinators and staff schedule; for adult mentees the pair may schedule themselves."""
    return lifecycle.may_manage(user, relationship) or lifecycle.is_adult_pair_member(user, relationship)


def _require_may_schedule(user, relationship):
    if not may_schedule(user, relationship):
        raise ApplicationError(
            "Only the coordinator (or, for adult mentees, the pair) can schedule sessions."
        )


def _blackouts(partner_id: int) -> list[BlackoutDate]:
    return list(BlackoutDate.objects.filter(youth_partner_id=partner_id, ends_on__gte=timezone.localdate()))


def _blackout_on(day: datetime.date, blackouts) -> BlackoutDate | None:
    for blackout in blackouts:
        if blackout.starts_on <= day <= blackout.ends_on:
            return blackout
    return None


def _step(programme: Programme, anchor: datetime.datetime, index: int) -> datetime.datetime:
    local = timezone.localtime(anchor)
    if programme.session_cadence == Programme.Cadence.FORTNIGHTLY:
        day = local.date() + datetime.timedelta(days=14 * index)
    elif programme.session_cadence == Programme.Cadence.SIX_WEEKLY:
        day = local.date() + datetime.timedelta(days=42 * index)
    else:
        day = add_months(local.date(), index)
    naive = datetime.datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(naive)


def _move_past_blackouts(when: datetime.datetime, blackouts) -> tuple[datetime.datetime, BlackoutDate | None]:
    first_hit = None
    for _attempt in range(len(blackouts) + 1):
        local = timezone.localtime(when)
        blackout = _blackout_on(local.date(), blackouts)
        if blackout is None:
            break
        first_hit = first_hit or blackout
        day = blackout.ends_on + datetime.timedelta(days=1)
        when = timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))
    return when, first_hit


def _check_when(when: datetime.datetime, blackouts, field_name: str = "starts_at"):
    if when <= timezone.now():
        raise ApplicationError("Choose a date and time in the future.", field=field_name)
    blackout = _blackout_on(timezone.localtime(when).date(), blackouts)
    if blackout is not None:
        raise ApplicationError(
            f"{timezone.localtime(when):%d %B %Y} falls in a blackout period ({blackout}). "
            "Choose another date.",
            field=field_name,
        )


def _check_venue(venue: Venue | None, partner_id: int):
    if venue is not None and (venue.youth_partner_id != partner_id or not venue.is_active):
        raise ApplicationError("Choose one of the youth partner's venues.", field="venue")


def double_booking_warnings(sessions: list[MentoringSession], mentor_id: int) -> list[str]:
    """Sessions that overlap another of the same mentor's sessions, as readable warnings.

    Sessions of the other relationship in the same one-to-two are not a double booking."""
    if not sessions:
        return []
    earliest = min(s.starts_at for s in sessions) - datetime.timedelta(hours=4)
    latest = max(s.ends_at for s in sessions)
    others = list(
        MentoringSession.objects.filter(
            relationship__mentor_id=mentor_id,
            status=MentoringSession.Status.SCHEDULED,
            starts_at__gte=earliest,
            starts_at__lt=latest,
        )
        .exclude(pk__in=[s.pk for s in sessions if s.pk])
        .select_related("relationship__mentee")
    )
    warnings = []
    for session in sessions:
        group = session.relationship.group_key
        for other in others:
            if group and other.relationship.group_key == group:
                continue  # the two mentees of a one-to-two meet their mentor together
            if other.starts_at < session.ends_at and session.starts_at < other.ends_at:
                warnings.append(
                    "The mentor already has a session at "
                    f"{timezone.localtime(other.starts_at):%H:%M on %d %B %Y} "
                    f"(with {other.relationship.mentee.first_name})."
                )
    return warnings


@transaction.atomic
def sessions_schedule_run(
    *,
    actor,
    relationship: Relationship,
    first_starts_at: datetime.datetime,
    count: int,
    duration_minutes: int | None = None,
    venue: Venue | None = None,
    is_online: bool = False,
) -> ScheduleResult:
    """Schedule `count` sessions at the programme's cadence, moving any that fall in a blackout period."""
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "mentee__mentee_profile", "mentor")
        .get(pk=relationship.pk)
    )
    _require_may_schedule(actor, relationship)
    if relationship.status not in (Status.APPROVED, Status.INTRODUCED, Status.ACTIVE):
        raise ApplicationError(
            "Sessions cannot be scheduled for a relationship that is "
            f"{relationship.get_status_display().lower()}."
        )
    if not 1 <= count <= MAX_RUN:
        raise ApplicationError(f"Schedule between 1 and {MAX_RUN} sessions.", field="count")
    partner_id = relationship.mentee.mentee_profile.youth_partner_id
    _check_venue(venue, partner_id)
    if venue is None and not is_online:
        raise ApplicationError("Choose a venue, or say the sessions are online.", field="venue")
    blackouts = _blackouts(partner_id)
    _check_when(first_starts_at, blackouts, "first_starts_at")
    programme = relationship.cohort.programme
    duration = duration_minutes or programme.session_minutes
    next_number = (relationship.sessions.aggregate(top=Max("number"))["top"] or 0) + 1
    result = ScheduleResult(sessions=[])
    for index in range(count):
        planned = _step(programme, first_starts_at, index)
        when, blackout = _move_past_blackouts(planned, blackouts)
        if blackout is not None:
            result.moved.append(
                f"Session {next_number + index} moved from {timezone.localtime(planned):%d %B} to "
                f"{timezone.localtime(when):%d %B %Y} ({blackout.label})."
            )
        session = MentoringSession(
            relationship=relationship,
            number=next_number + index,
            starts_at=when,
            duration_minutes=duration,
            venue=venue,
            is_online=is_online,
        )
        session.full_clean()
        result.sessions.append(session)
    MentoringSession.objects.bulk_create(result.sessions)
    # Reloaded with their venue, which the emails and calendar files name.
    result.sessions = list(
        relationship.sessions.filter(number__gte=next_number).select_related("venue").order_by("number")
    )
    result.warnings = double_booking_warnings(result.sessions, relationship.mentor_id)
    relationship_changed(relationship)
    audit_record(
        actor=actor,
        action="session.schedule",
        target=relationship,
        summary=f"{count} sessions from {timezone.localtime(first_starts_at):%d %b %Y}",
    )
    if relationship.status == Status.APPROVED:
        lifecycle.relationship_transition(
            actor=actor,
            relationship=relationship,
            to_status=Status.INTRODUCED,
            reason="First meeting scheduled",
        )
    notifications.sessions_changed(
        relationship=relationship, sessions=result.sessions, change="scheduled", actor=actor
    )
    return result


def _locked_scheduled_session(session: MentoringSession) -> MentoringSession:
    session = (
        MentoringSession.objects.select_for_update(of=("self",))
        .select_related("relationship__mentee__mentee_profile", "relationship__mentor", "venue")
        .get(pk=session.pk)
    )
    if session.status != MentoringSession.Status.SCHEDULED:
        raise ApplicationError(
            f"This session is {session.get_status_display().lower()} and cannot be changed."
        )
    if not session.relationship.is_open:
        raise ApplicationError("This relationship has closed.")
    return session


@transaction.atomic
def session_reschedule(
    *, actor, session: MentoringSession, starts_at: datetime.datetime, reason: str, venue=None, is_online=None
) -> ScheduleResult:
    """Move one session, with a reason; everyone affected is told."""
    session = _locked_scheduled_session(session)
    relationship = session.relationship
    _require_may_schedule(actor, relationship)
    if not reason.strip():
        raise ApplicationError("Give a reason for the change.", field="reason")
    partner_id = relationship.mentee.mentee_profile.youth_partner_id
    _check_when(starts_at, _blackouts(partner_id))
    if venue is not None:
        _check_venue(venue, partner_id)
        session.venue = venue
    if is_online is not None:
        session.is_online = is_online
    previous = timezone.localtime(session.starts_at)
    session.starts_at = starts_at
    session.change_reason = reason.strip()
    session.sequence += 1
    session.full_clean()
    session.save()
    relationship_changed(relationship)
    audit_record(
        actor=actor,
        action="session.reschedule",
        target=session,
        summary=f"{previous:%d %b %Y %H:%M} -> {timezone.localtime(starts_at):%d %b %Y %H:%M}",
        details={"reason": reason[:500]},
    )
    notifications.sessions_changed(
        relationship=relationship, sessions=[session], change="rescheduled", reason=reason, actor=actor
    )
    return ScheduleResult(
        sessions=[session], warnings=double_booking_warnings([session], relationship.mentor_id)
    )


@transaction.atomic
def session_cancel(*, actor, session: MentoringSession, reason: str) -> MentoringSession:
    """Cancel one session, with a reason; everyone affected is told."""
    session = _locked_scheduled_session(session)
    _require_may_schedule(actor, session.relationship)
    if not reason.strip():
        raise ApplicationError("Give a reason for cancelling.", field="reason")
    session.status = MentoringSession.Status.CANCELLED
    session.change_reason = reason.strip()
    session.sequence += 1
    session.save()
    relationship_changed(session.relationship)
    audit_record(
        actor=actor,
        action="session.cancel",
        target=session,
        summary=str(session),
        details={"reason": reason[:500]},
    )
    notifications.sessions_changed(
        relationship=session.relationship, sessions=[session], change="cancelled", reason=reason, actor=actor
    )
    return session


@transaction.atomic
def blackout_date_save(*, actor, blackout: BlackoutDate) -> BlackoutDate:
    creating = blackout.pk is None
    blackout.full_clean()
    blackout.save()
    audit_record(
        actor=actor,
        action="blackout.create" if creating else "blackout.update",
        target=blackout,
        summary=str(blackout),
    )
    return blackout


@transaction.atomic
def blackout_date_delete(*, actor, blackout: BlackoutDate) -> None:
    audit_record(actor=actor, action="blackout.delete", target=blackout, summary=str(blackout))
    blackout.delete()


@transaction.atomic
def venue_save(*, actor, venue: Venue) -> Venue:
    creating = venue.pk is None
    venue.full_clean()
    venue.save()
    audit_record(
        actor=actor, action="venue.create" if creating else "venue.update", target=venue, summary=str(venue)
    )
    return venue


def venues_for(partner: YouthPartner):
    return Venue.objects.filter(youth_partner=partner, is_active=True).order_by("name")
