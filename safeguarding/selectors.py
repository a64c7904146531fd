"""Read queries for concerns and messages, scoped through the policy module."""

from django.db.models import Count, DateField, Q, Value
from django.utils import timezone

from accounts.models import MenteeProfile, Role, RoleAssignment, birthdate_cutoff
from core import policy
from core.prepared import PreparedQuery
from core.rows import PreparedRows
from mentoring.models import HeldText, Relationship

from .models import Concern, Message
from .policies import STATUS, overseen_partner_ids


def concerns_visible_to(*, user):
    return policy.scope(user, policy.VIEW, Concern).select_related(
        "young_person", "youth_partner", "assigned_to", "reporter"
    )


def concerns_open(*, user):
    """Concerns not yet closed: what the DSL's home counts as open."""
    return concerns_visible_to(user=user).exclude(status=Concern.Status.CLOSED)


def concerns_with_status(*, user, status: str):
    """The list's filter: "open" is every status but closed; a status by its value; anything else all."""
    if status == "open":
        return concerns_open(user=user)
    if status in Concern.Status.values:
        return concerns_visible_to(user=user).filter(status=status)
    return concerns_visible_to(user=user)


def concerns_awaiting_acknowledgement(*, user):
    return concerns_visible_to(user=user).filter(acknowledged_at__isnull=True).order_by("acknowledge_by")


def concerns_reported_by(*, user):
    """The reporter's own concerns, for their status only."""
    return policy.scope(user, STATUS, Concern).filter(reporter=user).order_by("-created_at")


def concern_is_overdue(concern) -> bool:
    return not concern.is_acknowledged and concern.acknowledge_by < timezone.now()


def thread_messages(*, user, relationship):
    return (
        policy.scope(user, policy.VIEW, Message)
        .filter(relationship=relationship)
        .select_related("sender", "reviewed_by", "attachment")
        .order_by("sent_at", "id")
    )


def threads_visible_to(*, user):
    """Open and past relationships whose messages this user may read."""
    return (
        Relationship.objects.filter(
            Q(mentor=user)
            | Q(mentee=user)
            | Q(mentee__mentee_profile__youth_partner_id__in=overseen_partner_ids(user))
        )
        .select_related("mentor", "mentee", "cohort__youth_partner")
        .order_by("-created_at")
    )


def held_messages_for(*, user):
    return (
        policy.scope(user, policy.CHANGE, Message)
        .filter(status=Message.Status.HELD)
        .select_related("relationship__mentor", "relationship__mentee", "sender")
        .order_by("sent_at")
    )


# What the home panels show of each held message: who wrote to whom, why it is held, when it was sent.
_HELD_MESSAGES_SHOWN = PreparedRows(
    Message,
    (
        "relationship_id",
        "sender_id",
        "hold_reason",
        "sent_at",
        "sender__first_name",
        "relationship__mentor__first_name",
        "relationship__mentee__first_name",
    ),
    lambda slots: held_messages_for(user=slots.person("user"))[:10],
)


def first_held_messages(*, user) -> list[Message]:
    """The first ten of `held_messages_for`, with the columns the home panel shows, compiled once per
    process (core.prepared)."""
    return _HELD_MESSAGES_SHOWN.rows(user=user)


def held_texts_for(*, user):
    """Goals, notes and requests held because they seem to contain contact details, for those who
    review them (the coordinators and safeguarding leads of the mentee's partner)."""
    return (
        policy.scope(user, policy.CHANGE, HeldText)
        .filter(status=HeldText.Status.HELD)
        .select_related("relationship__mentor", "relationship__mentee")
        .order_by("created_at")
    )


def _total(queryset):
    """One row holding `queryset`'s rows counted (`COUNT(*)`, which an index alone can answer, where
    counting the primary key reads every row): no row when it has none."""
    return queryset.order_by().values(every=Value(1)).annotate(total=Count("*")).values("total")


# The safeguarding lead's home (safeguarding/panels/*.html), each read compiled once per process
# (core.prepared), with the columns the panels show: each concern's reference (its id), danger flag
# and deadline, not its people and partner; each young person's name, age band and partner.
_CONCERNS_WAITING = PreparedRows(
    Concern,
    ("immediate_danger", "acknowledge_by"),
    lambda slots: concerns_awaiting_acknowledgement(user=slots.person("user"))[:10],
)
_CONCERNS_OPEN_TOTAL = PreparedQuery(lambda slots: _total(concerns_open(user=slots.person("user"))))


def concerns_waiting_and_open(*, user) -> tuple[list[Concern], int]:
    """The first ten concerns awaiting `user`'s acknowledgement, and how many of theirs are open."""
    total = _CONCERNS_OPEN_TOTAL.tuples(user=user)
    return _CONCERNS_WAITING.rows(user=user), total[0][0] if total else 0


def _young_mentees(slots):
    # The partners as the person's own (kept with the SQL as its guard, core.prepared), written into
    # the query as a list of ids: PostgreSQL then reads the first twenty in date-of-birth order from the
    # (youth partner, date of birth) index, where one array of ids would have it sort every young
    # person of the partners (5,000 at a large school: 27 ms).
    return MenteeProfile.objects.filter(
        youth_partner_id__in=slots.person("user").safeguarding_partner_ids,
        date_of_birth__gt=slots.value("under_18", DateField()),
    )


_YOUNG_MENTEES = PreparedRows(
    MenteeProfile,
    ("user_id", "date_of_birth", "user__first_name", "user__last_name", "youth_partner__name"),
    lambda slots: _young_mentees(slots).order_by("date_of_birth")[:20],
)
_YOUNG_MENTEES_TOTAL = PreparedQuery(lambda slots: _total(_young_mentees(slots)))
_LEAD_ASSIGNMENTS = PreparedRows(
    RoleAssignment,
    ("user_id", "is_deputy", "youth_partner__name", "programme__name"),
    lambda slots: RoleAssignment.objects.filter(user=slots.person("user"), role=Role.SAFEGUARDING_LEAD),
)


def young_mentees_covered_by(*, user) -> tuple[list[MenteeProfile], int]:
    """The first twenty young people under 18 at the youth partners `user` is safeguarding lead for
    (`safeguarding_partner_ids`), youngest last, each with their name, date of birth and partner's
    name, and how many there are."""
    values = {"user": user, "under_18": birthdate_cutoff(18)}
    total = _YOUNG_MENTEES_TOTAL.tuples(**values)
    return _YOUNG_MENTEES.rows(**values), total[0][0] if total else 0


def safeguarding_lead_assignments(*, user) -> list[RoleAssignment]:
    """`user`'s safeguarding lead roles, each with its partner's or programme's name."""
    return _LEAD_ASSIGNMENTS.rows(user=user)
