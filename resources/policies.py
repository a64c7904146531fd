"""Who may read and change resources, FAQ entries, ratings, session plans and bulletins.

The library is for the people who work with young people: mentors, partner coordinators and DSLs,
and programme staff, who alone write it. Mentees and funders do not use it.
"""

from django.db.models import Q

from accounts.models import Role
from core import policy
from mentoring.models import MentoringSession
from mentoring.policies import LOG

from .models import Bulletin, BulletinDelivery, FaqEntry, Resource, ResourceRating, SessionResource

LIBRARY_ROLES = {Role.MENTOR, Role.COORDINATOR, Role.SAFEGUARDING_LEAD}


@policy.rule("resources.read_library")
def may_read_library(user) -> bool:
    return user.is_authenticated and (user.is_programme_staff or bool(LIBRARY_ROLES & user.roles))


def is_mentor(user) -> bool:
    return user.is_authenticated and Role.MENTOR in user.roles


@policy.rule("resources.manage", message="Only programme staff can do this.")
def may_manage_library(user) -> bool:
    """Write the library and the FAQ, follow and send bulletins: programme staff."""
    return user.is_programme_staff


@policy.rule("resources.read_bulletins")
def may_read_bulletins(user) -> bool:
    return user.is_programme_staff or is_mentor(user)


class ResourcePolicy(policy.ModelPolicy):
    """Published resources for library readers; drafts and every change for programme staff."""

    model = Resource

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW and may_read_library(user):
            return queryset.filter(status=Resource.Status.PUBLISHED)
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class FaqEntryPolicy(policy.ModelPolicy):
    model = FaqEntry

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW and may_read_library(user):
            return queryset.filter(is_published=True)
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class ResourceRatingPolicy(policy.ModelPolicy):
    """A mentor's own ratings; staff read them all. Only the total is shown to anyone else."""

    model = ResourceRating

    def scope(self, user, action, queryset):
        if action == policy.VIEW and user.is_programme_staff:
            return queryset
        if action in (policy.VIEW, policy.CHANGE):
            return queryset.filter(mentor=user)
        return queryset.none()

    def can_create(self, user, resource=None, **context):
        if not is_mentor(user):
            return False
        return resource is None or policy.can(user, policy.VIEW, resource)


class SessionResourcePolicy(policy.ModelPolicy):
    """Seen by whoever sees the session; planned and removed by the pair's mentor."""

    model = SessionResource

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            sessions = policy.scope(user, policy.VIEW, MentoringSession)
            return queryset.filter(session__in=sessions.values("pk"))
        if action in (policy.CHANGE, policy.DELETE):
            return queryset.filter(session__relationship__mentor=user)
        return queryset.none()

    def can_create(self, user, session=None, **context):
        if session is None:
            return is_mentor(user)
        return policy.can(user, LOG, session)


class BulletinPolicy(policy.ModelPolicy):
    """Mentors read the archive of sent bulletins; programme staff write, preview and send them."""

    model = Bulletin

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            if action == policy.CHANGE:
                return queryset.filter(status=Bulletin.Status.DRAFT)
            return queryset
        if action == policy.VIEW and is_mentor(user):
            return queryset.filter(status=Bulletin.Status.SENT)
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class BulletinDeliveryPolicy(policy.ModelPolicy):
    """Who received a bulletin: programme staff, and each person their own row."""

    model = BulletinDelivery

    def scope(self, user, action, queryset):
        if action != policy.VIEW:
            return queryset.none()
        if user.is_programme_staff:
            return queryset
        return queryset.filter(Q(recipient=user))


for _policy in (
    ResourcePolicy(),
    FaqEntryPolicy(),
    ResourceRatingPolicy(),
    SessionResourcePolicy(),
    BulletinPolicy(),
    BulletinDeliveryPolicy(),
):
    policy.register(_policy)
