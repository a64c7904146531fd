"""Who may see and change instruments, survey responses and impact reports.

Answers are personal: a response is visible to the person who gives it and nobody else. Everyone
else sees only aggregates (`aggregate_partner_scope` decides whose).
"""

from accounts.models import Role
from core import policy

from .models import (
    Answer,
    AnswerTally,
    ImpactReport,
    Instrument,
    InstrumentVersion,
    PairGroupTally,
    PairTally,
    Question,
    ResponseTally,
    SurveyInstance,
    SurveyResponse,
)


def aggregate_partner_scope(user) -> frozenset[int] | None | bool:
    """None: every partner (staff, funders). A set: only those partners (coordinators). False: no access."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_programme_staff or Role.FUNDER in user.roles:
        return None
    if user.coordinated_partner_ids:
        return user.coordinated_partner_ids
    return False


@policy.rule(
    "evaluation.read_impact", message="Impact figures are for programme staff, funders and coordinators."
)
def may_read_impact(user) -> bool:
    """The impact dashboard, its downloads and the aggregates API (figures only, small groups hidden)."""
    return aggregate_partner_scope(user) is not False


@policy.rule(
    "evaluation.export_respondents",
    message="The anonymised respondent file is for programme staff, for an external evaluator.",
)
def may_export_respondents(user) -> bool:
    """The anonymised paired respondent-level file: programme staff only."""
    return user.is_programme_staff


class InstrumentPolicy(policy.ModelPolicy):
    model = Instrument

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(versions__status=InstrumentVersion.Status.PUBLISHED).distinct()

    def can_create(self, user, **context):
        return user.is_programme_staff


class InstrumentVersionPolicy(policy.ModelPolicy):
    model = InstrumentVersion

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(status=InstrumentVersion.Status.PUBLISHED)


class SurveyResponsePolicy(policy.ModelPolicy):
    model = SurveyResponse

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            return queryset.filter(respondent=user)
        if action == policy.CHANGE:
            return queryset.filter(respondent=user).exclude(status=SurveyResponse.Status.SUBMITTED)
        return queryset.none()


class ImpactReportPolicy(policy.ModelPolicy):
    model = ImpactReport

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW and Role.FUNDER in user.roles:
            return queryset.filter(status=ImpactReport.Status.READY)
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


_policy: policy.ModelPolicy
for _policy in (InstrumentPolicy(), InstrumentVersionPolicy(), SurveyResponsePolicy(), ImpactReportPolicy()):
    policy.register(_policy)

# Rows reached only through an instrument version or a response, and the running totals.
for _policy in (
    policy.ThroughParentPolicy(Question, "version"),
    policy.ThroughParentPolicy(SurveyInstance, "version"),
    policy.ThroughParentPolicy(Answer, "response"),
    policy.AggregateOnlyPolicy(AnswerTally),
    policy.AggregateOnlyPolicy(PairTally),
    policy.AggregateOnlyPolicy(PairGroupTally),
    policy.AggregateOnlyPolicy(ResponseTally),
):
    policy.register(_policy)
