"""Who may see and act on matching rounds, proposals, outcomes and opportunities.

Programme staff see and do everything. A coordinator runs rounds for their own youth partners'
cohorts and decides proposals for their own partners' mentees. Mentors see open opportunities and
their own requests; they never see proposals or another person's outcome.
"""

from django.db.models import Q

from accounts.models import Role
from core import policy

from .models import (
    InterestExpression,
    MatchingRound,
    MatchingSettings,
    Opportunity,
    Proposal,
    RejectedPair,
    UnmatchedOutcome,
)


@policy.rule("matching.run_matching")
def may_run_matching(user) -> bool:
    """Start rounds, match by hand, publish opportunities, read requests: staff and coordinators."""
    return user.is_programme_staff or bool(user.coordinated_partner_ids)


@policy.rule("matching.change_settings", message="Only programme staff can change the matching settings.")
def may_change_matching_settings(user) -> bool:
    return user.is_programme_staff


@policy.rule("matching.express_interest")
def may_express_interest(user) -> bool:
    """Mentors choose open opportunities and ask for them."""
    return Role.MENTOR in user.roles


@policy.rule("matching.use_opportunities")
def may_use_opportunities(user) -> bool:
    """The opportunities page: mentors browse it, those who run matching manage it."""
    return may_express_interest(user) or may_run_matching(user)


class MatchingSettingsPolicy(policy.ModelPolicy):
    model = MatchingSettings

    def scope(self, user, action, queryset):
        return queryset if user.is_programme_staff else queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class MatchingRoundPolicy(policy.ModelPolicy):
    model = MatchingRound

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        partner_ids = user.coordinated_partner_ids
        if not partner_ids:
            return queryset.none()
        own_pool = Q(youth_partner_id__in=partner_ids) & ~Q(scope=MatchingRound.Scope.PROGRAMME)
        if action != policy.VIEW:
            return queryset.filter(own_pool)
        # A national round is visible to a coordinator whose mentees it proposed for.
        proposed_for = Proposal.objects.filter(cohort__youth_partner_id__in=partner_ids).values("round_id")
        return queryset.filter(own_pool | Q(pk__in=proposed_for))

    def can_create(self, user, scope=None, youth_partner=None, **context):
        if user.is_programme_staff:
            return True
        if scope == MatchingRound.Scope.PROGRAMME:
            return False
        if youth_partner is None:
            return bool(user.coordinated_partner_ids)
        return youth_partner.pk in user.coordinated_partner_ids


class ProposalPolicy(policy.ModelPolicy):
    model = Proposal

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        return queryset.filter(cohort__youth_partner_id__in=user.coordinated_partner_ids)


class RejectedPairPolicy(policy.ModelPolicy):
    model = RejectedPair

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(mentee__mentee_profile__youth_partner_id__in=user.coordinated_partner_ids)


class UnmatchedOutcomePolicy(policy.ModelPolicy):
    model = UnmatchedOutcome

    def scope(self, user, action, queryset):
        if action != policy.VIEW:
            return queryset.none()
        if user.is_programme_staff:
            return queryset
        return queryset.filter(
            Q(person=user)
            | Q(
                side=UnmatchedOutcome.Side.MENTEE,
                person__mentee_profile__youth_partner_id__in=user.coordinated_partner_ids,
            )
        )


class OpportunityPolicy(policy.ModelPolicy):
    model = Opportunity

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        own = Q(cohort__youth_partner_id__in=user.coordinated_partner_ids)
        if action != policy.VIEW:
            return queryset.filter(own)
        if Role.MENTOR in user.roles:
            own |= Q(status=Opportunity.Status.OPEN)
        return queryset.filter(own)

    def can_create(self, user, **context):
        return user.is_programme_staff or bool(user.coordinated_partner_ids)


class InterestExpressionPolicy(policy.ModelPolicy):
    model = InterestExpression

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        own_partner = Q(opportunity__cohort__youth_partner_id__in=user.coordinated_partner_ids)
        if action != policy.VIEW:
            return queryset.filter(own_partner)
        return queryset.filter(own_partner | Q(mentor=user))


for _policy in (
    MatchingSettingsPolicy(),
    MatchingRoundPolicy(),
    ProposalPolicy(),
    RejectedPairPolicy(),
    UnmatchedOutcomePolicy(),
    OpportunityPolicy(),
    InterestExpressionPolicy(),
):
    policy.register(_policy)
