"""Who may see and change people, profiles and role assignments."""

from typing import Protocol

from django.db.models import Q

from core import policy
from core.models import AuditEvent, OutgoingEmail

from .models import ApiToken, DiversityAnswers, MenteeProfile, MentorProfile, Role, RoleAssignment, User

MANAGE = "manage"


class PairLinks(Protocol):
    """Who mentors whom, as subqueries of user ids. Relationships live in `mentoring`, above
    accounts, so mentoring registers its implementation in its AppConfig.ready()
    (`register_pair_links`). With none registered, nobody is linked to anybody: access narrows."""

    def mentors_of_partner_mentees(self, partner_ids):
        """Mentors with a relationship (any status) with a young person at one of these partners."""
        ...

    def mentees_of(self, mentor, *, open_only: bool = False): ...

    def mentors_of(self, mentee): ...


_pair_links: list[PairLinks] = []


def register_pair_links(links: PairLinks) -> None:
    if all(type(existing) is not type(links) for existing in _pair_links):
        _pair_links.append(links)


def _partner_ids_overseen(user) -> frozenset[int]:
    """Youth partners whose people this coordinator or safeguarding lead looks after."""
    return user.coordinated_partner_ids | user.safeguarding_partner_ids


def people_visible_q(user, prefix: str = "") -> Q:
    """A Q over User (optionally through `prefix`) for the people `user` may view."""
    p = prefix
    if user.is_programme_staff:
        return Q()
    condition = Q(**{f"{p}pk": user.pk})
    partner_ids = _partner_ids_overseen(user)
    if partner_ids:
        condition |= Q(**{f"{p}mentee_profile__youth_partner_id__in": partner_ids})
        for links in _pair_links:
            condition |= Q(**{f"{p}pk__in": links.mentors_of_partner_mentees(partner_ids)})
    for links in _pair_links:
        if Role.MENTOR in user.roles:
            condition |= Q(**{f"{p}pk__in": links.mentees_of(user)})
        if Role.MENTEE in user.roles:
            condition |= Q(**{f"{p}pk__in": links.mentors_of(user)})
    return condition


@policy.rule("accounts.read_audit_log")
def may_read_audit_log(user) -> bool:
    """The audit log page: programme staff."""
    return user.is_programme_staff


class UserPolicy(policy.ModelPolicy):
    model = User

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            # No condition crosses a many-valued relation (a one-to-one profile, `pk__in` subqueries):
            # no row can repeat, so no DISTINCT, and staff's empty condition costs nothing.
            return queryset.filter(people_visible_q(user))
        if action == MANAGE:
            # Keeping a mentee's record (date of birth, youth partner, cohort): staff and their coordinators.
            if user.is_programme_staff:
                return queryset
            return queryset.filter(mentee_profile__youth_partner_id__in=user.coordinated_partner_ids)
        if action == policy.CHANGE:
            # Changing one's own name and profile.
            if user.is_programme_staff:
                return queryset
            return queryset.filter(pk=user.pk)
        if action == "view_contact":
            return self._contact_scope(user, queryset)
        return queryset.none()

    def _contact_scope(self, user, queryset):
        """Contact details: never an under-18's to a mentor; over-18s only when they agreed."""
        from .models import birthdate_cutoff

        if user.is_programme_staff:
            return queryset
        condition = Q(pk=user.pk)
        partner_ids = _partner_ids_overseen(user)
        if partner_ids:
            condition |= Q(mentee_profile__youth_partner_id__in=partner_ids)
            for links in _pair_links:
                condition |= Q(pk__in=links.mentors_of_partner_mentees(partner_ids))
        if Role.MENTOR in user.roles:
            for links in _pair_links:
                condition |= Q(
                    pk__in=links.mentees_of(user, open_only=True),
                    mentee_profile__date_of_birth__lte=birthdate_cutoff(18),
                    mentee_profile__shares_contact_with_mentor=True,
                )
        return queryset.filter(condition)

    def can(self, user, action, obj):
        if action == policy.VIEW and obj.pk == user.pk:
            return True
        return super().can(user, action, obj)

    def can_create(self, user, **context):
        return user.is_programme_staff


class MentorProfilePolicy(policy.ModelPolicy):
    model = MentorProfile

    def scope(self, user, action, queryset):
        return queryset.filter(user__in=UserPolicy().scope(user, action, User.objects.all()))


class MenteeProfilePolicy(policy.ModelPolicy):
    model = MenteeProfile

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            # The same people as UserPolicy's, through the profile's own user: no subquery over users.
            return queryset.filter(people_visible_q(user, prefix="user__"))
        return queryset.filter(user__in=UserPolicy().scope(user, action, User.objects.all()))

    def can_create(self, user, youth_partner=None, **context):
        if user.is_programme_staff:
            return True
        return youth_partner is not None and youth_partner.pk in user.coordinated_partner_ids


class RoleAssignmentPolicy(policy.ModelPolicy):
    model = RoleAssignment

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW:
            return queryset.filter(user=user)
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class DiversityAnswersPolicy(policy.ModelPolicy):
    """Only the person themselves: staff see these only as aggregates."""

    model = DiversityAnswers

    def scope(self, user, action, queryset):
        return queryset.filter(user=user)


class ApiTokenPolicy(policy.ModelPolicy):
    """Owners see and revoke their own API keys; programme staff see and revoke anyone's."""

    model = ApiToken

    def scope(self, user, action, queryset):
        if action in (policy.VIEW, policy.DELETE) and user.is_programme_staff:
            return queryset
        if action in (policy.VIEW, policy.DELETE):
            return queryset.filter(user=user)
        return queryset.none()


class AuditEventPolicy(policy.ModelPolicy):
    model = AuditEvent

    def scope(self, user, action, queryset):
        if action == policy.VIEW and user.is_programme_staff:
            return queryset
        return queryset.none()


class OutgoingEmailPolicy(policy.ModelPolicy):
    """Internal delivery rows: nobody reads them through the site."""

    model = OutgoingEmail


for _policy in (
    UserPolicy(),
    MentorProfilePolicy(),
    MenteeProfilePolicy(),
    RoleAssignmentPolicy(),
    DiversityAnswersPolicy(),
    AuditEventPolicy(),
    OutgoingEmailPolicy(),
    ApiTokenPolicy(),
):
    policy.register(_policy)
