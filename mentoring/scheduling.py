"""Scheduling sessions: a whole run in one step, rescheduling and cancelling, venues and blackout dates."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.errors import ApplicationError

from . import lifecycle, moderation, notifications
from .dates import add_months
from .models import (
    BlackoutDate,
    HeldText,
    MentoringSession,
    Programme,
    Relationship,
    Term,
    Venue,
    YouthPartner,
)
from .terms import Holiday, holidays_between

Status = Relationship.Status
MAX_RUN = 24


@dataclass
class ScheduleResult:
    sessions: list[MentoringSession]
    warnings: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


def _blackouts(partner: YouthPartner) -> list[BlackoutDate | Holiday]:
    """The partner's closures from today, and its holidays when it keeps term time."""
    today = timezone.localdate()
    closed: list[BlackoutDate | Holiday] = list(
        BlackoutDate.objects.filter(youth_partner_id=partner.pk, ends_on__gte=today)
    )
    if partner.in_term_only:
        terms = list(Term.objects.filter(youth_partner_id=partner.pk))
        closed += holidays_between(terms, today, today + datetime.timedelta(days=3 * 366))
    return closed


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
    return _at_local_time(day, local)


def _at_local_time(day: datetime.date, local: datetime.datetime) -> datetime.datetime:
    """The same wall-clock time on another day: 16:00 stays 16:00 across a change of the clocks."""
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


@dataclass
class _Diary:
    """What a new session must avoid: the partner's closures and working days, and other sessions."""

    partner: YouthPartner
    blackouts: list[BlackoutDate | Holiday]
    pair_days: set[datetime.date]
    mentor_busy: list[tuple[datetime.datetime, datetime.datetime]]

    def problem(self, when: datetime.datetime, minutes: int) -> tuple[str, datetime.date] | None:
        """Why `when` will not do, and the first day worth trying instead; None when it is free."""
        day = timezone.localtime(when).date()
        blackout = _blackout_on(day, self.blackouts)
        if blackout is not None:
            return f"{blackout.label}", blackout.ends_on + datetime.timedelta(days=1)
        if self.partner.weekdays_only and day.weekday() >= 5:
            monday = day + datetime.timedelta(days=7 - day.weekday())
            return f"{self.partner.name} has sessions on weekdays only", monday
        if day in self.pair_days:
            return "the pair already meet that day", day + datetime.timedelta(days=1)
        ends = when + datetime.timedelta(minutes=minutes)
        for other_starts, other_ends in self.mentor_busy:
            if other_starts < ends and when < other_ends:
                return "the mentor has another session then", day + datetime.timedelta(days=1)
        return None

    def book(self, when: datetime.datetime, minutes: int) -> None:
        self.pair_days.add(timezone.localtime(when).date())
        self.mentor_busy.append((when, when + datetime.timedelta(minutes=minutes)))


def _diary_for(relationship: Relationship, partner: YouthPartner, *, exclude_pk=None) -> _Diary:
    live = MentoringSession.objects.exclude(status=MentoringSession.Status.CANCELLED).exclude(pk=exclude_pk)
    pair_days = {
        timezone.localtime(starts_at).date()
        for starts_at in live.filter(relationship=relationship).values_list("starts_at", flat=True)
    }
    others = live.filter(relationship__mentor_id=relationship.mentor_id, starts_at__gte=timezone.now())
    others = others.exclude(relationship=relationship)
    if relationship.group_key:
        # The two mentees of a one-to-two meet their mentor together.
        others = others.exclude(relationship__group_key=relationship.group_key)
    mentor_busy = [
        (starts_at, starts_at + datetime.timedelta(minutes=minutes))
        for starts_at, minutes in others.values_list("starts_at", "duration_minutes")
    ]
    return _Diary(partner, _blackouts(partner), pair_days, mentor_busy)


def _next_free(diary: _Diary, planned: datetime.datetime, minutes: int) -> tuple[datetime.datetime, str]:
    """The first allowed slot at the same time of day on or after `planned`, and why it moved (or "")."""
    when, first_reason = planned, ""
    for _attempt in range(800):
        problem = diary.problem(when, minutes)
        if problem is None:
            return when, first_reason
        reason, next_day = problem
        first_reason = first_reason or reason
        when = _at_local_time(next_day, timezone.localtime(when))
    raise ApplicationError(
        "No free day was found for these sessions: check the youth partner's blackout dates."
    )


def _check_hours(when: datetime.datetime, minutes: int, partner: YouthPartner, field_name: str) -> None:
    earliest, latest = partner.session_hours
    local = timezone.localtime(when)
    ends = (local + datetime.timedelta(minutes=minutes)).time()
    if (earliest and local.time() < earliest) or (latest and (ends > latest or ends < local.time())):
        raise ApplicationError(
            f"{partner.name} has sessions between {earliest or datetime.time(0):%H:%M} and "
            f"{latest or datetime.time(23, 59):%H:%M}: a {minutes}-minute session at {local:%H:%M} "
            "does not fit. Choose another time.",
            field=field_name,
        )


def _check_when(
    when: datetime.datetime, diary: _Diary, minutes: int, field_name: str = "starts_at"
) -> list[str]:
    """Refuse a time in the past, outside the partner's hours, terms or days, or on another session."""
    if when <= timezone.now():
        raise ApplicationError("Choose a date and time in the future.", field=field_name)
    _check_hours(when, minutes, diary.partner, field_name)
    local = timezone.localtime(when)
    problem = diary.problem(when, minutes)
    if problem is None:
        return []
    reason, _next_day = problem
    if reason == "the mentor has another session then":
        raise ApplicationError(
            f"The mentor already has another session at {local:%H:%M on %A %d %B %Y}. Choose another time.",
            field=field_name,
        )
    blackout = _blackout_on(local.date(), diary.blackouts)
    if isinstance(blackout, Holiday):
        raise ApplicationError(
            f"{local:%d %B %Y} is in the {blackout.label.lower()} at {diary.partner.name}, which has "
            "sessions in term time only. Choose another date.",
            field=field_name,
        )
    if blackout is not None:
        raise ApplicationError(
            f"{local:%d %B %Y} falls in a blackout period ({blackout}). Choose another date.",
            field=field_name,
        )
    if reason == "the pair already meet that day":
        raise ApplicationError(
            f"The pair already have a session on {local:%A %d %B %Y}. Choose another day.", field=field_name
        )
    raise ApplicationError(
        f"{local:%A %d %B %Y} is a weekend day, and {diary.partner.name} has sessions on weekdays only. "
        "Choose a weekday.",
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
        .select_related("cohort__programme", "mentee__mentee_profile__youth_partner", "mentor")
        .get(pk=relationship.pk)
    )
    policy.require(actor, "mentoring.schedule_sessions", relationship, refuse_with=ApplicationError)
    if relationship.status not in (Status.APPROVED, Status.INTRODUCED, Status.ACTIVE):
        raise ApplicationError(
            "Sessions cannot be scheduled for a relationship that is "
            f"{relationship.get_status_display().lower()}."
        )
    if not 1 <= count <= MAX_RUN:
        raise ApplicationError(f"Schedule between 1 and {MAX_RUN} sessions.", field="count")
    partner = relationship.mentee.mentee_profile.youth_partner
    _check_venue(venue, partner.pk)
    if venue is None and not is_online:
        raise ApplicationError("Choose a venue, or say the sessions are online.", field="venue")
    programme = relationship.cohort.programme
    duration = duration_minutes or programme.session_minutes
    diary = _diary_for(relationship, partner)
    _check_when(first_starts_at, diary, duration, "first_starts_at")
    next_number = (relationship.sessions.aggregate(top=Max("number"))["top"] or 0) + 1
    result = ScheduleResult(sessions=[])
    previous: datetime.datetime | None = None
    for index in range(count):
        planned = original = _step(programme, first_starts_at, index)
        if previous is not None and planned <= previous:
            # An earlier session was moved past this one's date: this one follows it, never joins it.
            planned = _at_local_time(
                timezone.localtime(previous).date() + datetime.timedelta(days=1), timezone.localtime(planned)
            )
        # The first session is where the person chose (checked above); the rest find a free slot.
        when, reason = (planned, "") if index == 0 else _next_free(diary, planned, duration)
        if when != original:
            reason = (diary.problem(original, duration) or ("to follow the session before it",))[0]
        if reason:
            result.moved.append(
                f"Session {next_number + index} moved from {timezone.localtime(planned):%a %d %B} to "
                f"{timezone.localtime(when):%a %d %B %Y} ({reason})."
            )
        diary.book(when, duration)
        previous = when
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
        .select_related(
            "relationship__mentee__mentee_profile__youth_partner", "relationship__mentor", "venue"
        )
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
    policy.require(actor, "mentoring.schedule_sessions", relationship, refuse_with=ApplicationError)
    if not reason.strip():
        raise ApplicationError("Give a reason for the change.", field="reason")
    partner = relationship.mentee.mentee_profile.youth_partner
    _check_when(starts_at, _diary_for(relationship, partner, exclude_pk=session.pk), session.duration_minutes)
    if venue is not None:
        _check_venue(venue, partner.pk)
        session.venue = venue
    if is_online is not None:
        session.is_online = is_online
    previous = timezone.localtime(session.starts_at)
    session.starts_at = starts_at
    session.change_reason, held = _reason_shown(actor=actor, session=session, reason=reason)
    session.sequence += 1
    session.full_clean()
    session.save()
    audit_record(
        actor=actor,
        action="session.reschedule",
        target=session,
        summary=f"{previous:%d %b %Y %H:%M} -> {timezone.localtime(starts_at):%d %b %Y %H:%M}",
        details={"reason": reason[:500]},
    )
    notifications.sessions_changed(
        relationship=relationship,
        sessions=[session],
        change="rescheduled",
        reason=session.change_reason or REASON_HELD,
        actor=actor,
    )
    warnings = double_booking_warnings([session], relationship.mentor_id)
    if held is not None:
        warnings.append(moderation.held_message(held))
    return ScheduleResult(sessions=[session], warnings=warnings)


REASON_HELD = "The reason given is waiting for the coordinator to check it."


def _reason_shown(*, actor, session: MentoringSession, reason: str) -> tuple[str, HeldText | None]:
    """The reason the other side of the pair reads: held for a check, like a message, when the pair
    schedule themselves and it seems to contain contact details."""
    reason = reason.strip()
    found = moderation.contact_details_to_hold(session.relationship, actor, change_reason=reason)
    if not found:
        return reason, None
    held = moderation.held_text_create(
        relationship=session.relationship,
        author=actor,
        kind=HeldText.Kind.FIELDS,
        texts={"change_reason": reason},
        found=found,
        target=session,
    )
    return "", held


@transaction.atomic
def session_cancel(*, actor, session: MentoringSession, reason: str) -> MentoringSession:
    """Cancel one session, with a reason; everyone affected is told."""
    session = _locked_scheduled_session(session)
    policy.require(actor, "mentoring.schedule_sessions", session.relationship, refuse_with=ApplicationError)
    if not reason.strip():
        raise ApplicationError("Give a reason for cancelling.", field="reason")
    session.status = MentoringSession.Status.CANCELLED
    shown, held = _reason_shown(actor=actor, session=session, reason=reason)
    session.change_reason, session.held_for_review = shown, held
    session.sequence += 1
    session.save()
    audit_record(
        actor=actor,
        action="session.cancel",
        target=session,
        summary=str(session),
        details={"reason": reason[:500]},
    )
    notifications.sessions_changed(
        relationship=session.relationship,
        sessions=[session],
        change="cancelled",
        reason=session.change_reason or REASON_HELD,
        actor=actor,
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
def term_save(*, actor, term: Term) -> Term:
    """Record one of a partner's terms; sessions then fall inside its terms instead of the usual ones."""
    term.full_clean()
    overlapping = Term.objects.filter(
        youth_partner_id=term.youth_partner_id, starts_on__lte=term.ends_on, ends_on__gte=term.starts_on
    ).exclude(pk=term.pk)
    if overlapping.exists():
        raise ApplicationError(f"These dates overlap {overlapping.first()}.", field="starts_on")
    creating = term.pk is None
    term.save()
    audit_record(
        actor=actor, action="term.create" if creating else "term.update", target=term, summary=str(term)
    )
    return term


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
