"""The relationship lifecycle: every status change goes through `relationship_transition`.

Each change writes a RelationshipEvent (history shown to users) and an audit row, in one transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile
from core.audit import audit_record
from core.errors import ApplicationError
from core.signals import relationship_closed
from recruitment.selectors import has_valid_enhanced_check

from .dates import add_months
from .models import Closure, Goal, Relationship, RelationshipEvent, SessionLog, SupportCheckIn, Topic

Status = Relationship.Status
EndReason = Relationship.EndReason

# status -> the statuses it may move to.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.APPROVED: frozenset({Status.INTRODUCED, Status.ENDED_EARLY}),
    Status.INTRODUCED: frozenset({Status.ACTIVE, Status.PAUSED, Status.ENDED_EARLY}),
    Status.ACTIVE: frozenset({Status.PAUSED, Status.COMPLETED, Status.ENDED_EARLY}),
    Status.PAUSED: frozenset({Status.ACTIVE, Status.COMPLETED, Status.ENDED_EARLY}),
    Status.COMPLETED: frozenset(),
    Status.ENDED_EARLY: frozenset(),
}
CLOSED_STATUSES = (Status.COMPLETED, Status.ENDED_EARLY)
EARLY_END_REASONS = tuple(reason for reason in EndReason if reason != EndReason.COMPLETED)


def allowed_next_statuses(relationship: Relationship) -> list[str]:
    return sorted(ALLOWED_TRANSITIONS[relationship.status])


def _record(*, relationship, actor, from_status: str, to_status: str, reason: str, action: str):
    RelationshipEvent.objects.create(
        relationship=relationship, actor=actor, from_status=from_status, to_status=to_status, reason=reason
    )
    audit_record(
        actor=actor,
        action=action,
        target=relationship,
        summary=f"{from_status or 'new'} -> {to_status}",
        details={"from": from_status, "to": to_status, "reason": reason[:500]},
    )


def _mentee_is_under_18(mentee) -> bool:
    """Under 18 today, or of unknown age (no profile or no date of birth): the safe answer."""
    profile = MenteeProfile.objects.filter(user=mentee).first()
    if profile is None or profile.date_of_birth is None:
        return True
    return profile.is_under_18


@transaction.atomic
def relationship_create(*, actor, mentor, mentee, cohort, group_key: str = "") -> Relationship:
    """Start an approved relationship (called when a match is accepted), within the mentor's capacity."""
    # The person is read with the profile, so the suspension fact is the stored one, not a copy's.
    profile = (
        MentorProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user=mentor)
        .first()
    )
    if profile is None:
        raise ApplicationError(f"{mentor} has no mentor profile.", field="mentor")
    if profile.user.is_suspended:
        # A suspended or removed mentor is out of the matching pool until the suspension is lifted.
        raise ApplicationError(
            f"{mentor.get_full_name()} is suspended and cannot be matched.", field="mentor"
        )
    if _mentee_is_under_18(mentee) and not has_valid_enhanced_check(mentor, barred_list=True):
        raise ApplicationError(
            f"{mentor.get_full_name()} cannot mentor someone under 18 without a valid enhanced "
            "background check that includes the children's barred list.",
            field="mentor",
        )
    open_count = Relationship.objects.open().filter(mentor=mentor).count()
    if open_count >= profile.capacity:
        raise ApplicationError(
            f"{mentor.get_full_name()} already mentors {open_count} of their {profile.capacity} "
            "possible mentees.",
            field="mentor",
        )
    if Relationship.objects.open().filter(mentor=mentor, mentee=mentee).exists():
        raise ApplicationError("This mentor and mentee already have an open relationship.", field="mentee")
    relationship = Relationship(
        mentor=mentor, mentee=mentee, cohort=cohort, group_key=group_key, status=Status.APPROVED
    )
    try:
        relationship.full_clean()
        with transaction.atomic():
            relationship.save()
    except ValidationError as error:
        raise ApplicationError("; ".join(error.messages)) from error
    except IntegrityError as error:
        raise ApplicationError("This mentor and mentee already have an open relationship.") from error
    _record(
        relationship=relationship,
        actor=actor,
        from_status="",
        to_status=Status.APPROVED,
        reason="Match approved",
        action="relationship.create",
    )
    return relationship


def _check(relationship: Relationship, to_status: str) -> None:
    if to_status not in Status.values:
        raise ApplicationError(f"“{to_status}” is not a relationship status.", field="status")
    if to_status not in ALLOWED_TRANSITIONS[relationship.status]:
        current = Status(relationship.status).label.lower()
        target = Status(to_status).label.lower()
        raise ApplicationError(
            f"A relationship that is {current} cannot be moved to {target}.", field="status"
        )


@transaction.atomic
def relationship_transition(
    *, actor, relationship: Relationship, to_status: str, reason: str = ""
) -> Relationship:
    """Move a relationship to another open status (introduced, active, paused). Closing uses
    `relationship_close`, which also runs the closure workflow."""
    relationship = Relationship.objects.select_for_update(of=("self",)).get(pk=relationship.pk)
    _check(relationship, to_status)
    if to_status in CLOSED_STATUSES:
        raise ApplicationError("Use the closing workflow to complete or end a relationship.", field="status")
    if to_status == Status.PAUSED and not reason.strip():
        raise ApplicationError("Give a reason for pausing.", field="reason")
    from_status = relationship.status
    relationship.status = to_status
    if to_status == Status.ACTIVE and relationship.started_on is None:
        relationship.started_on = timezone.localdate()
        programme = relationship.cohort.programme
        relationship.planned_end_on = add_months(relationship.started_on, programme.relationship_months)
        _create_support_check_ins(relationship)
    relationship.full_clean()
    relationship.save()
    _record(
        relationship=relationship,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        action="relationship.transition",
    )
    return relationship


def _create_support_check_ins(relationship: Relationship) -> None:
    days = relationship.cohort.programme.support_check_in_days or []
    start = relationship.started_on
    SupportCheckIn.objects.bulk_create(
        [
            SupportCheckIn(relationship=relationship, due_on=start + datetime.timedelta(days=int(day)))
            for day in sorted(set(days))
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def relationship_extend(
    *, actor, relationship: Relationship, months: int, mentor_agrees: bool, mentee_agrees: bool
) -> Relationship:
    """Extend beyond the planned length, only when both mentor and mentee agree."""
    relationship = Relationship.objects.select_for_update(of=("self",)).get(pk=relationship.pk)
    if relationship.status not in (Status.ACTIVE, Status.PAUSED):
        raise ApplicationError("Only an active or paused relationship can be extended.")
    if not (mentor_agrees and mentee_agrees):
        raise ApplicationError("Both the mentor and the mentee must agree to extend.", field="mentee_agrees")
    if not 1 <= months <= 12:
        raise ApplicationError("Extend by between 1 and 12 months.", field="months")
    base = relationship.planned_end_on or timezone.localdate()
    relationship.planned_end_on = add_months(base, months)
    relationship.save(update_fields=["planned_end_on", "updated_at"])
    _record(
        relationship=relationship,
        actor=actor,
        from_status=relationship.status,
        to_status=relationship.status,
        reason=f"Extended by {months} month{'s' if months != 1 else ''} with both agreeing",
        action="relationship.extend",
    )
    return relationship


TOPIC_RECOMMENDATIONS = {
    "confidence": "You helped build confidence: in your next match, name the progress you see early "
    "and often.",
    "options": "You explored education and career options: keep a short list of trusted sources to share.",
    "employability": "CVs, applications and interviews came up: a mock interview is a strong "
    "final-month activity.",
    "study": "Study and exams mattered: plan around exam seasons and keep sessions short and focused then.",
    "wellbeing": "Wellbeing came up: revisit the safeguarding module and know your DSL's name "
    "before you start.",
    "world_of_work": "You opened up the world of work: introductions to your network made a real difference.",
    "opportunities": "You shared real opportunities: log them so the next mentor can build on them.",
}


def recommendations_for(relationship: Relationship) -> list[str]:
    """Personal recommendations for the mentor, built from their own session logs and goals."""
    logs = list(SessionLog.objects.filter(session__relationship=relationship))
    held = [log for log in logs if log.held]
    missed = [log for log in logs if not log.held]
    tips = []
    if not logs:
        return ["There were no session logs. Logging each session helps you and the programme see progress."]
    tips.append(
        f"You logged {len(logs)} session{'s' if len(logs) != 1 else ''}: "
        f"{len(held)} held, {len(missed)} missed."
    )
    counts: dict[str, int] = {}
    for log in held:
        for topic in log.topics:
            counts[topic] = counts.get(topic, 0) + 1
    for topic, _count in sorted(counts.items(), key=lambda item: -item[1])[:3]:
        if topic in TOPIC_RECOMMENDATIONS:
            tips.append(TOPIC_RECOMMENDATIONS[topic])
    untouched = [label for value, label in Topic.choices if value not in counts]
    if held and untouched:
        tips.append(
            f"Topics you did not cover this time: {', '.join(untouched[:3]).lower()}. "
            "Consider them next time."
        )
    if held and sum(1 for log in held if log.next_time_notes.strip()) < len(held) / 2:
        tips.append(
            "Fewer than half your logs had “next time” notes: a short note makes the next "
            "session easier to start."
        )
    if len(missed) >= 2:
        tips.append("Several sessions were missed: agree dates further ahead and confirm two days before.")
    goals = list(Goal.objects.filter(relationship=relationship))
    achieved = sum(1 for goal in goals if goal.status in (Goal.Status.ACHIEVED, Goal.Status.PARTLY_ACHIEVED))
    if not goals:
        tips.append("No goals were recorded: set one short-term goal in the first or second session.")
    else:
        tips.append(
            f"{achieved} of {len(goals)} goal{'s' if len(goals) != 1 else ''} achieved or partly achieved."
        )
    return tips


@transaction.atomic
def relationship_close(
    *,
    actor,
    relationship: Relationship,
    reason: str,
    notes: str = "",
    final_meeting_held: bool = False,
    checklist: list[str] | None = None,
    contact_policy_acknowledged: bool = False,
) -> Relationship:
    """Complete or end early: history, closure record, recommendations, messaging off, then the signal."""
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("cohort__programme")
        .get(pk=relationship.pk)
    )
    if reason not in EndReason.values:
        raise ApplicationError("Choose a reason for closing.", field="reason")
    early = reason != EndReason.COMPLETED
    to_status = Status.ENDED_EARLY if early else Status.COMPLETED
    _check(relationship, to_status)
    if not contact_policy_acknowledged:
        raise ApplicationError(
            "Confirm that the post-closure contact policy has been explained.",
            field="contact_policy_acknowledged",
        )
    unknown = set(checklist or []) - {key for key, _label in Closure.CHECKLIST}
    if unknown:
        raise ApplicationError("Unknown checklist item.", field="checklist")
    from_status = relationship.status
    today = timezone.localdate()
    programme = relationship.cohort.programme
    relationship.status = to_status
    relationship.ended_on = today
    relationship.end_reason = reason
    relationship.messaging_enabled = False
    relationship.rematch_available_on = (
        today + datetime.timedelta(days=programme.rematch_wait_days) if early else None
    )
    relationship.full_clean()
    relationship.save()
    Closure.objects.create(
        relationship=relationship,
        early=early,
        reason=reason,
        notes=notes,
        final_meeting_held=final_meeting_held,
        checklist=sorted(set(checklist or [])),
        recommendations=recommendations_for(relationship),
        contact_policy_acknowledged=True,
        closed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Future sessions of a closed relationship are cancelled, and open support tasks closed.
    relationship.sessions.filter(status="scheduled", starts_at__gte=timezone.now()).update(
        status="cancelled", change_reason="The relationship closed"
    )
    _record(
        relationship=relationship,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=EndReason(reason).label + (f": {notes}" if notes else ""),
        action="relationship.close",
    )
    from .notifications import closure_thank_you

    closure_thank_you(relationship=relationship)
    relationship_closed.send(sender=Relationship, relationship=relationship, early=early, actor=actor)
    return relationship


def may_manage(user, relationship: Relationship) -> bool:
    """Coordinators of the mentee's youth partner and programme staff run the lifecycle."""
    from core import policy

    return policy.can(user, policy.CHANGE, relationship)


__all__ = [
    "ALLOWED_TRANSITIONS",
    "EARLY_END_REASONS",
    "allowed_next_statuses",
    "relationship_close",
    "relationship_create",
    "relationship_extend",
    "relationship_transition",
]
