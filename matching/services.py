"""Matching actions: start and run rounds, decide proposals, match by hand, mentor-chosen opportunities.

Each service is atomic, checks the actor through the policy module and writes an audit row for
changes to who is matched with whom.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import MenteeProfile, Role, RoleAssignment, User
from core import policy
from core.audit import audit_record
from core.errors import ApplicationError
from matching import engine, notifications
from matching.engine import Reason, Weights
from matching.models import (
    InterestExpression,
    MatchingRound,
    MatchingSettings,
    Opportunity,
    Proposal,
    RejectedPair,
    UnmatchedOutcome,
)
from matching.records import build_tables
from matching.records_db import LABELS, REGIONS, Pool, load_mentee_records, load_mentor_records, load_pool
from mentoring.lifecycle import relationship_create
from programmes.models import Cohort, Programme, YouthPartner
from recruitment.models import Application

logger = logging.getLogger(__name__)

NOT_READY_REASONS = frozenset(
    {
        Reason.MENTEE_AGE_MISSING,
        Reason.MENTEE_AGE_CONTRADICTS_FLAGS,
        Reason.MENTEE_OUTSIDE_AGE_RANGE,
        Reason.MENTEE_NO_CONSENT,
        Reason.MENTEE_NO_PARENTAL_CONSENT,
        Reason.MENTEE_INDUCTION_NOT_DONE,
        Reason.MENTEE_REGION_MISSING,
        Reason.MENTEE_ONE_TO_TWO_CONTRADICTION,
        Reason.MENTEE_FIRST_NEED_NOT_LISTED,
        Reason.MENTOR_NOT_APPROVED,
        Reason.MENTOR_NOT_TRAINED,
        Reason.MENTOR_CAPACITY_INVALID,
        Reason.MENTOR_ONE_TO_TWO_CONTRADICTION,
        Reason.MENTOR_REGION_MISSING,
        Reason.MENTOR_NO_PLACES_LEFT,
    }
)
OTHERS_CLOSER_REASONS = frozenset({Reason.OUTMATCHED, Reason.NOT_CHOSEN})
PROBLEM_REASON_CODE = 255  # stored data could not be read


def outcome_category(code: int) -> str:
    if code == PROBLEM_REASON_CODE or code in NOT_READY_REASONS:
        return UnmatchedOutcome.Category.NOT_READY
    if code in OTHERS_CLOSER_REASONS:
        return UnmatchedOutcome.Category.OTHERS_CLOSER
    return UnmatchedOutcome.Category.NO_SUITABLE_MATCH


def programme_weights(programme: Programme) -> Weights:
    settings_row = MatchingSettings.objects.filter(programme=programme).first()
    return settings_row.weights() if settings_row else Weights()


# Rounds --------------------------------------------------------------------------------------------


@transaction.atomic
def round_start(
    *,
    actor: User,
    programme: Programme,
    scope: str,
    cohort: Cohort | None = None,
    youth_partner: YouthPartner | None = None,
    protect_worst_off: bool = False,
) -> MatchingRound:
    """Queue a round over a pool; the run happens in a Celery job once this commits.

    Only one round per pool may be waiting or running: a second start is refused."""
    if scope == MatchingRound.Scope.COHORT:
        if cohort is None:
            raise ApplicationError("Choose the cohort to match.", field="cohort")
        programme, youth_partner = cohort.programme, cohort.youth_partner
    elif scope == MatchingRound.Scope.YOUTH_PARTNER:
        if youth_partner is None:
            raise ApplicationError("Choose the youth partner to match.", field="youth_partner")
        cohort = None
    elif scope == MatchingRound.Scope.PROGRAMME:
        cohort = youth_partner = None
    else:
        raise ApplicationError("Choose what to match.", field="scope")
    if not policy.can_create(actor, MatchingRound, scope=scope, youth_partner=youth_partner):
        raise ApplicationError("You may not start a matching round for this pool.", field="scope")
    matching_round = MatchingRound(
        programme=programme,
        scope=scope,
        cohort=cohort,
        youth_partner=youth_partner,
        pool_key=MatchingRound.make_pool_key(
            programme_id=programme.pk,
            scope=scope,
            cohort_id=cohort.pk if cohort else None,
            youth_partner_id=youth_partner.pk if youth_partner else None,
        ),
        started_by=actor,
        protect_worst_off=protect_worst_off,
        weights=dataclasses.asdict(programme_weights(programme)),
        progress_message="Waiting for a worker to start the round.",
    )
    matching_round.full_clean(exclude=["pool_key"], validate_constraints=False)
    try:
        with transaction.atomic():
            matching_round.save()
    except IntegrityError:
        raise ApplicationError(
            "A round for this pool is already waiting or running. Wait for it to finish.", field="scope"
        ) from None
    audit_record(
        actor=actor, action="matching.round_start", target=matching_round, summary=matching_round.pool_label
    )
    from matching.tasks import matching_round_run

    round_id = matching_round.pk
    matching_round_run.delay_on_commit(round_id)
    return matching_round


def _progress(round_id: int, percent: int, message: str) -> None:
    MatchingRound.objects.filter(pk=round_id).update(progress=percent, progress_message=message[:200])


class RoundClaimLost(Exception):
    """This run's claim on a round was taken back (its worker was thought dead): it writes nothing."""


def rounds_due_again(*, now=None) -> list[int]:
    """Rounds whose run should be queued again: waiting WORK_REQUEUE_AFTER seconds after they were
    started (the task was lost with the broker), or running for longer than WORK_STALE_AFTER (the
    worker died; those are put back to waiting here, and a late write by the old run is refused)."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.WORK_STALE_AFTER)
    MatchingRound.objects.filter(status=MatchingRound.Status.RUNNING, started_at__lt=stale).update(
        status=MatchingRound.Status.QUEUED,
        progress=0,
        progress_message="The worker running this round stopped; waiting to start it again.",
    )
    waiting_since = now - datetime.timedelta(seconds=settings.WORK_REQUEUE_AFTER)
    return list(
        MatchingRound.objects.filter(
            status=MatchingRound.Status.QUEUED, created_at__lt=waiting_since
        ).values_list("pk", flat=True)
    )


def round_run(*, round_id: int, notify: bool = True) -> MatchingRound | None:
    """Run a queued round: claim it, read the pool, solve, and write proposals and outcomes.

    Idempotent: a round that is not waiting is left alone. Any failure marks the round failed with
    the error rather than leaving it running."""
    started_at = timezone.now()
    claimed = MatchingRound.objects.filter(pk=round_id, status=MatchingRound.Status.QUEUED).update(
        status=MatchingRound.Status.RUNNING,
        started_at=started_at,
        progress=5,
        progress_message="Reading the pool.",
    )
    if not claimed:
        return None
    matching_round = MatchingRound.objects.select_related("programme", "cohort", "youth_partner").get(
        pk=round_id
    )
    try:
        _round_compute_and_write(matching_round, notify=notify)
    except RoundClaimLost:
        logger.warning("Matching round %s was taken back from this run; another run writes it", round_id)
        return None
    except Exception as error:  # noqa: BLE001 - a failed round must say so instead of staying "running"
        logger.exception("Matching round %s failed", round_id)
        MatchingRound.objects.filter(
            pk=round_id, status=MatchingRound.Status.RUNNING, started_at=started_at
        ).update(
            status=MatchingRound.Status.FAILED,
            finished_at=timezone.now(),
            error=f"The round could not finish: {error}"[:2000],
            progress_message="Failed.",
        )
    matching_round.refresh_from_db()
    return matching_round


def _round_compute_and_write(matching_round: MatchingRound, *, notify: bool = True) -> None:
    programme = matching_round.programme
    pool = load_pool(
        programme=programme,
        scope=matching_round.scope,
        cohort_id=matching_round.cohort_id,
        youth_partner_id=matching_round.youth_partner_id,
    )
    _progress(
        matching_round.pk, 30, f"Scoring {len(pool.mentees)} mentees against {len(pool.mentors)} mentors."
    )
    built = build_tables(pool.mentees, pool.mentors, regions=REGIONS, rejected_pairs=pool.rejected_pairs)
    pool_mentee_ids = [record.id for record in pool.mentees]
    locked_pairs = [
        (mentee_id, mentor_id)
        for mentee_id, mentor_id in Proposal.objects.filter(
            status=Proposal.Status.PROPOSED, locked=True, mentee_id__in=pool_mentee_ids
        ).values_list("mentee_id", "mentor_id")
        if mentor_id in built.mentor_row
    ]
    weights = Weights(**matching_round.weights) if matching_round.weights else programme_weights(programme)
    result = engine.run_round(
        built.mentees,
        built.mentors,
        rules=pool.rules,
        weights=weights,
        exclusions=built.exclusions,
        locked=built.pairs(locked_pairs),
        places_taken=built.places_taken,
        protect_worst_off=matching_round.protect_worst_off,
        labels=LABELS,
        mentor_job_titles=built.mentor_job_titles,
        mentor_job_industries=built.mentor_job_industries,
        progress=lambda percent, message: _progress(matching_round.pk, 30 + percent // 2, message),
    )
    _progress(matching_round.pk, 80, f"Writing {len(result.proposals)} proposals.")
    _round_write(matching_round, pool, result, pool_mentee_ids, notify=notify)


def _user_pk(engine_id: object) -> int:
    """The engine hands back the ids the pool gave it: here, users' primary keys."""
    if not isinstance(engine_id, int):
        raise TypeError(f"The matching engine returned {engine_id!r} where a user id was expected.")
    return engine_id


@transaction.atomic
def _round_write(
    matching_round: MatchingRound, pool: Pool, result: engine.RoundResult, pool_mentee_ids, *, notify: bool
) -> None:
    # Rounds over overlapping pools write one at a time, so none leaves a mentee two open proposals.
    Programme.objects.select_for_update(of=("self",)).filter(pk=matching_round.programme_id).first()
    # Only the run holding the claim writes, and the lock keeps the claim from being taken back
    # meanwhile: a round's proposals are written once even if a slow run was thought dead.
    still_ours = (
        MatchingRound.objects.select_for_update()
        .filter(
            pk=matching_round.pk, status=MatchingRound.Status.RUNNING, started_at=matching_round.started_at
        )
        .values_list("pk", flat=True)
        .first()
    )
    if still_ours is None:
        raise RoundClaimLost(matching_round.pk)
    Proposal.objects.filter(status=Proposal.Status.PROPOSED, mentee_id__in=pool_mentee_ids).update(
        status=Proposal.Status.SUPERSEDED, updated_at=timezone.now()
    )
    group_sizes = np.bincount(
        [proposal.mentor_row for proposal in result.proposals], minlength=len(pool.mentors)
    )
    group_mode = {record.id for record in pool.mentors if record.open_to_one_to_two and record.capacity == 2}
    proposals = []
    for proposal in result.proposals:
        mentor_id, mentee_id = _user_pk(proposal.mentor_id), _user_pk(proposal.mentee_id)
        shared = mentor_id in group_mode and group_sizes[proposal.mentor_row] == 2
        proposals.append(
            Proposal(
                round=matching_round,
                mentor_id=mentor_id,
                mentee_id=mentee_id,
                cohort_id=pool.mentee_cohort[mentee_id],
                score=proposal.score,
                explanation=proposal.explanation,
                first_need_met=proposal.first_need_met,
                locked=proposal.locked,
                group_key=f"round-{matching_round.pk}-mentor-{mentor_id}" if shared else "",
            )
        )
    Proposal.objects.bulk_create(proposals)

    outcomes: list[tuple[int, str, int, str]] = []
    for person in result.unmatched_mentees:
        outcomes.append(
            (_user_pk(person.id), UnmatchedOutcome.Side.MENTEE, int(person.reason), person.reason_text)
        )
    for person in result.unchosen_mentors:
        outcomes.append(
            (_user_pk(person.id), UnmatchedOutcome.Side.MENTOR, int(person.reason), person.reason_text)
        )
    for user_id, (side, text) in pool.problems.items():
        outcomes.append((user_id, side, PROBLEM_REASON_CODE, text))
    UnmatchedOutcome.objects.bulk_create(
        [
            UnmatchedOutcome(
                round=matching_round,
                person_id=user_id,
                side=side,
                category=outcome_category(code),
                reason_code=code,
                reason=text[:300],
            )
            for user_id, side, code, text in outcomes
        ]
    )
    metrics = dataclasses.asdict(result.metrics)
    metrics["lock_problems"] = [
        {"mentee_id": problem.mentee_id, "mentor_id": problem.mentor_id, "reason": problem.reason}
        for problem in result.lock_problems
    ]
    metrics["mentors"] = len(pool.mentors)
    MatchingRound.objects.filter(pk=matching_round.pk).update(
        status=MatchingRound.Status.DONE,
        progress=100,
        progress_message="Finished.",
        finished_at=timezone.now(),
        quality=metrics,
    )
    if notify:
        notifications.unmatched_notices(round_id=matching_round.pk)


@transaction.atomic
def matching_settings_save(*, actor: User, settings_row: MatchingSettings) -> MatchingSettings:
    """Save a programme's weights and options; rounds started afterwards use them."""
    policy.require(actor, "matching.change_settings", refuse_with=ApplicationError)
    settings_row.full_clean()
    settings_row.save()
    audit_record(
        actor=actor,
        action="matching.settings_save",
        target=settings_row,
        details=dataclasses.asdict(settings_row.weights()),
    )
    return settings_row


# Decisions -----------------------------------------------------------------------------------------


def _lock_open_proposal(proposal: Proposal, actor: User) -> Proposal:
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    policy.require(actor, policy.CHANGE, proposal)
    if proposal.status != Proposal.Status.PROPOSED:
        raise ApplicationError(
            f"This proposal has already been decided ({proposal.get_status_display().lower()})."
        )
    return proposal


@transaction.atomic
def proposal_accept(*, actor: User, proposal: Proposal) -> Proposal:
    """Accept a proposal: the relationship starts, and mentor and mentee are told."""
    proposal = _lock_open_proposal(proposal, actor)
    relationship = relationship_create(
        actor=actor,
        mentor=proposal.mentor,
        mentee=proposal.mentee,
        cohort=proposal.cohort,
        group_key=proposal.group_key,
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.relationship = relationship
    proposal.save(update_fields=["status", "decided_by", "decided_at", "relationship", "updated_at"])
    audit_record(
        actor=actor,
        action="matching.proposal_accept",
        target=proposal,
        summary=_pair_summary(proposal),
        details={"relationship": relationship.pk, "score": proposal.score},
    )
    notifications.match_made(proposal=proposal)
    return proposal


def _pair_summary(proposal: Proposal) -> str:
    """The pair by name for the audit log (read by staff): the mentee by first name and initial."""
    mentee = proposal.mentee
    return f"{proposal.mentor.get_full_name()} with {mentee.first_name} {mentee.last_name[:1]}".strip()


@transaction.atomic
def proposal_reject(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Reject a proposal with a reason; the pair is never proposed again and the mentee stays in the pool."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why this match is rejected.", field="reason")
    proposal = _lock_open_proposal(proposal, actor)
    proposal.status = Proposal.Status.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.reason = reason[:1000]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    RejectedPair.objects.get_or_create(
        mentor=proposal.mentor,
        mentee=proposal.mentee,
        defaults={"rejected_by": actor, "reason": proposal.reason, "proposal": proposal},
    )
    audit_record(
        actor=actor,
        action="matching.proposal_reject",
        target=proposal,
        summary=_pair_summary(proposal),
        details={"reason": proposal.reason[:500]},
    )
    return proposal


@transaction.atomic
def proposal_lock(*, actor: User, proposal: Proposal, locked: bool) -> Proposal:
    """Keep (or stop keeping) an open proposal as it is when the pool is matched again."""
    proposal = _lock_open_proposal(proposal, actor)
    proposal.locked = locked
    proposal.save(update_fields=["locked", "updated_at"])
    return proposal


# Manual matches ------------------------------------------------------------------------------------


NOT_IN_A_COHORT = "the mentee is not in a cohort"


@dataclasses.dataclass(frozen=True)
class ManualCheck:
    reason: str  # why the pair breaks a hard rule; empty when it passes them all
    score: float
    explanation: str
    low_score: bool
    threshold: float


def manual_match_check(*, mentee: User, mentor: User) -> ManualCheck:
    """The hard rules and the score for a pair a coordinator picked by hand."""
    profile = (
        MenteeProfile.objects.select_related("cohort__programme", "youth_partner").filter(user=mentee).first()
    )
    if profile is None or profile.cohort is None:
        return ManualCheck(NOT_IN_A_COHORT, 0.0, "", True, 0.0)
    programme = profile.cohort.programme
    pool = load_mentee_records([mentee.pk], programme=programme)
    load_mentor_records(
        [mentor.pk], programme=programme, mentee_partner={mentee.pk: profile.youth_partner_id}, pool=pool
    )
    rejected = list(
        RejectedPair.objects.filter(mentee=mentee, mentor=mentor).values_list("mentee_id", "mentor_id")
    )
    settings_row = MatchingSettings.objects.filter(programme=programme).first()
    threshold = (
        settings_row.low_score_warning
        if settings_row
        else MatchingSettings._meta.get_field("low_score_warning").default
    )
    if problem := pool.problems.get(mentee.pk) or pool.problems.get(mentor.pk):
        return ManualCheck(problem[1], 0.0, "", True, threshold)
    if not pool.mentees:
        return ManualCheck("the mentee's profile could not be read", 0.0, "", True, threshold)
    if not pool.mentors:
        return ManualCheck(
            "the mentor has not applied to this programme, is suspended or has no place left",
            0.0,
            "",
            True,
            threshold,
        )
    built = build_tables(pool.mentees, pool.mentors, regions=REGIONS, rejected_pairs=rejected)
    weights = programme_weights(programme)
    result = engine.run_round(
        built.mentees,
        built.mentors,
        rules=pool.rules,
        weights=weights,
        exclusions=built.exclusions,
        locked=built.pairs([(mentee.pk, mentor.pk)]),
        places_taken=built.places_taken,
        labels=LABELS,
        mentor_job_titles=built.mentor_job_titles,
        mentor_job_industries=built.mentor_job_industries,
    )
    if result.lock_problems:
        return ManualCheck(result.lock_problems[0].reason, 0.0, "", True, threshold)
    proposal = result.proposals[0]
    return ManualCheck("", proposal.score, proposal.explanation, proposal.score < threshold, threshold)


@transaction.atomic
def manual_match_create(
    *, actor: User, mentee: User, mentor: User, confirm_low_score: bool = False
) -> Proposal:
    """Match a pair by hand: the hard rules still apply, and a low score needs confirming."""
    profile = MenteeProfile.objects.select_related("cohort").filter(user=mentee).first()
    if profile is None or not policy.can(actor, policy.CHANGE, profile.youth_partner):
        raise ApplicationError("You may not match this mentee.", field="mentee")
    check = manual_match_check(mentee=mentee, mentor=mentor)
    if check.reason:
        raise ApplicationError(f"This pair cannot be matched: {check.reason}.", field="mentor")
    if profile.cohort is None:  # the check read the profile on its own; this copy needs a cohort too
        raise ApplicationError(f"This pair cannot be matched: {NOT_IN_A_COHORT}.", field="mentor")
    if check.low_score and not confirm_low_score:
        raise ApplicationError(
            f"This pair scores {check.score:g}, below {check.threshold:g}. "
            "Tick the box to match them anyway.",
            field="confirm_low_score",
        )
    Proposal.objects.filter(mentee=mentee, status=Proposal.Status.PROPOSED).update(
        status=Proposal.Status.SUPERSEDED, updated_at=timezone.now()
    )
    proposal = Proposal.objects.create(
        mentor=mentor,
        mentee=mentee,
        cohort=profile.cohort,
        score=check.score,
        explanation=check.explanation,
        manual=True,
    )
    return proposal_accept(actor=actor, proposal=proposal)


# Opportunities chosen by mentors -------------------------------------------------------------------


@transaction.atomic
def opportunity_create(
    *,
    actor: User,
    cohort: Cohort,
    title: str,
    description: str,
    places: int = 1,
    answer_within_days: int = 10,
) -> Opportunity:
    if not policy.can(actor, policy.CHANGE, cohort):
        raise ApplicationError("You may not add opportunities for this cohort.", field="cohort")
    opportunity = Opportunity(
        cohort=cohort,
        title=title,
        description=description,
        places=places,
        answer_within_days=answer_within_days,
        created_by=actor,
    )
    opportunity.full_clean()
    opportunity.save()
    audit_record(actor=actor, action="matching.opportunity_create", target=opportunity, summary=title)
    return opportunity


def mentor_is_approved(mentor: User, programme: Programme) -> bool:
    return (
        Application.objects.mentors()
        .filter(user=mentor, programme=programme, status=Application.Status.APPROVED)
        .exists()
    )


@transaction.atomic
def interest_express(*, actor: User, opportunity: Opportunity, message: str = "") -> InterestExpression:
    """An approved mentor asks to mentor in an opportunity's cohort; the coordinator has a set number
    of days to answer."""
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=opportunity.pk)
    )
    if opportunity.status != Opportunity.Status.OPEN:
        raise ApplicationError("This opportunity is closed.")
    if not mentor_is_approved(actor, opportunity.cohort.programme) or actor.is_suspended:
        raise ApplicationError("Only approved mentors of this programme can choose an opportunity.")
    if InterestExpression.objects.filter(mentor=actor, status=InterestExpression.Status.PENDING).exists():
        raise ApplicationError("You already have a request waiting for an answer.")
    interest = InterestExpression(
        opportunity=opportunity,
        mentor=actor,
        message=(message or "").strip()[:1000],
        expires_at=timezone.now() + datetime.timedelta(days=opportunity.answer_within_days),
    )
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError:
        # Two requests sent at once: the constraint keeps one.
        raise ApplicationError("You already have a request waiting for an answer.") from None
    audit_record(actor=actor, action="matching.interest_express", target=interest, summary=str(opportunity))
    notifications.interest_received(interest=interest)
    return interest


@transaction.atomic
def interest_decide(
    *, actor: User, interest: InterestExpression, accept: bool, reason: str = ""
) -> InterestExpression:
    """The coordinator accepts the mentor for the cohort, or says no with a reason."""
    interest = InterestExpression.objects.select_for_update(of=("self",)).get(pk=interest.pk)
    policy.require(actor, policy.CHANGE, interest)
    if interest.status != InterestExpression.Status.PENDING:
        raise ApplicationError("This request has already been answered or has expired.")
    if interest.expires_at <= timezone.now():
        raise ApplicationError("This request has expired.")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ApplicationError("Say why you are not taking this mentor up.", field="reason")
    interest.status = InterestExpression.Status.ACCEPTED if accept else InterestExpression.Status.REJECTED
    interest.decided_by = actor
    interest.decided_at = timezone.now()
    interest.reason = reason[:1000]
    interest.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    if accept:
        opportunity = Opportunity.objects.select_for_update(of=("self",)).get(pk=interest.opportunity_id)
        accepted = InterestExpression.objects.filter(
            opportunity=opportunity, status=InterestExpression.Status.ACCEPTED
        ).count()
        if accepted >= opportunity.places:
            opportunity.status = Opportunity.Status.CLOSED
            opportunity.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="matching.interest_accept" if accept else "matching.interest_reject",
        target=interest,
        details={"reason": interest.reason[:500]},
    )
    notifications.interest_decided(interest=interest)
    return interest


def interests_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire requests nobody answered in time and tell each mentor (idempotent: claimed by update)."""
    now = now or timezone.now()
    due = list(
        InterestExpression.objects.filter(
            status=InterestExpression.Status.PENDING, expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    expired = 0
    for interest_id in due:
        with transaction.atomic():
            claimed = InterestExpression.objects.filter(
                pk=interest_id, status=InterestExpression.Status.PENDING
            ).update(status=InterestExpression.Status.EXPIRED, updated_at=now)
            if claimed:
                expired += 1
                notifications.interest_expired(interest=InterestExpression.objects.get(pk=interest_id))
    return expired


def coordinators_of(partner_id: int) -> list[str]:
    return list(
        RoleAssignment.objects.filter(
            role=Role.COORDINATOR, youth_partner_id=partner_id, user__is_active=True
        )
        .values_list("user__email", flat=True)
        .distinct()
    )
