"""The reads of the relationship page and the session log form, compiled once per process
(core.prepared) and each reading the columns its page shows.

Each went through the ORM's query building on every visit, reading every column of up to seven
tables (the relationship with its people, their profiles, cohort, programme and partner: 9,600 Python
calls for one row; the session log form's session with the same: 9,900). The relationship and the
session are still read through the policy's scope for the person (`policy.scope(person, VIEW, ...)`,
a person slot: core.prepared), so they are found for exactly the people who found them before. The
young person's contact details are not among the columns: they are read on their own, only when the
policy lets the visitor see them (`contact_details`).
"""

from django.db.models import Exists, IntegerField, OuterRef

from accounts.models import User
from core import policy
from core.prepared import PreparedQuery
from core.rows import PreparedRows

from .models import (
    Goal,
    HeldText,
    MentoringSession,
    PulseCheckIn,
    Relationship,
    RelationshipEvent,
    SessionLog,
)
from .policies import LOG, SCHEDULE

# What the relationship page shows of the relationship and its people, and what its agreement,
# closure and programme's agreement template say (templates/mentoring/relationship_detail.html).
RELATIONSHIP_COLUMNS = (
    "status",
    "started_on",
    "planned_end_on",
    "ended_on",
    "end_reason",
    "rematch_available_on",
    "mentor__first_name",
    "mentor__last_name",
    "mentor__email",
    "mentor__mentor_profile__job_title",
    "mentor__mentor_profile__sector",
    "mentor__mentor_profile__bio",
    "mentee__first_name",
    "mentee__last_name",
    "mentee__mentee_profile__date_of_birth",
    "mentee__mentee_profile__stage",
    "cohort__programme__name",
    "cohort__programme__session_minutes",
    "cohort__programme__session_cadence",
    "cohort__programme__post_closure_contact_policy",
    "cohort__programme__agreement_template__purpose",
    "cohort__programme__agreement_template__boundaries",
    "cohort__programme__agreement_template__confidentiality",
    "cohort__programme__agreement_template__frequency",
    "cohort__programme__agreement_template__contact",
    "cohort__programme__agreement_template__not_working",
    "cohort__youth_partner__name",
    "agreement__text",
    "agreement__mentor_signed_at",
    "agreement__mentee_signed_at",
    "closure__reason",
    "closure__final_meeting_held",
    "closure__recommendations",
)

_RELATIONSHIP = PreparedRows(
    Relationship,
    RELATIONSHIP_COLUMNS,
    lambda slots: policy.scope(slots.person("user"), policy.VIEW, Relationship).filter(
        pk=slots.value("pk", IntegerField())
    ),
)


def relationship_shown(*, user, pk: int) -> Relationship | None:
    """The relationship `pk` with what its page shows, if `user` may see it (the policy's scope)."""
    rows = _RELATIONSHIP.rows(user=user, pk=pk)
    return rows[0] if rows else None


def _permissions_query(slots):
    user = slots.person("user")

    def allowed(action, model, column):
        return Exists(policy.scope(user, action, model).filter(pk=OuterRef(column)))

    return (
        Relationship.objects.filter(pk=slots.value("pk", IntegerField()))
        .annotate(
            may_manage=allowed(policy.CHANGE, Relationship, "pk"),
            may_schedule=allowed(SCHEDULE, Relationship, "pk"),
            show_mentee_contact=allowed("view_contact", User, "mentee_id"),
            show_mentor_contact=allowed("view_contact", User, "mentor_id"),
        )
        .values("may_manage", "may_schedule", "show_mentee_contact", "show_mentor_contact")
    )


# The policy's scopes for the person, each asked of this relationship (or its people): compiled once
# a day, as who is 18 today (a birthday cut-off) is part of the contact and scheduling scopes.
_PERMISSIONS = PreparedQuery(_permissions_query, daily=True)


def relationship_permissions(*, user, relationship: Relationship) -> dict[str, bool]:
    """What the relationship page lets `user` do and see, as the policy decides each (core.policy's
    `can`: the object's scope for the action, asked of the object): manage the relationship (the
    change scope, as `lifecycle.may_manage`), schedule its sessions (the "mentoring.schedule_sessions"
    rule: the schedule scope), and see the young person's and the mentor's contact details
    ("view_contact"). One query instead of one for each."""
    (row,) = _PERMISSIONS.rows(user=user, pk=relationship.pk)
    return row


_SESSIONS = PreparedRows(
    MentoringSession,
    ("number", "starts_at", "status", "is_online", "venue__name"),
    lambda slots: MentoringSession.objects.filter(
        relationship_id=slots.value("relationship", IntegerField())
    ).order_by("starts_at", "pk"),
)


def sessions_of(relationship: Relationship) -> list[MentoringSession]:
    """Every session of the relationship, in time order, with what its page's table shows."""
    return _SESSIONS.rows(relationship=relationship.pk)


_GOALS = PreparedRows(
    Goal,
    ("title", "term", "target_date", "status"),
    lambda slots: Goal.objects.filter(relationship_id=slots.value("relationship", IntegerField())).order_by(
        "target_date", "pk"
    ),
)


def goals_of(relationship: Relationship) -> list[Goal]:
    return _GOALS.rows(relationship=relationship.pk)


_EVENTS = PreparedRows(
    RelationshipEvent,
    ("occurred_at", "from_status", "to_status", "reason", "actor__first_name", "actor__last_name"),
    lambda slots: RelationshipEvent.objects.filter(
        relationship_id=slots.value("relationship", IntegerField())
    ).order_by("occurred_at", "pk"),
)


def events_of(relationship: Relationship) -> list[RelationshipEvent]:
    """The relationship's status changes, oldest first, with who made each."""
    return _EVENTS.rows(relationship=relationship.pk)


_HELD_TEXTS = PreparedRows(
    HeldText,
    (
        "author_id",
        "kind",
        "texts",
        "hold_reason",
        "status",
        "decline_reason",
        "created_at",
        "author__first_name",
        "author__last_name",
    ),
    lambda slots: (
        policy.scope(slots.person("user"), policy.VIEW, HeldText)
        .filter(relationship_id=slots.value("relationship", IntegerField()))
        .exclude(status=HeldText.Status.RELEASED)
        .order_by("-created_at", "-pk")[:50]
    ),
)


def held_texts_of(*, user, relationship: Relationship) -> list[HeldText]:
    """The relationship's text waiting for a check (or declined or returned) that `user` may see."""
    return _HELD_TEXTS.rows(user=user, relationship=relationship.pk)


_ANSWERED_PULSE = PreparedQuery(
    lambda slots: PulseCheckIn.objects.filter(
        relationship_id=slots.value("relationship", IntegerField()),
        respondent_id=slots.value("respondent", IntegerField()),
    ).values("pk")[:1]
)


def pulse_answered(*, user, relationship: Relationship) -> bool:
    return bool(_ANSWERED_PULSE.tuples(relationship=relationship.pk, respondent=user.pk))


_LAST_NEXT_TIME = PreparedRows(
    SessionLog,
    ("next_time_notes",),
    lambda slots: (
        SessionLog.objects.filter(session__relationship_id=slots.value("relationship", IntegerField()))
        .exclude(next_time_notes="")
        .order_by("-session__starts_at")[:1]
    ),
)


def last_next_time_notes(relationship_id: int) -> SessionLog | None:
    """The most recent log with notes for next time (as `journal.last_next_time_notes`), with those
    notes alone: what the relationship page and the session log form show of it."""
    rows = _LAST_NEXT_TIME.rows(relationship=relationship_id)
    return rows[0] if rows else None


_CONTACT = PreparedRows(
    User,
    ("email", "mentee_profile__phone"),
    lambda slots: User.objects.filter(pk=slots.value("pk", IntegerField())),
)


def contact_details(person: User) -> None:
    """Read the person's email address and (a young person's) phone number onto them: called only
    when the policy lets the visitor see them."""
    (row,) = _CONTACT.rows(pk=person.pk)
    person.email = row.email
    profile = getattr(person, "mentee_profile", None)
    if profile is not None and row.mentee_profile is not None:
        profile.phone = row.mentee_profile.phone


# The session log form: the session, found through the policy's scope for seeing sessions, and whether
# the person may log it (the scope for logging), as `policy.get_object_or_404(user, LOG, ...)` decides:
# not found, 404; found but not theirs to log, 403.
SESSION_TO_LOG_COLUMNS = (
    "number",
    "starts_at",
    "duration_minutes",
    "is_online",
    "relationship__mentor_id",
    "relationship__mentee__first_name",
    "relationship__mentee__mentee_profile__date_of_birth",
)


def _session_to_log_query(slots):
    user = slots.person("user")
    loggable = policy.scope(user, LOG, MentoringSession).filter(pk=OuterRef("pk"))
    return (
        policy.scope(user, policy.VIEW, MentoringSession)
        .filter(pk=slots.value("pk", IntegerField()))
        .annotate(may_log=Exists(loggable))
    )


_SESSION_TO_LOG = PreparedRows(
    MentoringSession, SESSION_TO_LOG_COLUMNS, _session_to_log_query, annotations=("may_log",)
)


def session_to_log(*, user, pk: int) -> MentoringSession | None:
    """The session `pk` with what its log form shows, if `user` may see it; its `may_log` says
    whether they may log it."""
    rows = _SESSION_TO_LOG.rows(user=user, pk=pk)
    return rows[0] if rows else None


_LOG_OF_SESSION = PreparedRows(
    SessionLog,
    (
        "held",
        "missed_by",
        "duration_minutes",
        "format",
        "topics",
        "summary",
        "next_time_notes",
        "mentee_activity",
        "worrying",
    ),
    lambda slots: SessionLog.objects.filter(session_id=slots.value("session", IntegerField())).order_by("pk")[
        :1
    ],
)


def log_of_session(session: MentoringSession) -> SessionLog | None:
    """The session's log, if written, with what the form is filled in with."""
    rows = _LOG_OF_SESSION.rows(session=session.pk)
    return rows[0] if rows else None


_GOALS_TO_UPDATE = PreparedRows(
    Goal,
    ("title", "status"),
    lambda slots: (
        Goal.objects.filter(relationship_id=slots.value("relationship", IntegerField()))
        .exclude(status__in=[Goal.Status.DROPPED])
        .order_by("pk")
    ),
)


def goals_to_update(relationship_id: int) -> list[Goal]:
    """The goals the log form asks about (not dropped), with their titles and statuses."""
    return _GOALS_TO_UPDATE.rows(relationship=relationship_id)
