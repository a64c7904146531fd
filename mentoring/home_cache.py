"""Which home pages a write to a relationship's rows makes out of date (see core.home_cache)."""

from django.db.models import Q

from accounts.models import MenteeProfile, User
from core.home_cache import Scopes, register_home_dependency, register_not_on_home

from .models import (
    Agreement,
    CalendarFeed,
    Closure,
    Cohort,
    CohortMentees,
    Goal,
    GoalProgress,
    HeldText,
    MentoringSession,
    NotificationPreference,
    PulseCheckIn,
    Relationship,
    RelationshipEvent,
    RelationshipMonth,
    SentReminder,
    SessionLog,
    SupportCheckIn,
)


def relationship_scopes(**lookup) -> Scopes:
    """The mentor, the mentee and the youth partners of the relationships matching `lookup`: a write
    to any of a relationship's rows shows on their home pages and their coordinators'."""
    rows = list(
        Relationship.objects.filter(**lookup).values_list(
            "mentor_id", "mentee_id", "cohort__youth_partner_id", "mentee__mentee_profile__youth_partner_id"
        )
    )
    if not rows:
        # Already gone (a cascade) or never found: refreshing everyone is always correct.
        return Scopes(site=True)
    scopes = Scopes()
    for mentor_id, mentee_id, cohort_partner_id, mentee_partner_id in rows:
        scopes.users |= {mentor_id, mentee_id}
        scopes.partners |= {cohort_partner_id, mentee_partner_id}
    return scopes


def _relationship(instance) -> Scopes:
    # From the row's own fields, so a deleted relationship still refreshes the right pages.
    partners = set(
        MenteeProfile.objects.filter(user_id=instance.mentee_id).values_list("youth_partner_id", flat=True)
    )
    if instance.cohort_id is not None:
        partners |= set(
            Cohort.objects.filter(pk=instance.cohort_id).values_list("youth_partner_id", flat=True)
        )
    return Scopes(users={instance.mentor_id, instance.mentee_id}, partners=partners)


def people_scopes(user_id) -> Scopes:
    """A person's own pages, and the pages that show their name: their mentors' or mentees', and their
    youth partners' (held messages name both people)."""
    scopes = Scopes(users={user_id})
    for mentor_id, mentee_id, cohort_partner_id, mentee_partner_id in Relationship.objects.filter(
        Q(mentor_id=user_id) | Q(mentee_id=user_id)
    ).values_list(
        "mentor_id", "mentee_id", "cohort__youth_partner_id", "mentee__mentee_profile__youth_partner_id"
    ):
        scopes.users |= {mentor_id, mentee_id}
        scopes.partners |= {cohort_partner_id, mentee_partner_id}
    return scopes


def register():
    # A person's name shows on their own pages and those of the people around them (people_scopes);
    # signing in stamps last_login, which no home page shows.
    register_home_dependency(User, lambda user: people_scopes(user.pk), ignore_update_fields={"last_login"})
    register_home_dependency(Relationship, _relationship, track_previous=True)
    for model in (
        RelationshipEvent,
        Agreement,
        MentoringSession,
        Goal,
        PulseCheckIn,
        SupportCheckIn,
        Closure,
        HeldText,
    ):
        register_home_dependency(model, lambda row: relationship_scopes(pk=row.relationship_id))
    register_home_dependency(SessionLog, lambda row: relationship_scopes(sessions=row.session_id))
    register_home_dependency(GoalProgress, lambda row: relationship_scopes(goals=row.goal_id))
    # Months of held logs are counted with the relationship's summary, whose sessions and logs say
    # whom they concern.
    register_not_on_home(NotificationPreference, SentReminder, CalendarFeed, RelationshipMonth, CohortMentees)
    # Programmes, youth partners, cohorts, venues, blackout dates and agreement templates change
    # rarely and show on many pages: they refresh every home page (the default).
