"""Read queries for mentoring objects, always scoped by the policy module."""

from django.db.models import Count, Q

from accounts.models import MenteeProfile, User, birthdate_cutoff
from core import policy

from .models import Cohort, Programme, Relationship, YouthPartner


def programmes_visible_to(*, user):
    return (
        policy.scope(user, policy.VIEW, Programme)
        .annotate(cohort_count=Count("cohorts", distinct=True))
        .order_by("name")
    )


def partners_visible_to(*, user):
    under_18 = birthdate_cutoff(18)
    return (
        policy.scope(user, policy.VIEW, YouthPartner)
        .annotate(
            mentee_count=Count("mentee_profiles", distinct=True),
            under_18_count=Count(
                "mentee_profiles", filter=Q(mentee_profiles__date_of_birth__gt=under_18), distinct=True
            ),
        )
        .order_by("name")
    )


def cohorts_visible_to(*, user):
    return (
        policy.scope(user, policy.VIEW, Cohort)
        .select_related("programme", "youth_partner")
        .annotate(mentee_count=Count("mentee_profiles", distinct=True))
    )


def mentees_visible_to(*, user):
    """Mentee profiles the user may see, with what a list needs fetched up front."""
    people = policy.scope(user, policy.VIEW, User)
    return (
        MenteeProfile.objects.filter(user__in=people)
        .select_related("user", "youth_partner", "cohort__programme")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def mentors_visible_to(*, user):
    people = policy.scope(user, policy.VIEW, User)
    return (
        User.objects.filter(pk__in=people.values("pk"), mentor_profile__isnull=False)
        .select_related("mentor_profile")
        .annotate(
            open_relationships=Count(
                "mentor_relationships",
                filter=Q(mentor_relationships__status__in=Relationship.OPEN_STATUSES),
                distinct=True,
            )
        )
        .order_by("first_name", "last_name", "pk")
    )


def relationships_visible_to(*, user):
    return policy.scope(user, policy.VIEW, Relationship).select_related(
        "mentor__mentor_profile", "mentee__mentee_profile", "cohort__programme", "cohort__youth_partner"
    )
