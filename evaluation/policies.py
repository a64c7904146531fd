"""Who may see and change instruments, survey responses and impact reports.

Answers are personal: a response is visible to the person who gives it and nobody else. Everyone
else sees only aggregates (selectors.aggregate_partner_scope decides whose).
"""

from accounts.models import Role
from core import policy

from .models import (
    Answer,
    AnswerTally,
    ImpactReport,
    Instrument,
    InstrumentVersion,
    PairTally,
    Question,
    ResponseTally,
    SurveyInstance,
    SurveyResponse,
)


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
    policy.AggregateOnlyPolicy(ResponseTally),
):
    policy.register(_policy)
