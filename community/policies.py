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
    EmployerMonth,
    EmployerPartner,
    Event,
    EventRegistration,
)


def is_mentor(user) -> bool:
    return Role.MENTOR in user.roles


@policy.rule("community.take_part")
def may_take_part(user) -> bool:
    """Events and the buddy scheme: mentors take part; programme staff run them."""
    return is_mentor(user) or user.is_programme_staff


@policy.rule("community.act_as_mentor")
def may_act_as_mentor(user) -> bool:
    """What only a mentor does for themselves: join the buddy scheme, name their employer."""
    return is_mentor(user)


@policy.rule("community.manage")
def may_run_community(user) -> bool:
    """Suggest buddies and oversee the scheme: programme staff."""
    return user.is_programme_staff


@policy.rule("community.read_employer_figures")
def may_read_employer_figures(user) -> bool:
    """Employer contacts read their own employer's figures; programme staff read every employer's."""
    return user.is_programme_staff or Role.EMPLOYER_CONTACT in user.roles


@policy.rule("community.download_event_calendar", hidden=True)
def may_download_event_calendar(user, event) -> bool:
    """The calendar entry of an event: those with a place, and those who run the event."""
    registered = EventRegistration.objects.filter(
        event=event, mentor=user, status=EventRegistration.Status.REGISTERED
    ).exists()
    return registered or policy.can(user, policy.CHANGE, event)


@policy.rule("community.write_buddy_message")
def may_write_buddy_message(user, pairing) -> bool:
    """Only the two buddies write in their thread; staff who oversee it read it."""
    return pairing.is_member(user)


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
    # An employer's held logs counted by month: its figures page reads them through its own suppression.
    policy.AggregateOnlyPolicy(EmployerMonth),
    OwnRowPolicy(EmployerContact, "user"),
    OwnRowPolicy(BuddyPreference, "mentor"),
    EventPolicy(),
    EventRegistrationPolicy(),
    BuddyPairingPolicy(),
    policy.ThroughParentPolicy(BuddyMessage, "pairing", parent_action=policy.VIEW),
):
    policy.register(_policy)
