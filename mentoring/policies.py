"""Who may see and change programmes, youth partners, cohorts and relationships."""

from django.db.models import Q

from accounts.models import Role
from core import policy

from .models import Cohort, Programme, Relationship, YouthPartner


def _overseen_partner_ids(user) -> frozenset[int]:
    return user.coordinated_partner_ids | user.safeguarding_partner_ids


def _own_cohort_ids_q(user) -> Q:
    """Cohorts a mentor or mentee takes part in."""
    condition = Q(pk__in=[])
    if Role.MENTOR in user.roles:
        condition |= Q(relationships__mentor=user)
    if Role.MENTEE in user.roles:
        condition |= Q(mentee_profiles__user=user) | Q(relationships__mentee=user)
    return condition


class ProgrammePolicy(policy.ModelPolicy):
    model = Programme

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action != policy.VIEW:
            return queryset.none()
        if Role.FUNDER in user.roles:
            return queryset
        partner_ids = _overseen_partner_ids(user)
        cohorts = Cohort.objects.filter(Q(youth_partner_id__in=partner_ids) | _own_cohort_ids_q(user))
        return queryset.filter(pk__in=cohorts.values("programme_id"))

    def can_create(self, user, **context):
        return user.is_programme_staff


class YouthPartnerPolicy(policy.ModelPolicy):
    model = YouthPartner

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.CHANGE:
            return queryset.filter(pk__in=user.coordinated_partner_ids)
        if action != policy.VIEW:
            return queryset.none()
        if Role.FUNDER in user.roles:
            return queryset
        own_cohorts = Cohort.objects.filter(_own_cohort_ids_q(user)).values("youth_partner_id")
        return queryset.filter(Q(pk__in=_overseen_partner_ids(user)) | Q(pk__in=own_cohorts))

    def can_create(self, user, **context):
        return user.is_programme_staff


class CohortPolicy(policy.ModelPolicy):
    model = Cohort

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.CHANGE:
            return queryset.filter(youth_partner_id__in=user.coordinated_partner_ids)
        if action != policy.VIEW:
            return queryset.none()
        if Role.FUNDER in user.roles:
            return queryset
        own = Cohort.objects.filter(_own_cohort_ids_q(user)).values("pk")
        return queryset.filter(Q(youth_partner_id__in=_overseen_partner_ids(user)) | Q(pk__in=own))

    def can_create(self, user, youth_partner=None, **context):
        """Without a youth partner, says whether the user may create cohorts anywhere at all."""
        if user.is_programme_staff:
            return True
        if youth_partner is None:
            return bool(user.coordinated_partner_ids)
        return youth_partner.pk in user.coordinated_partner_ids


class RelationshipPolicy(policy.ModelPolicy):
    model = Relationship

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.CHANGE:
            return queryset.filter(mentee__mentee_profile__youth_partner_id__in=user.coordinated_partner_ids)
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(
            Q(mentor=user)
            | Q(mentee=user)
            | Q(mentee__mentee_profile__youth_partner_id__in=_overseen_partner_ids(user))
        )


for _policy in (ProgrammePolicy(), YouthPartnerPolicy(), CohortPolicy(), RelationshipPolicy()):
    policy.register(_policy)
