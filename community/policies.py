"""Who may see and change events, buddy pairings and employer partners.

Mentors see events open to everyone and their own employer's; buddies see their own pairing and
thread; programme staff see everything (they oversee the buddy scheme, as they do mentoring). An
employer contact sees only their employer, and only as aggregate figures (selectors.employer_figures).
"""

from django.db.models import Q

from accounts.models import Role
from core import policy

from .models import (
    BuddyMessage,
    BuddyPairing,
    BuddyPreference,
    EmployerContact,
    EmployerMembership,
    EmployerPartner,
    Event,
    EventRegistration,
)


def is_mentor(user) -> bool:
    return Role.MENTOR in user.roles


class EmployerPartnerPolicy(policy.ModelPolicy):
    model = EmployerPartner

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW and Role.EMPLOYER_CONTACT in user.roles:
            return queryset.filter(contacts__user=user).distinct()
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class OwnRowPolicy(policy.ModelPolicy):
    """Rows about one person: they read their own; staff keep them all."""

    def __init__(self, model, owner_field: str):
        self.model = model
        self.owner_field = owner_field

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW:
            return queryset.filter(**{self.owner_field: user})
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class EventPolicy(policy.ModelPolicy):
    model = Event

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW:
            visible = Q(organiser=user)
            if is_mentor(user):
                visible |= Q(employer__isnull=True) | Q(employer__memberships__mentor=user)
                visible |= Q(registrations__mentor=user)
            return queryset.filter(visible).distinct()
        if action == policy.CHANGE:
            return queryset.filter(organiser=user)
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class EventRegistrationPolicy(policy.ModelPolicy):
    """A mentor sees their own place; the event's organiser and staff see the register."""

    model = EventRegistration

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        organised = Q(event__organiser=user)
        if action == policy.VIEW:
            return queryset.filter(organised | Q(mentor=user))
        if action == policy.CHANGE:
            return queryset.filter(organised)
        return queryset.none()


class BuddyPairingPolicy(policy.ModelPolicy):
    """The two buddies and programme staff (who oversee the scheme) and nobody else."""

    model = BuddyPairing

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action in (policy.VIEW, policy.CHANGE):
            return queryset.filter(Q(new_mentor=user) | Q(experienced_mentor=user))
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff or is_mentor(user)


for _policy in (
    EmployerPartnerPolicy(),
    OwnRowPolicy(EmployerMembership, "mentor"),
    OwnRowPolicy(EmployerContact, "user"),
    OwnRowPolicy(BuddyPreference, "mentor"),
    EventPolicy(),
    EventRegistrationPolicy(),
    BuddyPairingPolicy(),
    policy.ThroughParentPolicy(BuddyMessage, "pairing", parent_action=policy.VIEW),
):
    policy.register(_policy)
