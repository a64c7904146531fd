"""Read queries for matching pages, each scoped through the policy module."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core import policy

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


def outcomes_for_round(*, user, matching_round: MatchingRound) -> QuerySet[UnmatchedOutcome]:
    return (
        policy.scope(user, policy.VIEW, UnmatchedOutcome)
        .filter(round=matching_round)
        .select_related("person")
    )


def proposals_awaiting(*, user) -> QuerySet[Proposal]:
    return policy.scope(user, policy.CHANGE, Proposal).filter(status=Proposal.Status.PROPOSED)


def open_opportunities(*, user) -> QuerySet[Opportunity]:
    return (
        policy.scope(user, policy.VIEW, Opportunity)
        .filter(status=Opportunity.Status.OPEN)
        .select_related("cohort__programme", "cohort__youth_partner")
    )


def opportunities_managed_by(*, user) -> QuerySet[Opportunity]:
    return policy.scope(user, policy.CHANGE, Opportunity).select_related(
        "cohort__programme", "cohort__youth_partner"
    )


def interests_awaiting(*, user) -> QuerySet[InterestExpression]:
    return (
        policy.scope(user, policy.CHANGE, InterestExpression)
        .filter(status=InterestExpression.Status.PENDING, expires_at__gt=timezone.now())
        .select_related("mentor__mentor_profile", "opportunity__cohort__youth_partner")
    )


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
