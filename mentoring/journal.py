"""The pair's record: agreement, session logs, goals, the third-session pulse and staff support check-ins."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from core import policy
from core.audit import audit_record
from core.errors import ApplicationError

from . import lifecycle, moderation, page_reads
from .models import (
    Agreement,
    AgreementTemplate,
    CalendarFeed,
    Goal,
    GoalProgress,
    HeldText,
    MentoringSession,
    NotificationPreference,
    PulseCheckIn,
    Relationship,
    SessionLog,
    SupportCheckIn,
)

Status = Relationship.Status
PULSE_AT_SESSION = 3


# Agreement -----------------------------------------------------------------------------------------
def agreement_template_for(programme) -> AgreementTemplate:
    try:
        return programme.agreement_template
    except AgreementTemplate.DoesNotExist:
        return AgreementTemplate.default_for(programme)


@transaction.atomic
def agreement_sign(*, actor, relationship: Relationship) -> Agreement:
    """The mentor or the mentee signs the pair's agreement (the text is kept as signed)."""
    if actor.pk not in (relationship.mentor_id, relationship.mentee_id):
        raise ApplicationError("Only the mentor and the mentee sign their agreement.")
    if not relationship.is_open:
        raise ApplicationError("This relationship has closed.")
    template = agreement_template_for(relationship.cohort.programme)
    agreement, _created = Agreement.objects.select_for_update(of=("self",)).get_or_create(
        relationship=relationship, defaults={"text": [list(section) for section in template.as_sections()]}
    )
    field = "mentor_signed_at" if actor.pk == relationship.mentor_id else "mentee_signed_at"
    if getattr(agreement, field):
        raise ApplicationError("You have already signed this agreement.")
    setattr(agreement, field, timezone.now())
    agreement.save()
    audit_record(actor=actor, action="agreement.sign", target=relationship, summary=field.split("_")[0])
    return agreement


# Session logs ----------------------------------------------------------------------------------------
@dataclass
class GoalUpdate:
    goal: Goal
    status: str
    note: str


def safeguarding_contacts(relationship: Relationship) -> list:
    """Who to tell about a worry: the youth partner's DSLs, else the programme's."""
    partner_id = relationship.mentee.mentee_profile.youth_partner_id
    assignments = RoleAssignment.objects.filter(
        role=Role.SAFEGUARDING_LEAD, youth_partner_id=partner_id, user__is_active=True
    ).select_related("user", "youth_partner")
    if not assignments:
        assignments = RoleAssignment.objects.filter(
            role=Role.SAFEGUARDING_LEAD,
            youth_partner__isnull=True,
            programme_id=relationship.cohort.programme_id,
            user__is_active=True,
        ).select_related("user", "programme")
    return sorted(assignments, key=lambda a: (a.is_deputy, a.user.first_name))


@transaction.atomic
def session_log_save(
    *,
    actor,
    session: MentoringSession,
    held: bool,
    missed_by: str = "",
    duration_minutes: int | None = None,
    format: str = "",  # noqa: A002  (the field's name)
    topics: list[str] | None = None,
    summary: str = "",
    next_time_notes: str = "",
    mentee_activity: str = "",
    worrying: bool = False,
    goal_updates: list[GoalUpdate] | None = None,
) -> SessionLog:
    """The mentor logs a session that has started. Holding the first session makes the pair active."""
    session = (
        MentoringSession.objects.select_for_update(of=("self",))
        .select_related("relationship__cohort__programme")
        .get(pk=session.pk)
    )
    relationship = session.relationship
    if actor.pk != relationship.mentor_id:
        raise ApplicationError("Only the pair's mentor can log their sessions.")
    if not relationship.is_open:
        raise ApplicationError(
            f"This relationship is {relationship.get_status_display().lower()}: "
            "its sessions can no longer be logged."
        )
    if session.status == MentoringSession.Status.CANCELLED:
        raise ApplicationError("This session was cancelled, so there is nothing to log.")
    if session.starts_at > timezone.now():
        raise ApplicationError("This session has not happened yet.")
    try:
        log = session.log
        creating = False
    except SessionLog.DoesNotExist:
        log = SessionLog(session=session, author=actor)
        creating = True
    log.held = held
    log.missed_by = "" if held else missed_by
    log.duration_minutes = duration_minutes if held else None
    log.format = format if held else ""
    log.topics = sorted(set(topics or [])) if held else []
    log.summary = summary
    log.next_time_notes = next_time_notes
    log.mentee_activity = mentee_activity
    log.worrying = worrying
    log.full_clean()
    # What the mentee sees of the log waits for a check if it seems to contain contact details.
    shared = {"next_time_notes": next_time_notes, "mentee_activity": mentee_activity}
    found = moderation.contact_details_to_hold(relationship, actor, **shared)
    if found:
        log.next_time_notes = log.mentee_activity = ""
    log.save()
    log.held_for_review = []
    if found:
        log.held_for_review.append(
            moderation.held_text_create(
                relationship=relationship,
                author=actor,
                kind=HeldText.Kind.FIELDS,
                texts=shared,
                found=found,
                target=log,
            )
        )
    session.status = MentoringSession.Status.HELD if held else MentoringSession.Status.MISSED
    session.save(update_fields=["status", "updated_at"])
    for update in goal_updates or []:
        if update.goal.relationship_id != relationship.pk:
            raise ApplicationError("That goal belongs to another relationship.")
        if update.status == update.goal.status and not update.note.strip():
            continue
        progress = goal_progress_add(
            actor=actor, goal=update.goal, status=update.status, note=update.note, session=session
        )
        if isinstance(progress, HeldText):
            log.held_for_review.append(progress)
    audit_record(
        actor=actor,
        action="session_log.create" if creating else "session_log.update",
        target=log,
        summary=f"{session} {'held' if held else 'missed'}",
        details={"worrying": worrying},
    )
    if held and relationship.status == Status.INTRODUCED:
        lifecycle.relationship_transition(
            actor=actor, relationship=relationship, to_status=Status.ACTIVE, reason="First session held"
        )
    return log


RECORD_LIMIT_DAYS = 31


@transaction.atomic
def session_record_past(
    *,
    actor,
    relationship: Relationship,
    starts_at: datetime.datetime,
    duration_minutes: int,
    is_online: bool = False,
    venue=None,
) -> MentoringSession:
    """The mentor records a session that took place without being scheduled, to log it next.

    The relationship must be open, the time in the past (at most RECORD_LIMIT_DAYS ago, and not before
    the pair were matched), and the pair must have no other session that day. Later sessions are
    renumbered so that numbers follow the dates."""
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("mentee__mentee_profile")
        .get(pk=relationship.pk)
    )
    if actor.pk != relationship.mentor_id and not lifecycle.may_manage(actor, relationship):
        raise ApplicationError("Only the pair's mentor or their coordinator can record their sessions.")
    if not relationship.is_open:
        raise ApplicationError(
            f"This relationship is {relationship.get_status_display().lower()}: "
            "sessions can no longer be recorded."
        )
    now = timezone.now()
    local = timezone.localtime(starts_at)
    if starts_at > now:
        raise ApplicationError(
            "That time has not come yet. Record a session after it has happened.", field="starts_at"
        )
    earliest = max(
        timezone.localdate() - datetime.timedelta(days=RECORD_LIMIT_DAYS),
        timezone.localtime(relationship.created_at).date(),
    )
    if local.date() < earliest:
        raise ApplicationError(
            f"Sessions can be recorded from {earliest:%d %B %Y} (the pair's match, or "
            f"{RECORD_LIMIT_DAYS} days ago, whichever is later). For anything earlier, ask your coordinator.",
            field="starts_at",
        )
    if venue is None and not is_online:
        raise ApplicationError("Choose where you met, or say the session was online.", field="venue")
    if venue is not None and (
        venue.youth_partner_id != relationship.mentee.mentee_profile.youth_partner_id or not venue.is_active
    ):
        raise ApplicationError("Choose one of the youth partner's venues.", field="venue")
    day_start = timezone.make_aware(datetime.datetime.combine(local.date(), datetime.time.min))
    same_day = (
        relationship.sessions.exclude(status=MentoringSession.Status.CANCELLED)
        .filter(starts_at__gte=day_start, starts_at__lt=day_start + datetime.timedelta(days=1))
        .first()
    )
    if same_day is not None:
        raise ApplicationError(
            f"{same_day} is already on that day: log that session instead of recording a new one.",
            field="starts_at",
        )
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    clash = (
        MentoringSession.objects.filter(relationship__mentor_id=relationship.mentor_id)
        .exclude(status=MentoringSession.Status.CANCELLED)
        .filter(starts_at__lt=ends_at, starts_at__gt=starts_at - datetime.timedelta(hours=6))
        .select_related("relationship__mentee")
    )
    if relationship.group_key:  # the two mentees of a one-to-two meet their mentor together
        clash = clash.exclude(relationship__group_key=relationship.group_key)
    for other in clash:
        if other.ends_at > starts_at:
            raise ApplicationError(
                f"The mentor had another session then ({timezone.localtime(other.starts_at):%H:%M}, "
                f"with {other.relationship.mentee.first_name}). Check the time.",
                field="starts_at",
            )
    session = MentoringSession(
        relationship=relationship,
        number=1,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        venue=venue,
        is_online=is_online,
    )
    session.full_clean()
    session.save()
    renumbered = []
    for number, other in enumerate(relationship.sessions.order_by("starts_at", "pk"), start=1):
        if other.number != number:
            other.number = number
            other.sequence += 1  # calendar files show the number in the title
            renumbered.append(other)
    MentoringSession.objects.bulk_update(renumbered, ["number", "sequence"])
    session.refresh_from_db()
    audit_record(
        actor=actor,
        action="session.record",
        target=session,
        summary=f"{session}, recorded afterwards",
    )
    return session


def last_next_time_notes(relationship: Relationship) -> SessionLog | None:
    """The most recent log with 'next time' notes: the next session opens with it."""
    return (
        SessionLog.objects.filter(session__relationship=relationship)
        .exclude(next_time_notes="")
        .select_related("session")
        .order_by("-session__starts_at")
        .first()
    )


# Goals -------------------------------------------------------------------------------------------------
GOAL_TEXTS = ("title", "measure", "first_step", "why")


@transaction.atomic
def goal_create(*, actor, relationship: Relationship, goal: Goal, checked: bool = False) -> Goal | HeldText:
    """Add a goal. A goal the mentee adds is a proposal until the mentor agrees it. A goal that seems
    to contain contact details is held for a check and made only when released (`checked`)."""
    policy.require(actor, "mentoring.edit_goals", relationship, refuse_with=ApplicationError)
    if not relationship.is_open:
        raise ApplicationError("This relationship has closed.")
    goal.relationship = relationship
    goal.proposed_by = actor
    goal.status = Goal.Status.PROPOSED if actor.pk == relationship.mentee_id else Goal.Status.NOT_STARTED
    if goal.target_date and goal.target_date < timezone.localdate():
        raise ApplicationError("Choose a target date in the future.", field="target_date")
    goal.full_clean()
    texts = {field: getattr(goal, field) or "" for field in GOAL_TEXTS}
    found = [] if checked else moderation.contact_details_to_hold(relationship, actor, **texts)
    if found:
        return moderation.held_text_create(
            relationship=relationship,
            author=actor,
            kind=HeldText.Kind.GOAL,
            texts=texts,
            found=found,
            data={
                "term": goal.term,
                "owner": goal.owner,
                "target_date": goal.target_date.isoformat() if goal.target_date else None,
            },
        )
    goal.save()
    audit_record(actor=actor, action="goal.create", target=goal, summary=goal.title)
    return goal


@transaction.atomic
def goal_progress_add(
    *,
    actor,
    goal: Goal,
    status: str,
    note: str = "",
    session: MentoringSession | None = None,
    checked: bool = False,
) -> GoalProgress | HeldText:
    """Record progress on a goal and move it to `status`. A note that seems to contain contact details
    is held for a check, with the status change, and recorded only when released (`checked`)."""
    relationship = goal.relationship
    policy.require(actor, "mentoring.edit_goals", relationship, refuse_with=ApplicationError)
    if not relationship.is_open:
        raise ApplicationError("This relationship has closed.")
    if status not in Goal.Status.values or status == Goal.Status.PROPOSED:
        raise ApplicationError("Choose a status for the goal.", field="status")
    if goal.status == Goal.Status.PROPOSED and actor.pk == relationship.mentee_id:
        raise ApplicationError("Your mentor agrees a proposed goal before it starts.", field="status")
    found = [] if checked else moderation.contact_details_to_hold(relationship, actor, note=note)
    if found:
        return moderation.held_text_create(
            relationship=relationship,
            author=actor,
            kind=HeldText.Kind.GOAL_PROGRESS,
            texts={"note": note},
            found=found,
            data={"status": status, "session": session.pk if session else None},
            target=goal,
        )
    progress = GoalProgress(
        goal=goal, session=session, author=actor, status=status, note=note.strip() or "Status updated."
    )
    progress.full_clean()
    progress.save()
    goal.status = status
    goal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="goal.progress", target=goal, summary=f"{goal.title}: {status}")
    return progress


def _release_goal(held: HeldText) -> Goal:
    data = held.data
    goal = Goal(
        **held.texts,
        term=data["term"],
        owner=data["owner"],
        target_date=datetime.date.fromisoformat(data["target_date"]) if data.get("target_date") else None,
    )
    return goal_create(actor=held.author, relationship=held.relationship, goal=goal, checked=True)


def _release_goal_progress(held: HeldText) -> GoalProgress:
    goal = held.target
    if goal is None:
        raise ApplicationError("The goal this note belongs to no longer exists.")
    session = MentoringSession.objects.filter(pk=held.data.get("session")).first()
    return goal_progress_add(
        actor=held.author,
        goal=goal,
        status=held.data["status"],
        note=held.texts["note"],
        session=session,
        checked=True,
    )


moderation.register_releaser(HeldText.Kind.GOAL, _release_goal, Goal)
moderation.register_releaser(HeldText.Kind.GOAL_PROGRESS, _release_goal_progress, GoalProgress)


# Third-session pulse --------------------------------------------------------------------------------------
def pulse_due(user, relationship: Relationship, sessions=None) -> bool:
    """True once the third session has started, until this person has answered. `sessions`: every
    session of the relationship (their status and start), when the caller has read them."""
    if user.pk not in (relationship.mentor_id, relationship.mentee_id) or not relationship.is_open:
        return False
    if sessions is None:
        started = (
            relationship.sessions.exclude(status=MentoringSession.Status.CANCELLED)
            .filter(starts_at__lte=timezone.now())
            .count()
        )
    else:
        now = timezone.now()
        cancelled = MentoringSession.Status.CANCELLED
        started = sum(1 for session in sessions if session.status != cancelled and session.starts_at <= now)
    if started < PULSE_AT_SESSION:
        return False
    if sessions is not None:
        return not page_reads.pulse_answered(user=user, relationship=relationship)
    return not PulseCheckIn.objects.filter(relationship=relationship, respondent=user).exists()


@transaction.atomic
def pulse_answer(*, actor, relationship: Relationship, rating: int, comment: str = "") -> PulseCheckIn:
    """Answer "how is it going?" privately. A poor answer creates a follow-up task for staff."""
    if actor.pk not in (relationship.mentor_id, relationship.mentee_id):
        raise ApplicationError("Only the mentor and the mentee answer this check-in.")
    if rating not in PulseCheckIn.Rating.values:
        raise ApplicationError("Choose an answer.", field="rating")
    pulse = PulseCheckIn(relationship=relationship, respondent=actor, rating=rating, comment=comment.strip())
    pulse.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            pulse.save()
    except IntegrityError as error:
        raise ApplicationError("You have already answered this check-in.") from error
    if pulse.needs_action:
        SupportCheckIn.objects.create(
            relationship=relationship,
            kind=SupportCheckIn.Kind.PULSE_FOLLOW_UP,
            pulse=pulse,
            due_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    audit_record(actor=actor, action="pulse.answer", target=relationship, summary=f"rating {rating}")
    return pulse


# Support check-ins ---------------------------------------------------------------------------------
def may_support(user, relationship: Relationship) -> bool:
    return user.is_programme_staff or lifecycle.may_manage(user, relationship)


@transaction.atomic
def support_check_in_complete(*, actor, check_in: SupportCheckIn, notes: str) -> SupportCheckIn:
    """Staff record a support check-in as done, with notes."""
    check_in = (
        SupportCheckIn.objects.select_for_update(of=("self",))
        .select_related("relationship")
        .get(pk=check_in.pk)
    )
    if not may_support(actor, check_in.relationship):
        raise ApplicationError("Only programme staff and the coordinator record support check-ins.")
    if check_in.completed_at is not None:
        raise ApplicationError("This check-in is already recorded.")
    if not notes.strip():
        raise ApplicationError("Write a short note of the check-in.", field="notes")
    check_in.completed_at = timezone.now()
    check_in.completed_by = actor
    check_in.notes = notes.strip()
    check_in.save()
    audit_record(actor=actor, action="support_check_in.complete", target=check_in, summary=str(check_in))
    return check_in


# Calendar feed and notification preferences ----------------------------------------------------
def calendar_feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor) -> CalendarFeed:
    """Replace the private feed address; the old one stops working at once."""
    feed = calendar_feed_for(actor)
    feed.regenerate()
    feed.save()
    audit_record(actor=actor, action="calendar_feed.revoke", target=feed, summary="feed address replaced")
    return feed


@transaction.atomic
def notification_preference_save(*, actor, preference: NotificationPreference) -> NotificationPreference:
    if preference.user_id != actor.pk:
        raise ApplicationError("You can change only your own notification settings.")
    preference.full_clean()
    preference.save()
    return preference
