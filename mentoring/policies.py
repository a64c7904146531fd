"""Who may see and change programmes, youth partners, cohorts and relationships."""

from django.db.models import Q

from accounts.models import Role
from core import policy

from .models import (
    Agreement,
    AgreementTemplate,
    BlackoutDate,
    CalendarFeed,
    Closure,
    Cohort,
    CohortMentees,
    Goal,
    GoalProgress,
    HeldText,
    MentoringSession,
    NotificationPreference,
    Programme,
    PulseCheckIn,
    Relationship,
    RelationshipEvent,
    RelationshipMonth,
    SentReminder,
    SessionLog,
    SupportCheckIn,
    Term,
    Venue,
    YouthPartner,
)

LOG = "log"
SCHEDULE = "schedule"
PAIR = "pair"
# Sending held text that was returned for editing again, changed: only its writer.
REWRITE = "rewrite"


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
        if action == PAIR:
            # Things only the mentor and mentee do themselves: sign the agreement, answer the pulse.
            return queryset.filter(Q(mentor=user) | Q(mentee=user))
        if action == SCHEDULE:
            return self.scope(user, policy.CHANGE, queryset) | queryset.filter(_adult_pair_q(user))
        if user.is_programme_staff:
            return queryset
        if action == policy.CHANGE:
            return queryset.filter(mentee__mentee_profile__youth_partner_id__in=user.coordinated_partner_ids)
        if action != policy.VIEW:
            return queryset.none()
        visible = Q(mentor=user) | Q(mentee=user)
        # Mentors and young people oversee no partner: no condition (and join) that matches nothing,
        # which every one of their pages built and compiled with each relationship it reads.
        if overseen := _overseen_partner_ids(user):
            visible |= Q(mentee__mentee_profile__youth_partner_id__in=overseen)
        return queryset.filter(visible)


# Rules for pages and actions ---------------------------------------------------------------------


@policy.rule(
    "mentoring.schedule_sessions",
    message="Only the coordinator (or, for adult mentees, the pair) can schedule sessions.",
)
def may_schedule(user, relationship) -> bool:
    """Coordinators and staff schedule; for adult mentees the pair may schedule themselves."""
    return policy.can(user, SCHEDULE, relationship)


@policy.rule("mentoring.edit_goals", message="Only the pair and their coordinator can change these goals.")
def may_edit_goals(user, relationship) -> bool:
    if user.pk in (relationship.mentor_id, relationship.mentee_id):
        return True
    return policy.can(user, policy.CHANGE, relationship)


@policy.rule("mentoring.record_session")
def may_record_session(user, relationship) -> bool:
    """The pair's mentor, or those who run the relationship, record a session that happened
    without being scheduled."""
    return user.pk == relationship.mentor_id or policy.can(user, policy.CHANGE, relationship)


@policy.rule("mentoring.see_people")
def may_see_people(user) -> bool:
    """The mentee and mentor lists: staff, and the coordinators and DSLs of youth partners."""
    return user.is_programme_staff or bool(user.coordinated_partner_ids or user.safeguarding_partner_ids)


@policy.rule("mentoring.monitor")
def may_monitor(user) -> bool:
    """The monitoring lists: staff, and coordinators for their own partners."""
    return user.is_programme_staff or bool(user.coordinated_partner_ids)


@policy.rule("mentoring.use_calendar_feed", hidden=True)
def may_use_calendar_feed(user, feed) -> bool:
    """A calendar feed's token speaks for its owner while their account is active."""
    return feed.user_id == user.pk


# Things inside a relationship --------------------------------------------------------------------


def _relationships(user, action):
    return RelationshipPolicy().scope(user, action, Relationship.objects.all())


def _adult_pair_q(user, prefix: str = "") -> Q:
    """Relationships where `user` is the mentor or mentee and the mentee is 18 or over."""
    from accounts.models import birthdate_cutoff

    return (Q(**{f"{prefix}mentor": user}) | Q(**{f"{prefix}mentee": user})) & Q(
        **{f"{prefix}mentee__mentee_profile__date_of_birth__lte": birthdate_cutoff(18)}
    )


class MentoringSessionPolicy(policy.ModelPolicy):
    """Everyone who sees the relationship sees its sessions. Coordinators and staff schedule and
    change them; adult pairs may too. Only the pair's mentor logs them."""

    model = MentoringSession

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            return queryset.filter(relationship__in=_relationships(user, policy.VIEW))
        if action in (policy.CHANGE, SCHEDULE):
            managed = _relationships(user, policy.CHANGE)
            return queryset.filter(Q(relationship__in=managed) | _adult_pair_q(user, "relationship__"))
        if action == LOG:
            return queryset.filter(relationship__mentor=user)
        return queryset.none()


class SessionLogPolicy(policy.ModelPolicy):
    """The mentor's notes: the mentor, their coordinator and DSL, and staff. Not the mentee."""

    model = SessionLog

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            overseen = Relationship.objects.filter(
                mentee__mentee_profile__youth_partner_id__in=_overseen_partner_ids(user)
            )
            if user.is_programme_staff:
                return queryset
            return queryset.filter(
                Q(session__relationship__mentor=user) | Q(session__relationship__in=overseen)
            )
        if action == policy.CHANGE:
            return queryset.filter(session__relationship__mentor=user)
        return queryset.none()


class GoalPolicy(policy.ModelPolicy):
    model = Goal

    def can_create(self, user, **context):
        """Anyone signed in may try; the service accepts only the pair and those who run it."""
        return True

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            return queryset.filter(relationship__in=_relationships(user, policy.VIEW))
        if action == policy.CHANGE:
            return queryset.filter(
                Q(relationship__mentor=user)
                | Q(relationship__mentee=user)
                | Q(relationship__in=_relationships(user, policy.CHANGE))
            )
        return queryset.none()


class PulseCheckInPolicy(policy.ModelPolicy):
    """Private answers: the person who gave them, their coordinator and staff; not the other side."""

    model = PulseCheckIn

    def scope(self, user, action, queryset):
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(Q(respondent=user) | Q(relationship__in=_relationships(user, policy.CHANGE)))


class SupportCheckInPolicy(policy.ModelPolicy):
    model = SupportCheckIn

    def scope(self, user, action, queryset):
        if action in (policy.VIEW, policy.CHANGE):
            return queryset.filter(relationship__in=_relationships(user, policy.CHANGE))
        return queryset.none()


class ClosurePolicy(policy.ModelPolicy):
    model = Closure

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            return queryset.filter(relationship__in=_relationships(user, policy.VIEW))
        return queryset.none()


class _ThroughRelationshipPolicy(policy.ModelPolicy):
    """Read-only records seen by whoever sees their relationship."""

    relationship_path = "relationship"

    def scope(self, user, action, queryset):
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(**{f"{self.relationship_path}__in": _relationships(user, policy.VIEW)})


class RelationshipEventPolicy(_ThroughRelationshipPolicy):
    model = RelationshipEvent


class AgreementPolicy(_ThroughRelationshipPolicy):
    model = Agreement


class GoalProgressPolicy(_ThroughRelationshipPolicy):
    model = GoalProgress
    relationship_path = "goal__relationship"


class AgreementTemplatePolicy(policy.ModelPolicy):
    """The agreement text of the programmes a user can see; programme staff write it."""

    model = AgreementTemplate

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(
            programme__in=ProgrammePolicy().scope(user, policy.VIEW, Programme.objects.all())
        )

    def can_create(self, user, **context):
        return user.is_programme_staff


class _OwnRecordPolicy(policy.ModelPolicy):
    """A person's own settings: only they see and change them."""

    def scope(self, user, action, queryset):
        if action in (policy.VIEW, policy.CHANGE):
            return queryset.filter(user=user)
        return queryset.none()


class NotificationPreferencePolicy(_OwnRecordPolicy):
    model = NotificationPreference


class CalendarFeedPolicy(_OwnRecordPolicy):
    model = CalendarFeed


class SentReminderPolicy(policy.ModelPolicy):
    """The record of reminders sent: programme staff, for support."""

    model = SentReminder

    def scope(self, user, action, queryset):
        if action == policy.VIEW and user.is_programme_staff:
            return queryset
        return queryset.none()


class _PartnerThingPolicy(policy.ModelPolicy):
    """Venues and blackout dates: seen by those who see the partner, kept by its coordinators and staff."""

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW:
            partners = YouthPartnerPolicy().scope(user, policy.VIEW, YouthPartner.objects.all())
            return queryset.filter(youth_partner__in=partners)
        if action in (policy.CHANGE, policy.DELETE):
            return queryset.filter(youth_partner_id__in=user.coordinated_partner_ids)
        return queryset.none()

    def can_create(self, user, youth_partner=None, **context):
        return CohortPolicy().can_create(user, youth_partner=youth_partner)


class VenuePolicy(_PartnerThingPolicy):
    model = Venue


class BlackoutDatePolicy(_PartnerThingPolicy):
    model = BlackoutDate


class TermPolicy(_PartnerThingPolicy):
    model = Term


class HeldTextPolicy(policy.ModelPolicy):
    """Held text: its writer sees it (and why it was declined or returned) and sends it again once
    changed when it was returned; the coordinators and safeguarding leads of the mentee's youth
    partner see and decide it, as they do held messages."""

    model = HeldText

    def scope(self, user, action, queryset):
        overseen = Q(relationship__mentee__mentee_profile__youth_partner_id__in=_overseen_partner_ids(user))
        if action == policy.VIEW:
            return queryset.filter(overseen | Q(author=user))
        if action == policy.CHANGE:
            return queryset.filter(overseen)
        if action == REWRITE:
            return queryset.filter(author=user)
        return queryset.none()


for _policy in (
    ProgrammePolicy(),
    YouthPartnerPolicy(),
    CohortPolicy(),
    RelationshipPolicy(),
    MentoringSessionPolicy(),
    SessionLogPolicy(),
    GoalPolicy(),
    PulseCheckInPolicy(),
    SupportCheckInPolicy(),
    ClosurePolicy(),
    VenuePolicy(),
    BlackoutDatePolicy(),
    TermPolicy(),
    RelationshipEventPolicy(),
    AgreementPolicy(),
    GoalProgressPolicy(),
    AgreementTemplatePolicy(),
    NotificationPreferencePolicy(),
    CalendarFeedPolicy(),
    SentReminderPolicy(),
    HeldTextPolicy(),
    # Held logs counted by month: the employer figures read them through their own suppression.
    policy.AggregateOnlyPolicy(RelationshipMonth),
    # Young people counted per cohort and region: the funder's programme panel reads the totals.
    policy.AggregateOnlyPolicy(CohortMentees),
):
    policy.register(_policy)
