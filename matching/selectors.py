"""Read queries for matching pages, each scoped through the policy module."""

from collections import namedtuple

from django.db.models import Count, DateTimeField, F, IntegerField, Q, QuerySet
from django.utils import timezone

from core import policy
from core.prepared import PreparedQuery, SlotIn
from core.rows import PreparedRows
from recruitment.models import Application

from .engine import Weights
from .models import InterestExpression, MatchingRound, Opportunity, Proposal, UnmatchedOutcome


def rounds_visible_to(*, user) -> QuerySet[MatchingRound]:
    return (
        policy.scope(user, policy.VIEW, MatchingRound)
        .select_related(
            "programme", "cohort__youth_partner", "cohort__programme", "youth_partner", "started_by"
        )
        .annotate(
            open_count=Count("proposals", filter=Q(proposals__status=Proposal.Status.PROPOSED)),
        )
        .order_by("-created_at", "-id")
    )


def proposals_for_round(*, user, matching_round: MatchingRound) -> QuerySet[Proposal]:
    """The round's proposals the user may see, with both people and their profiles in one query."""
    return (
        policy.scope(user, policy.VIEW, Proposal)
        .filter(round=matching_round)
        .select_related(
            "mentor__mentor_profile",
            "mentee__mentee_profile__youth_partner",
            "cohort__youth_partner",
            "decided_by",
        )
        .order_by("status", "-score", "id")
    )


# What the round's page shows of the round (templates/matching/round_detail.html, `round_summary`),
# its pool's names included (`MatchingRound.pool_label`).
ROUND_PAGE_COLUMNS = (
    "created_at",
    "scope",
    "status",
    "progress",
    "progress_message",
    "protect_worst_off",
    "weights",
    "quality",
    "error",
    "programme__name",
    "cohort__name",
    "cohort__start_date",
    "cohort__programme__name",
    "cohort__youth_partner__name",
    "youth_partner__name",
    "started_by__first_name",
    "started_by__last_name",
)
_ROUND_PAGE = PreparedRows(
    MatchingRound,
    ROUND_PAGE_COLUMNS,
    lambda slots: (
        policy.scope(slots.person("user"), policy.VIEW, MatchingRound)
        .filter(pk=slots.value("pk", IntegerField()))
        .order_by()
    ),
)


def round_for_page(*, user, pk: int) -> MatchingRound | None:
    """The round with this id if the user may see it (None otherwise), with `ROUND_PAGE_COLUMNS`:
    compiled once per process (core.prepared)."""
    found = _ROUND_PAGE.rows(user=user, pk=pk)
    return found[0] if found else None


# What the round's page shows of each proposal (matching.templatetags.matching_tags.proposal_cards):
# each field of a `ProposalCard`, read by its path in `_CARD_PATHS`. A profile's id is None when the
# person has none (the page then shows that profile's values empty, as its template did).
ProposalCard = namedtuple(
    "ProposalCard",
    "pk mentee_id score explanation locked status reason mentor_first_name mentor_last_name mentor_profile"
    " job_title sector mentor_region bio mentee_first_name mentee_last_name mentee_profile date_of_birth"
    " stage mentee_region youth_partner",
)
_CARD_PATHS = {
    "mentor_first_name": "mentor__first_name",
    "mentor_last_name": "mentor__last_name",
    "mentor_profile": "mentor__mentor_profile__id",
    "job_title": "mentor__mentor_profile__job_title",
    "sector": "mentor__mentor_profile__sector",
    "mentor_region": "mentor__mentor_profile__region",
    "bio": "mentor__mentor_profile__bio",
    "mentee_first_name": "mentee__first_name",
    "mentee_last_name": "mentee__last_name",
    "mentee_profile": "mentee__mentee_profile__id",
    "date_of_birth": "mentee__mentee_profile__date_of_birth",
    "stage": "mentee__mentee_profile__stage",
    "mentee_region": "mentee__mentee_profile__region",
    "youth_partner": "mentee__mentee_profile__youth_partner__name",
}

# Compiled once per process (core.prepared), scoped through the policy to the person it is run for:
# the ids of the round's proposals the person sees, in the page's order (how many there are, and each
# page's), then a page's proposals by those ids with what the page shows of them.
_ROUND_PROPOSAL_IDS = PreparedQuery(
    lambda slots: (
        policy.scope(slots.person("user"), policy.VIEW, Proposal)
        .filter(round_id=slots.value("round", IntegerField()))
        .order_by("status", "-score", "id")
        .values("pk")
    )
)
_PROPOSAL_CARDS = PreparedQuery(
    lambda slots: (
        Proposal.objects.filter(SlotIn(F("pk"), slots.ids("ids")))
        .order_by()
        .values(*(_CARD_PATHS.get(field, field) for field in ProposalCard._fields))
    )
)


def proposal_ids_for_round(*, user, matching_round: MatchingRound) -> list[int]:
    """The ids of `proposals_for_round(...)`, in its order."""
    return [pk for (pk,) in _ROUND_PROPOSAL_IDS.tuples(user=user, round=matching_round.pk)]


def proposal_cards(ids: list[int]) -> list[ProposalCard]:
    """What the round's page shows of the proposals with these ids (already scoped:
    `proposal_ids_for_round`), in the order of `ids`."""
    if not ids:
        return []
    cards = {card.pk: card for card in map(ProposalCard._make, _PROPOSAL_CARDS.tuples(ids=ids))}
    return [cards[pk] for pk in ids if pk in cards]


_MENTEE_GOALS = PreparedQuery(
    lambda slots: (
        Application.objects.mentees()
        .filter(SlotIn(F("user_id"), slots.ids("users")))
        .exclude(status__in=[Application.Status.WITHDRAWN, Application.Status.DECLINED])
        .order_by("created_at")
        .values("user_id", "goals")
    )
)


def mentee_goals(user_ids: list[int]) -> dict[int, str]:
    """Each young person's goals from their application (the latest one neither withdrawn nor
    declined), by user id."""
    return dict(_MENTEE_GOALS.tuples(users=user_ids)) if user_ids else {}


def outcomes_for_round(*, user, matching_round: MatchingRound) -> QuerySet[UnmatchedOutcome]:
    return (
        policy.scope(user, policy.VIEW, UnmatchedOutcome)
        .filter(round=matching_round)
        .select_related("person")
    )


_ROUND_OUTCOMES = PreparedRows(
    UnmatchedOutcome,
    ("side", "category", "reason", "person__first_name", "person__last_name"),
    lambda slots: (
        policy.scope(slots.person("user"), policy.VIEW, UnmatchedOutcome)
        .filter(round_id=slots.value("round", IntegerField()))
        .order_by("side", "category", "id")[:100]
    ),
)


def first_outcomes_for_round(*, user, matching_round: MatchingRound) -> list[UnmatchedOutcome]:
    """The first 100 of `outcomes_for_round(...)` with the person's name, compiled once per process."""
    return _ROUND_OUTCOMES.rows(user=user, round=matching_round.pk)


def proposals_awaiting(*, user) -> QuerySet[Proposal]:
    return policy.scope(user, policy.CHANGE, Proposal).filter(status=Proposal.Status.PROPOSED)


_PROPOSALS_AWAITING_COUNTED = PreparedQuery(
    lambda slots: (
        proposals_awaiting(user=slots.person("user")).order_by().values("status").annotate(total=Count("pk"))
    )
)


def proposals_awaiting_count(*, user) -> int:
    """`proposals_awaiting(user=user).count()`, compiled once per process (core.prepared)."""
    return sum(total for _status, total in _PROPOSALS_AWAITING_COUNTED.tuples(user=user))


def proposals_awaiting_list(*, user) -> QuerySet[Proposal]:
    """The proposals awaiting the user's decision with what the list shows, best score first."""
    return (
        proposals_awaiting(user=user)
        .select_related("mentor", "mentee", "cohort__youth_partner", "cohort__programme", "round")
        .order_by("round_id", "-score", "id")
    )


def open_opportunities(*, user) -> QuerySet[Opportunity]:
    return (
        policy.scope(user, policy.VIEW, Opportunity)
        .filter(status=Opportunity.Status.OPEN)
        .select_related("cohort__programme", "cohort__youth_partner")
    )


# Open opportunities the person may see, counted (grouped by their one status, so 0 or 1 row):
# compiled once per process (core.prepared), scoped through the policy to the person it is run for.
_OPEN_OPPORTUNITIES_COUNTED = PreparedQuery(
    lambda slots: (
        open_opportunities(user=slots.person("user")).order_by().values("status").annotate(total=Count("pk"))
    )
)


def open_opportunities_count(*, user) -> int:
    """`open_opportunities(user=user).count()`."""
    return sum(total for _status, total in _OPEN_OPPORTUNITIES_COUNTED.tuples(user=user))


def opportunities_managed_by(*, user) -> QuerySet[Opportunity]:
    return policy.scope(user, policy.CHANGE, Opportunity).select_related(
        "cohort__programme", "cohort__youth_partner"
    )


def _interests_pending(user, now) -> QuerySet[InterestExpression]:
    """The mentors' requests the user may answer that are still pending and not expired at `now`."""
    return policy.scope(user, policy.CHANGE, InterestExpression).filter(
        status=InterestExpression.Status.PENDING, expires_at__gt=now
    )


def interests_awaiting(*, user) -> QuerySet[InterestExpression]:
    return _interests_pending(user, timezone.now()).select_related(
        "mentor__mentor_profile", "opportunity__cohort__youth_partner"
    )


_INTERESTS_AWAITING_COUNTED = PreparedQuery(
    lambda slots: (
        _interests_pending(slots.person("user"), slots.value("now", DateTimeField()))
        .order_by()
        .values("status")
        .annotate(total=Count("pk"))
    )
)


def interests_awaiting_count(*, user) -> int:
    """`interests_awaiting(user=user).count()`, compiled once per process (core.prepared)."""
    return sum(total for _status, total in _INTERESTS_AWAITING_COUNTED.tuples(user=user, now=timezone.now()))


def interests_accepted(*, user) -> QuerySet[InterestExpression]:
    """Mentors the user accepted for a cohort, most recent first: next, match each by hand."""
    return (
        policy.scope(user, policy.CHANGE, InterestExpression)
        .filter(status=InterestExpression.Status.ACCEPTED)
        .select_related("mentor", "opportunity")
        .order_by("-decided_at")
    )


def interests_of_mentor(*, user) -> QuerySet[InterestExpression]:
    return (
        InterestExpression.objects.filter(mentor=user).select_related("opportunity").order_by("-created_at")
    )


# A mentor's latest three requests, with what their home shows of each (matching/panels/mentor.html).
_LATEST_INTERESTS = PreparedRows(
    InterestExpression,
    ("status", "opportunity__title"),
    lambda slots: interests_of_mentor(user=slots.person("user"))[:3],
)


def latest_interests_of_mentor(*, user) -> list[InterestExpression]:
    """The first three of `interests_of_mentor`, with their status and opportunity's title."""
    return _LATEST_INTERESTS.rows(user=user)


def round_summary(matching_round: MatchingRound) -> list[str]:
    """The round's quality in plain words for a coordinator, each sentence only as far as the round's
    own figures prove it: "everyone who could be matched was" only when the round was proven optimal
    over every eligible pair (or considered every eligible pair), since its first aim is to match as
    many mentees as can be matched."""
    quality = matching_round.quality or {}
    mentees, matched = quality.get("mentees"), quality.get("matched")
    if mentees is None or matched is None:
        return []
    sentences = []
    exact = bool(quality.get("proven_optimal") or quality.get("exhaustive"))
    left = mentees - matched
    if mentees == 0:
        return ["There were no mentees in this round."]
    if left == 0:
        sentences.append(f"Everyone was matched: all {mentees} mentees have a proposed mentor.")
    elif exact:
        sentences.append(
            f"Everyone who could be matched was: {matched} of {mentees} mentees have a proposed mentor. "
            f"No choice of pairs could match more; the reason for each of the other {left} is below."
        )
    else:
        sentences.append(
            f"{matched} of {mentees} mentees have a proposed mentor; the reason for each of the other "
            f"{left} is below."
        )
    if matched:
        weights = Weights(**matching_round.weights) if matching_round.weights else Weights()
        best = weights.total
        mean = quality.get("mean_score", 0)
        sentences.append(
            f"The average fit is {mean:.0f} of {best:.0f} points; the lowest is "
            f"{quality.get('lowest_score', 0):.0f}."
        )
        share = quality.get("share_first_need_met", 0)
        sentences.append(
            f"{round(share * 100)}% of the mentees in the round got a mentor who offers the support "
            "they need most."
        )
    if quality.get("worst_off_protected"):
        sentences.append(
            f"The lowest fit was raised from {quality.get('lowest_score_before_protection', 0):.0f}, "
            f"at a cost of {quality.get('protection_cost', 0):.0f} points over the whole round."
        )
    return sentences
