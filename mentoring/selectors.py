"""Read queries for mentoring objects, always scoped by the policy module."""

import datetime
import functools
from collections import namedtuple
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import IsNull
from django.utils import dateformat, timezone

from accounts.models import MenteeProfile, MentorProfile, User, age_band_on, birthdate_cutoff
from accounts.policies import PairLinks
from core import policy
from core.links import reverse_id, reversing_where
from core.lookups import AnyOf
from core.memo import once_per_request
from core.prepared import PreparedQuery, SlotIn
from core.rows import PreparedRows, rows_with_columns

from .models import (
    Cohort,
    CohortMentees,
    Goal,
    MentoringSession,
    Programme,
    Relationship,
    SessionLog,
    SupportCheckIn,
    YouthPartner,
)


def _count_of(queryset, outer: str):
    """A correlated count of `queryset` per outer row, for annotations (0 when none)."""
    return Coalesce(
        Subquery(
            queryset.filter(**{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(total=Count("*"))  # not the primary key: the index alone answers
            .values("total")
        ),
        0,
    )


def _partner_overview_query(slots):
    # A count per partner, each read from the (youth partner, date of birth) index: joining the
    # mentees and grouping would read every mentee row (5,000 at a large school) on every visit.
    mentees = MenteeProfile.objects.all()
    under_16 = slots.value("under_16", DateField())
    under_18 = slots.value("under_18", DateField())
    return (
        YouthPartner.objects.filter(SlotIn(F("pk"), slots.ids("partner_ids")))
        .annotate(
            mentee_count=_count_of(mentees, "youth_partner"),
            under_16_count=_count_of(mentees.filter(date_of_birth__gt=under_16), "youth_partner"),
            under_18_count=_count_of(mentees.filter(date_of_birth__gt=under_18), "youth_partner"),
            cohort_count=_count_of(Cohort.objects.all(), "youth_partner"),
        )
        .order_by("name")
        # The partners' tables show each name and kind with the counts.
        .values("pk", "name", "kind", "mentee_count", "under_16_count", "under_18_count", "cohort_count")
    )


_PARTNER_OVERVIEW = PreparedQuery(_partner_overview_query)


def partner_overview(partner_ids) -> list[YouthPartner]:
    """Each of these youth partners with its mentees (all, under 16, under 18) and cohorts counted, by
    name: partners holding their name and kind (and their counts as attributes), read in one query
    compiled once per process (core.prepared)."""
    partners = []
    for row in _PARTNER_OVERVIEW.rows(
        partner_ids=sorted(partner_ids), under_16=birthdate_cutoff(16), under_18=birthdate_cutoff(18)
    ):
        # Its other fields are deferred, as with only("name", "kind"): read on their own if used.
        partner = YouthPartner.from_db(
            YouthPartner.objects.db,
            ["id", "name", "kind"],
            [row.pop("pk"), row.pop("name"), row.pop("kind")],
        )
        partner.__dict__.update(row)
        partners.append(partner)
    return partners


# The funder's programme table: the cohorts of some programmes (each one's programme and partner) and
# their young people counted per region (CohortMentees), compiled once per process (core.prepared).
_COHORTS_OF_PROGRAMMES = PreparedQuery(
    lambda slots: (
        Cohort.objects.filter(SlotIn(F("programme_id"), slots.ids("programmes")))
        .order_by()
        .values("pk", "programme_id", "youth_partner_id")
    )
)
_MENTEES_OF_PROGRAMMES = PreparedQuery(
    lambda slots: (
        CohortMentees.objects.filter(SlotIn(F("cohort__programme_id"), slots.ids("programmes")))
        .order_by()
        .values("cohort__programme_id", "region", "mentees")
    )
)


def cohorts_of_programmes(programme_ids) -> list:
    """Each cohort of these programmes as (its id, programme, youth partner), in no order."""
    return _COHORTS_OF_PROGRAMMES.tuples(programmes=sorted(programme_ids))


def mentees_of_programmes(programme_ids) -> list:
    """The young people counted per cohort and region (CohortMentees) in the cohorts of these
    programmes, as (the cohort's programme, the region, how many), in no order."""
    return _MENTEES_OF_PROGRAMMES.tuples(programmes=sorted(programme_ids))


def _total(queryset, total=None):
    """One row holding `queryset`'s rows counted (`COUNT(*)`, which an index alone can answer, where
    counting the primary key reads every row), or `total` of them: no row when it has none."""
    return queryset.order_by().values(every=Value(1)).annotate(total=total or Count("*")).values("total")


# The programme team's overview (mentoring/panels/staff_overview.html), each read compiled once per
# process (core.prepared). The young people are counted from their count per cohort and region kept
# as profiles change (CohortMentees) and the profiles in no cohort (found by the cohort's index), not
# by reading the index of every profile (100,000 entries: 17 ms of the database's time per visit).
_STAFF_TOTALS = {
    "mentors": PreparedQuery(lambda slots: _total(MentorProfile.objects.all())),
    "mentees_in_cohorts": PreparedQuery(lambda slots: _total(CohortMentees.objects.all(), Sum("mentees"))),
    "mentees_in_no_cohort": PreparedQuery(
        lambda slots: _total(MenteeProfile.objects.filter(cohort__isnull=True))
    ),
    "open_relationships": PreparedQuery(lambda slots: _total(Relationship.objects.open())),
}
_PARTNERS_BY_KIND = PreparedQuery(
    lambda slots: (
        YouthPartner.objects.order_by("kind", "is_active")
        .values("kind", "is_active")
        .annotate(total=Count("pk"))
    )
)
_ACTIVE_PROGRAMMES = PreparedQuery(
    lambda slots: (
        programmes_visible_to(user=slots.person("user"))
        .filter(is_active=True)
        .values("pk", "name", "cohort_count")[:10]
    )
)


def staff_overview(*, user) -> dict:
    """The programme team's totals (mentors, mentees, active youth partners, open relationships), the
    first ten active programmes they see with their cohorts counted, and the youth partners by type."""
    totals = {name: query.tuples() for name, query in _STAFF_TOTALS.items()}
    count = {name: rows[0][0] if rows else 0 for name, rows in totals.items()}
    by_kind: dict[str, int] = {}
    active_partners = 0
    for kind, is_active, total in _PARTNERS_BY_KIND.tuples():
        by_kind[kind] = by_kind.get(kind, 0) + total
        active_partners += total if is_active else 0
    programmes = []
    for row in _ACTIVE_PROGRAMMES.rows(user=user):
        # Its other fields are deferred, as with only("name"): read on their own if used.
        programme = Programme.from_db(Programme.objects.db, ["id", "name"], [row["pk"], row["name"]])
        programme.__dict__.update(cohort_count=row["cohort_count"])  # as annotate sets it
        programmes.append(programme)
    return {
        "programmes": programmes,
        "totals": {
            "mentors": count["mentors"],
            "mentees": count["mentees_in_cohorts"] + count["mentees_in_no_cohort"],
            "partners": active_partners,
            "open_relationships": count["open_relationships"],
        },
        "partners_by_kind": list(by_kind.items()),
    }


def programmes_visible_to(*, user):
    return (
        policy.scope(user, policy.VIEW, Programme)
        .annotate(cohort_count=Count("cohorts", distinct=True))
        .order_by("name")
    )


def partners_visible_to(*, user):
    under_18 = birthdate_cutoff(18)
    mentees = MenteeProfile.objects.all()
    return (
        policy.scope(user, policy.VIEW, YouthPartner)
        .annotate(
            mentee_count=_count_of(mentees, "youth_partner"),
            under_18_count=_count_of(mentees.filter(date_of_birth__gt=under_18), "youth_partner"),
        )
        .order_by("name")
    )


def cohorts_visible_to(*, user):
    return (
        policy.scope(user, policy.VIEW, Cohort)
        .select_related("programme", "youth_partner")
        .annotate(mentee_count=_count_of(MenteeProfile.objects.all(), "cohort"))
    )


# The coordinator's home's recent cohorts: what it shows of each (the name, or the programme, partner
# and start it is named by) with its mentees counted, compiled once per process (core.prepared).
_RECENT_PARTNER_COHORTS = PreparedRows(
    Cohort,
    ("name", "start_date", "programme__name", "youth_partner__name"),
    lambda slots: _recent_partner_cohorts(slots.person("user")),
    annotations=("mentee_count",),
)


def _recent_partner_cohorts(user):
    return cohorts_visible_to(user=user).filter(youth_partner_id__in=user.coordinated_partner_ids)[:10]


def recent_partner_cohorts(*, user) -> list[Cohort]:
    """The first ten cohorts the user may see at the partners they coordinate, in the cohorts' order,
    each with its mentees counted (`mentee_count`)."""
    return _RECENT_PARTNER_COHORTS.rows(user=user)


def mentees_visible_to(*, user):
    """Mentee profiles the user may see, with what a list needs fetched up front."""
    # Who each is matched with now: the mentor of their open relationship (the latest, if two).
    current = Relationship.objects.open().filter(mentee_id=OuterRef("user_id")).order_by("-created_at")
    return (
        policy.scope(user, policy.VIEW, MenteeProfile)
        .select_related("user", "youth_partner", "cohort__programme")
        .annotate(
            matched_with=Subquery(
                current.annotate(
                    mentor_name=Concat("mentor__first_name", Value(" "), "mentor__last_name")
                ).values("mentor_name")[:1]
            ),
            matched_relationship_id=Subquery(current.values("pk")[:1]),
        )
        .order_by("user__first_name", "user__last_name", "user_id")
    )


# What the mentee list shows of each young person (`mentee_list_rows`).
_MENTEE_LIST_COLUMNS = (
    "user_id",
    "user__first_name",
    "user__last_name",
    "date_of_birth",
    "stage",
    "youth_partner__name",
    "cohort__programme__name",
    "matched_with",
    "matched_relationship_id",
)


def mentee_list_rows(profiles) -> list[dict]:
    """The mentee list's rows for `profiles` (a slice of `mentees_visible_to`, filtered): what each
    row shows, read as values of the columns shown rather than as four models' rows."""
    today = timezone.localdate()
    stages = {value: str(label) for value, label in MenteeProfile.Stage.choices}
    where = reversing_where()
    rows = []
    for (
        user_id,
        first_name,
        last_name,
        born,
        stage,
        partner,
        programme,
        matched_with,
        matched_id,
    ) in profiles.values_list(*_MENTEE_LIST_COLUMNS):
        rows.append(
            {
                "url": reverse_id("mentoring:mentee_detail", user_id, where=where),
                "name": f"{first_name} {last_name}".strip(),  # User.get_full_name
                "age_band": age_band_on(born, today),
                "stage": stages.get(stage, stage),  # get_stage_display
                "youth_partner": partner,
                "programme": programme or "–",
                "matched_with": matched_with,
                "matched_url": matched_id
                and reverse_id("mentoring:relationship_detail", matched_id, where=where),
            }
        )
    return rows


def mentors_visible_to(*, user):
    # The open relationships are counted per row shown (a subquery), not by grouping every mentor.
    open_relationships = (
        Relationship.objects.filter(mentor=OuterRef("pk"), status__in=Relationship.OPEN_STATUSES)
        .order_by()
        .values("mentor")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        policy.scope(user, policy.VIEW, User.objects.filter(mentor_profile__isnull=False))
        .select_related("mentor_profile")
        .annotate(open_relationships=Coalesce(Subquery(open_relationships), 0))
        .order_by("first_name", "last_name", "pk")
    )


def relationships_visible_to(*, user):
    return policy.scope(user, policy.VIEW, Relationship).select_related(
        "mentor__mentor_profile", "mentee__mentee_profile", "cohort__programme", "cohort__youth_partner"
    )


# Relationships in progress -------------------------------------------------------------------------
LIST_LIMIT = 20


CADENCE_DAYS = (("monthly", 31), ("six_weekly", 42), ("fortnightly", 14))


def cadence_thresholds(now) -> dict:
    """The moments (`<cadence>_at`) and days (`<cadence>_on`) before which a relationship on each
    session cadence has missed it, as `cadence_missed_q` reads them."""
    thresholds = {}
    for cadence, days in CADENCE_DAYS:
        threshold = now - datetime.timedelta(days=days)
        thresholds[f"{cadence}_at"] = threshold
        thresholds[f"{cadence}_on"] = threshold.date()
    return thresholds


def cadence_threshold_slots(slots) -> dict:
    """`cadence_thresholds` as slots of a prepared query (core.prepared), filled when it runs."""
    thresholds = {}
    for cadence, _days in CADENCE_DAYS:
        thresholds[f"{cadence}_at"] = slots.value(f"{cadence}_at", DateTimeField())
        thresholds[f"{cadence}_on"] = slots.value(f"{cadence}_on", DateField())
    return thresholds


def cadence_missed_q(now, *, thresholds=None) -> Q:
    """Active relationships with no held session (and no start) within their programme's cadence.

    Public because the evaluation dashboard's cadence measure must use the same rule as monitoring.
    Reads the relationship's own `last_held_at` (kept from its sessions), not its sessions.
    `thresholds`: `cadence_thresholds(now)`, or their slots in a prepared query.
    """
    if thresholds is None:
        thresholds = cadence_thresholds(now)
    condition = Q(pk__in=[])
    for cadence, _days in CADENCE_DAYS:
        moment, day = thresholds[f"{cadence}_at"], thresholds[f"{cadence}_on"]
        condition |= (
            Q(cohort__programme__session_cadence=cadence)
            & (Q(last_held_at__lt=moment) | Q(last_held_at__isnull=True))
            & (Q(started_on__lt=day) | Q(started_on__isnull=True))
        )
    return condition


def _relationships_at(user, partner_ids):
    """Relationships the user may see, narrowed to mentees at `partner_ids` when given."""
    if partner_ids is not None:
        at_partners = Relationship.objects.filter(
            mentee_id__in=MenteeProfile.objects.filter(youth_partner_id__in=partner_ids).values("user_id")
        )
        overseen = user.coordinated_partner_ids | user.safeguarding_partner_ids
        if user.is_programme_staff or set(partner_ids) <= overseen:
            # Everything at partners the user oversees is visible to them: no need for the general scope.
            return at_partners
        return policy.scope(user, policy.VIEW, at_partners)
    return policy.scope(user, policy.VIEW, Relationship)


CADENCE_LABELS = {
    "missed": "Missed its cadence",
    "on_track": "On track",
    "not_active": "Not active",
}


def relationship_list(*, user, partner_ids=None):
    """The relationships a coordinator (or staff) runs, each with its next session, the date of the
    last logged session and its cadence flag (the rule the monitoring list "missed their cadence"
    uses): `cadence` is "missed", "on_track" or "not_active" (not in the active status).

    `partner_ids` narrows to mentees at those youth partners; None means all the user may see."""
    now = timezone.now()
    next_session = (
        MentoringSession.objects.filter(
            relationship=OuterRef("pk"), status=MentoringSession.Status.SCHEDULED, starts_at__gte=now
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    last_log = (
        SessionLog.objects.filter(session__relationship=OuterRef("pk"))
        .order_by("-session__starts_at")
        .values("session__starts_at")[:1]
    )
    active = Q(status=Relationship.Status.ACTIVE)
    return (
        _relationships_at(user, partner_ids)
        .select_related("mentor", "mentee__mentee_profile__youth_partner", "cohort__programme")
        .annotate(
            next_session_at=Subquery(next_session),
            last_log_at=Subquery(last_log),
            cadence=Case(
                When(active & cadence_missed_q(now), then=Value("missed")),
                When(active, then=Value("on_track")),
                default=Value("not_active"),
                output_field=CharField(),
            ),
        )
        .order_by("mentee__first_name", "mentee__last_name", "pk")
    )


# What the relationships list shows of each relationship (`relationship_list_rows`).
_RELATIONSHIP_LIST_COLUMNS = (
    "pk",
    "mentee__first_name",
    "mentee__last_name",
    "mentor__first_name",
    "mentor__last_name",
    "mentee__mentee_profile__youth_partner__name",
    "cohort__programme__name",
    "status",
    "next_session_at",
    "last_log_at",
    "cadence",
)


def relationship_list_rows(relationships) -> list[dict]:
    """The relationships list's rows for `relationships` (a slice of `relationship_list`, filtered):
    what each row shows, read as values of the columns shown rather than as six models' rows, with its
    dates written in the site's time zone as the list writes them."""
    statuses = {value: str(label) for value, label in Relationship.Status.choices}
    where = reversing_where()
    rows = []
    for (
        pk,
        mentee_first,
        mentee_last,
        mentor_first,
        mentor_last,
        partner,
        programme,
        status,
        next_session_at,
        last_log_at,
        cadence,
    ) in relationships.values_list(*_RELATIONSHIP_LIST_COLUMNS):
        rows.append(
            {
                "url": reverse_id("mentoring:relationship_detail", pk, where=where),
                "mentee": f"{mentee_first} {mentee_last}".strip(),  # User.get_full_name
                "mentor": f"{mentor_first} {mentor_last}".strip(),
                "youth_partner": partner or "",
                "programme": programme or "",
                "status": statuses.get(status, status),  # get_status_display
                "next_session": next_session_at
                and dateformat.format(timezone.localtime(next_session_at), "D j M Y, H:i"),
                "last_log": last_log_at and dateformat.format(timezone.localtime(last_log_at), "j M Y"),
                "cadence": cadence,
                "cadence_label": CADENCE_LABELS[cadence],
            }
        )
    return rows


class PageFirst:
    """A list whose page is found in its own table first, then read with the rows it shows.

    Read in one query, PostgreSQL joined the whole of a list's related tables (every relationship,
    every user) to sort a few hundred rows for the first 5 or 25 (20 to 47 ms); the page's ids come
    from the list's own table (one index), and only those rows are then read with their people.
    Counts, slices and iteration give what the queryset gives."""

    ordered = True

    def __init__(self, queryset):
        self.queryset = queryset
        self.model = queryset.model

    def count(self) -> int:
        return self.queryset.count()

    def __iter__(self):
        return iter(self.queryset)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        ids = self.page_ids(item)
        if not ids:
            return []
        rows = {row.pk: row for row in self.queryset.order_by().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def page_ids(self, item: slice) -> list[int]:
        return list(self.queryset.values_list("pk", flat=True)[item])


def _list_values(now, today) -> dict:
    """The values the monitoring lists' conditions are written with (`_list_conditions`)."""
    month_start = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time()))
    next_month = timezone.make_aware(
        datetime.datetime.combine(
            (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1), datetime.time()
        )
    )
    return {
        "now": now,
        "today": today,
        "month_start": month_start,
        "next_month": next_month,
        **cadence_thresholds(now),
    }


def _list_slots(slots) -> dict:
    """`_list_values` as slots of a prepared query (core.prepared), filled when it runs."""
    return {
        "now": slots.value("now", DateTimeField()),
        "today": slots.value("today", DateField()),
        "month_start": slots.value("month_start", DateTimeField()),
        "next_month": slots.value("next_month", DateTimeField()),
        **cadence_threshold_slots(slots),
    }


def _list_conditions(values: dict) -> dict:
    """Each monitoring list's condition on its own table (a session's, a relationship's, a check-in's),
    written once for the lists, their grouped counts and the counts read per relationship
    (`relationship_rows_at`). The unlogged list also keeps only the open relationships' sessions.
    `values`: `_list_values(now, today)`, or their slots in a prepared query."""
    return {
        "session_lists": {
            "month_sessions": Q(starts_at__gte=values["month_start"], starts_at__lt=values["next_month"])
            & ~Q(status=MentoringSession.Status.CANCELLED),
            "unlogged": Q(status=MentoringSession.Status.SCHEDULED, starts_at__lt=values["now"]),
        },
        "relationship_lists": {
            "drifting": Q(status=Relationship.Status.ACTIVE) & cadence_missed_q(None, thresholds=values),
            # Two or more held sessions, from the relationship's maintained count (mentoring.receivers).
            "without_goals": Q(held_sessions__gte=2)
            & ~Exists(Goal.objects.filter(relationship=OuterRef("pk"))),
        },
        "check_ins": Q(completed_at__isnull=True, due_on__lte=values["today"]),
    }


RelationshipRow = namedtuple("RelationshipRow", "pk status mentee_id started_on drifting without_goals")


@dataclass(frozen=True)
class PartnerRelationships:
    """What `relationship_rows_at` reads of the relationships with young people at some youth partners:
    a row per relationship (`RelationshipRow`), and the session and check-in lists' totals there."""

    rows: list[RelationshipRow]
    month_sessions: int
    unlogged: int
    check_ins: int
    # The partners read (sorted): the check-in list's rows are read there (`_first_check_ins`).
    partner_ids: tuple[int, ...]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _total_of(queryset):
    """The number of rows of `queryset`, as a subquery of its own (no outer reference, no grouping:
    always one row): PostgreSQL computes it once for the query, not per row. Read as the database
    gives it (no converter run on each row that repeats it): `relationship_rows_at` converts it once."""
    return Subquery(
        queryset.order_by().values(every=Value(1)).annotate(total=Count("*")).values("total"),
        output_field=Field(),
    )


def _relationship_rows_query(slots):
    """`relationship_rows_at`'s query, built from slots (core.prepared): compiled once per process
    (the cadence rule and the totals' subqueries cost Django thousands of calls to build and compile
    on every visit) and run with the partners and the moment of each visit."""
    conditions = _list_conditions(_list_slots(slots))
    relationship_lists = conditions["relationship_lists"]
    session_lists = conditions["session_lists"]
    partners = slots.ids("partner_ids")
    # "No goals yet" as the list says it (two or more held sessions, no goal), its goal looked up per
    # relationship: as a NOT EXISTS in the select list, PostgreSQL hashed every goal of every
    # relationship (20,000) for a partner's 500.
    first_goal = Subquery(Goal.objects.filter(relationship=OuterRef("pk")).order_by().values("pk")[:1])
    # The session and check-in lists are only ever counted whole at the partners: one count over the
    # partners' sessions (and one over their check-ins), each computed once by the database, rather
    # than three correlated counts per relationship (2 to 3 times as long for a partner's 500).
    sessions = MentoringSession.objects.filter(SlotIn(F("relationship__mentee_partner_id"), partners))
    of_open = Q(relationship__status__in=Relationship.OPEN_STATUSES)
    check_ins = SupportCheckIn.objects.filter(
        SlotIn(F("relationship__mentee_partner_id"), partners), of_open, conditions["check_ins"]
    )
    # The young people's partner as each relationship keeps it (Relationship.mentee_partner, their
    # profile's): read from its index, not by joining every relationship to the profiles.
    return (
        Relationship.objects.filter(SlotIn(F("mentee_partner_id"), partners))
        .order_by()
        .annotate(
            drifting=ExpressionWrapper(relationship_lists["drifting"], output_field=BooleanField()),
            without_goals=ExpressionWrapper(
                Q(held_sessions__gte=2) & Q(IsNull(first_goal, True)), output_field=BooleanField()
            ),
            month_total=_total_of(sessions.filter(session_lists["month_sessions"])),
            unlogged_total=_total_of(sessions.filter(of_open, session_lists["unlogged"])),
            check_ins_total=_total_of(check_ins),
        )
        .values(*RelationshipRow._fields, "month_total", "unlogged_total", "check_ins_total")
    )


_RELATIONSHIP_ROWS = PreparedQuery(_relationship_rows_query)


def relationship_rows_at(partner_ids) -> PartnerRelationships:
    """Each relationship with a young person at `partner_ids`, in one read: its id, status, young
    person and start, and whether it is drifting or has no goals yet, each by that list's own
    condition; with the partners' sessions this month, sessions not logged and check-ins due (of their
    open relationships). The coordinator's home counts its lists and its summary from these rather
    than reading the same few hundred relationships again in a query per table."""
    values = _list_values(timezone.now(), timezone.localdate())
    ordered = sorted(partner_ids)
    read = _RELATIONSHIP_ROWS.tuples(partner_ids=ordered, **values)
    width = len(RelationshipRow._fields)
    # The totals are the same on every row (and nothing to count where there is no relationship).
    month_sessions, unlogged, check_ins = [int(total) for total in read[0][width:]] if read else [0, 0, 0]
    rows = [RelationshipRow._make(row[:width]) for row in read]
    return PartnerRelationships(rows, month_sessions, unlogged, check_ins, tuple(ordered))


def _counts_from_rows(read: PartnerRelationships) -> dict[str, int]:
    """The monitoring lists' counts from `relationship_rows_at`'s read: the relationship lists' of the
    open relationships; the session and check-in lists' as it counted them."""
    open_statuses = Relationship.OPEN_STATUSES
    drifting = without_goals = 0
    for row in read.rows:
        if row.status in open_statuses:
            drifting += row.drifting
            without_goals += row.without_goals
    return {
        "month_sessions": read.month_sessions,
        "unlogged": read.unlogged,
        "drifting": drifting,
        "without_goals": without_goals,
        "check_ins": read.check_ins,
    }


def _monitoring_parts(*, user, partner_ids=None, relationship_rows=None) -> dict:
    """What the monitoring lists are made of: the sessions, relationships and check-ins they read, and
    each list's condition on its table (shared by the lists and their grouped counts)."""
    now = timezone.now()
    today = timezone.localdate()
    rows_used = False
    if partner_ids is not None:
        # A coordinator's partners hold a few hundred relationships: read their ids (and which are
        # open) once instead of deriving them from the partners' mentee profiles again in each list's
        # query and count, or joining every relationship for its status.
        overseen = user.coordinated_partner_ids | user.safeguarding_partner_ids
        rows_used = relationship_rows is not None and (
            user.is_programme_staff or set(partner_ids) <= overseen
        )
        if rows_used:
            rows = [(row.pk, row.status) for row in relationship_rows]
        else:
            relationships = _relationships_at(user, partner_ids)
            rows = list(relationships.order_by().values_list("pk", "status"))
        relationship_ids = [pk for pk, _status in rows]
        open_ids = [pk for pk, status in rows if status in Relationship.OPEN_STATUSES]
    else:
        relationships = _relationships_at(user, partner_ids)
        relationship_ids = relationships.values("pk")
        open_ids = relationships.filter(status__in=Relationship.OPEN_STATUSES).values("pk")
    conditions = _list_conditions(_list_values(now, today))

    def among(field, ids):
        # A list of ids goes to PostgreSQL as one array (core.lookups.AnyOf); a queryset as a subquery.
        return AnyOf(F(field), ids) if isinstance(ids, list) else Q(**{f"{field}__in": ids})

    in_open = Q(among("relationship_id", open_ids))
    if isinstance(open_ids, list):
        # Among the partners' sessions, the open relationships' are those not of a closed one: each
        # session is tested against the shorter list (none at all when every relationship is open).
        open_set = set(open_ids)
        closed_ids = [pk for pk in relationship_ids if pk not in open_set]
        if not closed_ids:
            in_open = Q()
        elif len(closed_ids) < len(open_ids):
            in_open = ~Q(among("relationship_id", closed_ids))
    tables = {
        "sessions": lambda: MentoringSession.objects.filter(among("relationship_id", relationship_ids)),
        "open_relationships": lambda: Relationship.objects.filter(
            among("pk", relationship_ids), status__in=Relationship.OPEN_STATUSES
        ),
        "check_ins": lambda: SupportCheckIn.objects.filter(
            among("relationship_id", open_ids), conditions["check_ins"]
        ),
    }
    return _Parts(
        tables,
        session_lists={
            "month_sessions": conditions["session_lists"]["month_sessions"],
            "unlogged": in_open & conditions["session_lists"]["unlogged"],
        },
        relationship_lists=conditions["relationship_lists"],
        # The rows read by `relationship_rows_at`, when they are everything the user sees there.
        rows=relationship_rows if rows_used else None,
    )


class _Parts(dict):
    """The monitoring lists' parts, each table's queryset built when first used: the coordinator's
    home, which shows the rows of two lists and counts them all from rows already read, does not build
    the other tables' querysets."""

    def __init__(self, tables: dict, **parts):
        super().__init__(**parts)
        self.tables = tables

    def __missing__(self, key):
        value = self[key] = self.tables[key]()
        return value


def monitoring_querysets(*, user, partner_ids=None, relationship_rows=None):
    """The coordinator's monitoring lists, unevaluated (each page slices and counts them): querysets,
    or a `PageFirst` over one.

    `partner_ids` narrows to some youth partners (a coordinator's own); None means all the user may see.
    `relationship_rows`: what `relationship_rows_at(partner_ids)` read, when the caller already has it
    (used when the user oversees those partners, so that it is everything they see there).
    """
    return _monitoring_lists(
        _monitoring_parts(user=user, partner_ids=partner_ids, relationship_rows=relationship_rows)
    )


def _monitoring_lists(parts: dict, names=None) -> dict:
    """The lists (those in `names`, every one by default), each built only when asked for: a home page
    that shows the rows of two lists does not pay for building the other three."""

    def sessions():
        return parts["sessions"].select_related("relationship__mentor", "relationship__mentee", "venue")

    session_lists = parts["session_lists"]

    def open_relationships():
        return parts["open_relationships"].select_related(
            "mentor", "mentee", "cohort__programme", "cohort__youth_partner"
        )

    relationship_lists = parts["relationship_lists"]
    builders = {
        "month_sessions": lambda: (
            sessions().filter(session_lists["month_sessions"]).order_by("starts_at", "pk")
        ),
        "unlogged": lambda: sessions().filter(session_lists["unlogged"]).order_by("starts_at", "pk"),
        "drifting": lambda: (
            open_relationships()
            .filter(relationship_lists["drifting"])
            .annotate(last_held=F("last_held_at"))
            .order_by("started_on", "pk")
        ),
        "without_goals": lambda: (
            open_relationships().filter(relationship_lists["without_goals"]).order_by("pk")
        ),
        "check_ins": lambda: (
            parts["check_ins"]
            .select_related("relationship__mentor", "relationship__mentee", "pulse")
            .order_by("due_on", "pk")
        ),
    }
    # The lists whose rows PostgreSQL read through every relationship and user: pages found first.
    # The check-ins come in order from their partial index, and the relationships without goals by
    # primary key, so those read their rows in one query.
    return {
        name: PageFirst(build()) if name in {"month_sessions", "unlogged", "drifting"} else build()
        for name, build in builders.items()
        if names is None or name in names
    }


def monitoring_counts(*, user, partner_ids=None, relationship_rows=None) -> dict[str, int]:
    """How many rows each monitoring list holds: one grouped count per table (sessions, relationships,
    check-ins), each list's condition counted as a filter, rather than a count per list."""
    return _monitoring_counts(
        _monitoring_parts(user=user, partner_ids=partner_ids, relationship_rows=relationship_rows)
    )


def _monitoring_counts(parts: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    # The sessions (a dozen a pair) are narrowed to those either list may hold; the open relationships
    # are few enough to count whole (narrowing them costs more to build than it saves PostgreSQL).
    for table, lists, narrowed in (
        ("sessions", "session_lists", True),
        ("open_relationships", "relationship_lists", False),
    ):
        conditions = parts[lists]
        rows = parts[table]
        if narrowed:
            any_of = Q()
            for condition in conditions.values():
                any_of |= condition
            rows = rows.filter(any_of)
        counts |= rows.aggregate(
            **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
        )
    counts["check_ins"] = parts["check_ins"].count()
    return counts


def monitoring_summary(
    *, user, partner_ids=None, limit: int = 5, rows_for=None, relationship_rows=None
) -> dict:
    """Counts of each monitoring list (one grouped count per table: `monitoring_counts`), and its
    first few rows (for the lists named in `rows_for`, all by default): a fixed number of queries,
    whatever the size. `rows_for` may map each name to the columns its rows need (related ones by
    path): only those are read."""
    if _rows_suffice(user, partner_ids, rows_for, relationship_rows):
        return _summary_from_rows(relationship_rows, rows_for, limit)
    summary = {}
    parts = _monitoring_parts(user=user, partner_ids=partner_ids, relationship_rows=relationship_rows)
    rows_read = parts["rows"]
    shown = set(MONITORING_LISTS if rows_for is None else rows_for)
    lists = _monitoring_lists(parts, shown - {"drifting"} if rows_read is not None else shown)
    if rows_read is not None and "drifting" in shown:
        # The list's order (start, no start last, then id) over the rows already read.
        drifting = sorted(
            (row for row in rows_read if row.drifting and row.status in Relationship.OPEN_STATUSES),
            key=lambda row: (row.started_on is None, row.started_on or datetime.date.min, row.pk),
        )
        lists["drifting"] = _ByIds(Relationship.objects.all(), [row.pk for row in drifting])
    # Counted from the rows already read when there are some (one query fewer per table).
    counts = _counts_from_rows(rows_read) if rows_read is not None else _monitoring_counts(parts)
    for name in MONITORING_LISTS:
        if name in shown:
            queryset = lists[name]
            columns = rows_for.get(name) if isinstance(rows_for, dict) else None
            if columns and rows_read is not None and name == "drifting":
                rows = _rows_by_ids(Relationship, tuple(columns), lists[name].page_ids(slice(0, limit)))
            elif columns and rows_read is not None and name == "check_ins":
                rows = _first_check_ins(rows_read.partner_ids, tuple(columns), limit)
            else:
                rows = list((_with_columns(queryset, columns) if columns else queryset)[:limit])
        else:
            rows = []
        summary[name] = {"rows": rows, "count": counts[name]}
    return summary


def _rows_suffice(user, partner_ids, rows_for, relationship_rows) -> bool:
    """Whether the summary is made from `relationship_rows` alone (the coordinator's home): every count
    and the rows of the lists shown (drifting, check-ins, each with its columns), read by the ids found
    there or at the partners read, with none of the lists' querysets built. As `_monitoring_parts`
    uses the rows: when they are everything the user sees at those partners."""
    if relationship_rows is None or partner_ids is None or not isinstance(rows_for, dict):
        return False
    if not rows_for or not set(rows_for) <= {"drifting", "check_ins"} or not all(rows_for.values()):
        return False
    overseen = user.coordinated_partner_ids | user.safeguarding_partner_ids
    return user.is_programme_staff or set(partner_ids) <= overseen


def _summary_from_rows(rows_read: PartnerRelationships, rows_for: dict, limit: int) -> dict:
    """`monitoring_summary` from the rows `relationship_rows_at` read (see `_rows_suffice`)."""
    counts = _counts_from_rows(rows_read)
    summary = {}
    for name in MONITORING_LISTS:
        rows = []
        if name == "drifting" and name in rows_for:
            # The list's order (start, no start last, then id) over the rows already read.
            drifting = sorted(
                (row for row in rows_read if row.drifting and row.status in Relationship.OPEN_STATUSES),
                key=lambda row: (row.started_on is None, row.started_on or datetime.date.min, row.pk),
            )
            rows = _rows_by_ids(Relationship, tuple(rows_for[name]), [row.pk for row in drifting][:limit])
        elif name == "check_ins" and name in rows_for:
            rows = _first_check_ins(rows_read.partner_ids, tuple(rows_for[name]), limit)
        summary[name] = {"rows": rows, "count": counts[name]}
    return summary


# The lists' first rows for the coordinator's home, compiled once per process (core.prepared) for each
# set of columns shown: read by the ids of the rows already found, or at the partners already read.
_BY_IDS: dict[tuple, PreparedRows] = {}
_FIRST_CHECK_INS: dict[tuple, PreparedRows] = {}


def _rows_by_ids(model, columns: tuple[str, ...], ids: list[int]) -> list:
    """The rows of `model` with these ids, in the order of `ids`, with `columns` (as `_ReadByIds`)."""
    if not ids:
        return []
    prepared = _BY_IDS.get((model, columns))
    if prepared is None:
        prepared = _BY_IDS[(model, columns)] = PreparedRows(
            model,
            columns,
            lambda slots: model.objects.filter(SlotIn(F("pk"), slots.ids("ids"))).order_by(),
        )
    rows = {row.pk: row for row in prepared.rows(ids=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def _first_check_ins(partner_ids: tuple[int, ...], columns: tuple[str, ...], limit: int) -> list:
    """The check-in list's first `limit` rows with `columns`, for the open relationships with young
    people at `partner_ids` (the relationships `relationship_rows_at` read there, and which of them are
    open): as `_monitoring_lists`' check-ins over those relationships' ids, in the same order."""
    prepared = _FIRST_CHECK_INS.get((columns, limit))
    if prepared is None:

        def build(slots):
            conditions = _list_conditions(_list_slots(slots))
            return SupportCheckIn.objects.filter(
                SlotIn(F("relationship__mentee_partner_id"), slots.ids("partner_ids")),
                Q(relationship__status__in=Relationship.OPEN_STATUSES),
                conditions["check_ins"],
            ).order_by("due_on", "pk")[:limit]

        prepared = _FIRST_CHECK_INS[(columns, limit)] = PreparedRows(SupportCheckIn, columns, build)
    return prepared.rows(partner_ids=list(partner_ids), **_list_values(timezone.now(), timezone.localdate()))


MONITORING_LISTS = ("month_sessions", "unlogged", "drifting", "without_goals", "check_ins")


# What the monitoring page shows of each list's rows (mentoring.templatetags.monitoring_tags).
_PAIR_COLUMNS = (
    "relationship__mentor__first_name",
    "relationship__mentor__last_name",
    "relationship__mentee__first_name",
)
_SESSION_PAGE_COLUMNS = ("relationship_id", "number", "starts_at", "status", *_PAIR_COLUMNS)
_RELATIONSHIP_PAGE_COLUMNS = (
    "status",
    "last_held_at",
    "mentor__first_name",
    "mentor__last_name",
    "mentee__first_name",
    "cohort__youth_partner__name",
)
MONITORING_PAGE_COLUMNS = {
    "month_sessions": _SESSION_PAGE_COLUMNS,
    "unlogged": _SESSION_PAGE_COLUMNS,
    "drifting": _RELATIONSHIP_PAGE_COLUMNS,
    "without_goals": _RELATIONSHIP_PAGE_COLUMNS,
    "check_ins": ("relationship_id", "kind", "due_on", "completed_at", "pulse__rating", *_PAIR_COLUMNS),
}


@functools.lru_cache(maxsize=64)
def _monitoring_page_ids(name: str, offset: int, limit: int) -> PreparedQuery:
    """The ids of a page of the session or check-in list at some partners: compiled once per process
    for each list and page (core.prepared), the first pages being the ones visited. As
    `_monitoring_lists`' list over the relationships at those partners (each relationship's own record
    of its young person's partner, as `relationship_rows_at` reads them), in its order. Found in the
    list's own table first, then read with the people shown (`_rows_by_ids`): read in one query,
    PostgreSQL joined every young person at the partners (and scanned 10,000 users) to sort the 500
    sessions of the month for 25."""

    def build(slots):
        conditions = _list_conditions(_list_slots(slots))
        at_partners = SlotIn(F("relationship__mentee_partner_id"), slots.ids("partner_ids"))
        of_open = Q(relationship__status__in=Relationship.OPEN_STATUSES)
        if name == "check_ins":
            rows = SupportCheckIn.objects.filter(at_partners, of_open, conditions["check_ins"])
            order = ("due_on", "pk")
        else:
            condition = conditions["session_lists"][name]
            rows = MentoringSession.objects.filter(
                at_partners, condition & of_open if name == "unlogged" else condition
            )
            order = ("starts_at", "pk")
        return rows.order_by(*order).values("pk")[offset : offset + limit]

    return PreparedQuery(build)


class MonitoringPage:
    """A monitoring list's rows at partners the user oversees, for a paginator: each page read on its
    own with the columns the page shows, from what `relationship_rows_at` read there (its count, and
    the relationship lists' rows in their order), with no query for the count."""

    def __init__(self, name: str, read: PartnerRelationships):
        self.name, self.read = name, read
        open_statuses = Relationship.OPEN_STATUSES
        if name == "drifting":
            rows = sorted(
                (row for row in read.rows if row.drifting and row.status in open_statuses),
                key=lambda row: (row.started_on is None, row.started_on or datetime.date.min, row.pk),
            )
            self.ids: list[int] | None = [row.pk for row in rows]
        elif name == "without_goals":
            self.ids = sorted(
                row.pk for row in read.rows if row.without_goals and row.status in open_statuses
            )
        else:
            self.ids = None

    def count(self) -> int:
        return _counts_from_rows(self.read)[self.name] if self.ids is None else len(self.ids)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list:
        columns = MONITORING_PAGE_COLUMNS[self.name]
        if self.ids is not None:
            return _rows_by_ids(Relationship, columns, self.ids[item])
        start, stop = item.start or 0, item.stop
        if stop is None or stop <= start:
            return []
        values = _list_values(timezone.now(), timezone.localdate())
        page_ids = _monitoring_page_ids(self.name, start, stop - start)
        ids = [pk for (pk,) in page_ids.tuples(partner_ids=list(self.read.partner_ids), **values)]
        model = SupportCheckIn if self.name == "check_ins" else MentoringSession
        return _rows_by_ids(model, columns, ids)


def monitoring_counts_from_rows(read: PartnerRelationships) -> dict[str, int]:
    """Each monitoring list's count at the partners `relationship_rows_at` read (see `_counts_from_rows`)."""
    return _counts_from_rows(read)


class _ByIds(PageFirst):
    """A list whose rows' ids are already known, in its order: its pages are read by those ids."""

    def __init__(self, queryset, ids: list[int]):
        super().__init__(queryset)
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self[:])

    def page_ids(self, item: slice) -> list[int]:
        return self.ids[item]


def _with_columns(queryset, columns):
    """`queryset` reading only `columns` and the related rows they name (`core.rows.rows_with_columns`:
    one `values_list` read, about half the calls of `select_related(...).only(...)`): building every
    column of five tables for a home page's five rows cost more than finding them."""
    if isinstance(queryset, PageFirst):
        return _ReadByIds(queryset, columns)
    return _Sliced(queryset.select_related(None), columns)


class _Sliced:
    def __init__(self, queryset, columns):
        self.queryset, self.columns = queryset, columns

    def __getitem__(self, item: slice) -> list:
        return rows_with_columns(self.queryset[item], self.columns)


class _ReadByIds:
    """A list's first rows found by their ids in the list's own table (as `PageFirst`), then read by
    those ids alone with the columns shown: not the list's conditions again."""

    def __init__(self, listed: PageFirst, columns):
        self.listed, self.columns = listed, columns

    def __getitem__(self, item: slice) -> list:
        ids = self.listed.page_ids(item)
        if not ids:
            return []
        read = rows_with_columns(self.listed.model.objects.filter(pk__in=ids).order_by(), self.columns)
        rows = {row.pk: row for row in read}
        return [rows[pk] for pk in ids if pk in rows]


OPEN_GOALS_READ = 200

# What the mentor's home shows of each of their relationships: the young person's first name, the
# programme and partner (mentoring/panels/mentor_relationships.html), and the young person's date of
# birth, by which the resources panel suggests what suits their age for the next session.
MENTOR_RELATIONSHIP_COLUMNS = (
    "status",
    "mentee__first_name",
    "mentee__mentee_profile__date_of_birth",
    "cohort__programme__name",
    "cohort__youth_partner__name",
)
# What the young person's home shows of each of theirs: the mentor and their profile
# (mentoring/panels/mentee_mentor.html); the next session names the mentor too.
MENTEE_RELATIONSHIP_COLUMNS = (
    "status",
    "mentor__first_name",
    "mentor__last_name",
    "mentor__mentor_profile__job_title",
    "mentor__mentor_profile__sector",
    "mentor__mentor_profile__bio",
)


def _own_relationships_query(slots, *, as_mentor: bool):
    user = slots.person("user")
    own = Q(mentor=user) if as_mentor else Q(mentee=user)
    return relationships_visible_to(user=user).filter(own).order_by("-created_at")


# Compiled once per process (core.prepared), each scoped through the policy to the person it is run for.
_OWN_RELATIONSHIPS = {
    as_mentor: PreparedRows(
        Relationship,
        MENTOR_RELATIONSHIP_COLUMNS if as_mentor else MENTEE_RELATIONSHIP_COLUMNS,
        lambda slots, as_mentor=as_mentor: _own_relationships_query(slots, as_mentor=as_mentor),
    )
    for as_mentor in (True, False)
}


def own_relationships(*, user, as_mentor: bool) -> list[Relationship]:
    """The person's own relationships as mentor (or as mentee), newest first, through the policy's
    scope, with the columns their home page shows of each (and of the other person)."""
    return _OWN_RELATIONSHIPS[as_mentor].rows(user=user)


def own_relationships_of(request, *, as_mentor: bool) -> list[Relationship]:
    """`own_relationships` of the signed-in person, read once per request: the home page lists them,
    and reads the open ones' sessions, notes and goals by their ids (not joined to the relationship,
    its people and profiles again in each of those queries)."""
    name = "mentor_relationships" if as_mentor else "mentee_relationships"
    return once_per_request(request, name, lambda: own_relationships(user=request.user, as_mentor=as_mentor))


def _open_by_id(relationships) -> dict[int, Relationship]:
    return {relationship.pk: relationship for relationship in relationships if relationship.is_open}


def _attach(rows, relationships: dict[int, Relationship], path: str = "") -> None:
    """Give each row (or its `path`, e.g. its session) the relationship already read, as
    `select_related` would have: its id is the row's own, so nothing is read again."""
    for row in rows:
        target = getattr(row, path) if path else row
        _RELATIONSHIP_FIELDS[type(target)].set_cached_value(target, relationships[target.relationship_id])


_RELATIONSHIP_FIELDS = {model: model._meta.get_field("relationship") for model in (MentoringSession, Goal)}


def _mentor_scheduled_query(slots):
    """The pairs' scheduled sessions the mentor's home shows: those whose time has passed (to log) and
    the next (and any other pair's at the same moment), by time, the first 200: what the first 200 of
    every scheduled session give the panel, without reading each later one in the series."""
    now = slots.value("now", DateTimeField())
    scheduled = MentoringSession.objects.filter(
        SlotIn(F("relationship_id"), slots.ids("pairs")), status=MentoringSession.Status.SCHEDULED
    )
    next_start = scheduled.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]
    return scheduled.filter(Q(starts_at__lt=now) | Q(starts_at=Subquery(next_start))).order_by("starts_at")[
        :SCHEDULED_READ
    ]


SCHEDULED_READ = 200
# The mentor home's reads of their open relationships' rows, by the relationships' ids (slot "pairs").
_MENTOR_SCHEDULED = PreparedRows(
    MentoringSession,
    ("relationship_id", "number", "starts_at", "is_online", "venue__name"),
    _mentor_scheduled_query,
)
_MENTOR_OPEN_GOALS = PreparedRows(
    Goal,
    ("relationship_id", "title", "status", "target_date"),
    lambda slots: Goal.objects.filter(
        SlotIn(F("relationship_id"), slots.ids("pairs")), status__in=Goal.OPEN_STATUSES
    ).order_by("target_date", "pk")[:OPEN_GOALS_READ],
)


@functools.cache
def _latest_notes_query(limit: int) -> PreparedRows:
    """The pairs' latest logs with notes for next time, newest first (`limit` of them): one prepared
    query per limit, made on first use."""
    return PreparedRows(
        SessionLog,
        ("next_time_notes", "session__relationship_id"),
        lambda slots: (
            SessionLog.objects.filter(SlotIn(F("session__relationship_id"), slots.ids("pairs")))
            .exclude(next_time_notes="")
            .order_by("-session__starts_at")[:limit]
        ),
    )


def mentor_overview(*, user, limit: int = 5, relationships: list[Relationship] | None = None) -> dict:
    """What a mentor's home page shows: next session, last 'next time' notes, goals, overdue logs.
    `relationships`: the mentor's own (`own_relationships`), when the caller has read them."""
    if relationships is None:
        relationships = own_relationships(user=user, as_mentor=True)
    pairs = _open_by_id(relationships)
    if not pairs:
        return {"next_session": None, "latest_notes": [], "goals": [], "overdue_logs": [], "open_goals": []}
    now = timezone.now()
    # The open relationships' ids, already read: each query below reads its own table (and the
    # logs their sessions'), not the relationship, young person and profile again. Each is compiled
    # once per process (core.prepared) and run with these ids.
    # One query for both the next session and the overdue logs: the scheduled sessions of the
    # mentor's open relationships whose time has passed, and the next.
    # Each query reads the columns the home panel shows (mentoring/panels/mentor.html), not every
    # column: building and reading them was most of each query's cost.
    ids = list(pairs)
    scheduled = _MENTOR_SCHEDULED.rows(pairs=ids, now=now)
    _attach(scheduled, pairs)
    next_session = next((session for session in scheduled if session.starts_at >= now), None)
    overdue = [session for session in scheduled if session.starts_at < now][:limit]
    notes = _latest_notes_query(limit).rows(pairs=ids)
    _attach(notes, pairs, "session")
    latest_notes, seen = [], set()
    for log in notes:
        if log.session.relationship_id not in seen:
            seen.add(log.session.relationship_id)
            latest_notes.append(log)
    # Every open goal of the mentor's pairs (a few each), read once: the panel shows the first few, and
    # the resources panel matches its suggestions to the next session's pair's (`open_goals`).
    open_goals = _MENTOR_OPEN_GOALS.rows(pairs=ids)
    _attach(open_goals, pairs)
    return {
        "next_session": next_session,
        "latest_notes": latest_notes,
        "goals": open_goals[:limit],
        "overdue_logs": overdue,
        # None when there were more than were read: the pair's goals are then read on their own.
        "open_goals": open_goals if len(open_goals) < OPEN_GOALS_READ else None,
    }


def mentor_overview_of(request) -> dict:
    """`mentor_overview` of the signed-in mentor, worked out once per request: the home page's
    mentoring panel shows it, and the resources panel suggests what to use at its next session."""
    return once_per_request(
        request,
        "mentor_overview",
        lambda: mentor_overview(
            user=request.user, relationships=own_relationships_of(request, as_mentor=True)
        ),
    )


# The young person's home's reads of their open relationships' rows, by the relationships' ids.
_MENTEE_NEXT_SESSION = PreparedRows(
    MentoringSession,
    ("relationship_id", "starts_at", "is_online", "venue__name"),
    lambda slots: MentoringSession.objects.filter(
        SlotIn(F("relationship_id"), slots.ids("pairs")),
        status=MentoringSession.Status.SCHEDULED,
        starts_at__gte=slots.value("now", DateTimeField()),
    ).order_by("starts_at")[:1],
)
_MENTEE_ACTIVITIES = PreparedRows(
    SessionLog,
    ("mentee_activity",),
    lambda slots: (
        SessionLog.objects.filter(SlotIn(F("session__relationship_id"), slots.ids("pairs")))
        .exclude(mentee_activity="")
        .order_by("-session__starts_at")[:3]
    ),
)


@functools.cache
def _mentee_goals_query(limit: int) -> PreparedRows:
    """The pairs' first `limit` open goals, by target date: their title and status (one prepared query
    per limit, made on first use)."""
    return PreparedRows(
        Goal,
        ("title", "status"),
        lambda slots: Goal.objects.filter(
            SlotIn(F("relationship_id"), slots.ids("pairs")), status__in=Goal.OPEN_STATUSES
        ).order_by("target_date", "pk")[:limit],
    )


def mentee_overview(*, user, limit: int = 5, relationships: list[Relationship] | None = None) -> dict:
    """What a young person's home page shows: their next session, open goals and things to try.
    `relationships`: their own (`own_relationships`), when the caller has read them."""
    if relationships is None:
        relationships = own_relationships(user=user, as_mentor=False)
    pairs = _open_by_id(relationships)
    if not pairs:
        return {"next_session": None, "goals": [], "activities": []}
    now = timezone.now()
    # The columns the mentee's panel shows (mentoring/panels/mentee.html); the mentor's name comes
    # with the relationship. Each query is compiled once per process (core.prepared).
    ids = list(pairs)
    next_sessions = _MENTEE_NEXT_SESSION.rows(pairs=ids, now=now)
    _attach(next_sessions, pairs)
    next_session = next_sessions[0] if next_sessions else None
    goals = _mentee_goals_query(limit).rows(pairs=ids)
    activities = _MENTEE_ACTIVITIES.rows(pairs=ids)
    return {"next_session": next_session, "goals": goals, "activities": activities}


def sessions_for_feed(*, user):
    """Sessions in a person's calendar feed: their own as mentor or mentee, from 90 days ago."""
    since = timezone.now() - datetime.timedelta(days=90)
    return (
        MentoringSession.objects.filter(
            Q(relationship__mentor=user) | Q(relationship__mentee=user), starts_at__gte=since
        )
        .select_related("relationship__mentor", "relationship__mentee", "venue")
        .order_by("starts_at")[:500]
    )


# One mentor's (mentor id, programme id) pairs: what their training panel asks on every home visit.
_MENTOR_MEMBERSHIPS = PreparedQuery(
    lambda slots: Relationship.objects.filter(mentor_id=slots.value("mentor_id", IntegerField())).values(
        "mentor_id", "cohort__programme_id"
    )
)


def programme_ids_read_for(request) -> list[int]:
    """The programme of each of the signed-in person's relationships as mentor, from their relationships
    as the request reads them once (`own_relationships_of`, with each one's cohort): what
    `programme_memberships` gives for them, registered with training.membership so that the mentor's
    home does not read their relationships again for their training panel. A mentor sees every one
    of their own relationships (the policy's scope), so none is left out."""
    relationships = own_relationships_of(request, as_mentor=True)
    return [relationship.cohort.programme_id for relationship in relationships]


def programme_memberships(*, mentor_id: int | None = None, programme_id: int | None = None):
    """(mentor id, programme id) for every relationship, narrowed to one mentor or programme when
    given: registered with training.membership, which counts a mentor in the programmes of the
    cohorts they mentor in. One mentor's are read by a query compiled once per process."""
    if mentor_id is not None and programme_id is None:
        return _MENTOR_MEMBERSHIPS.tuples(mentor_id=mentor_id)
    relationships = Relationship.objects.all()
    if mentor_id is not None:
        relationships = relationships.filter(mentor_id=mentor_id)
    if programme_id is not None:
        relationships = relationships.filter(cohort__programme_id=programme_id)
    return relationships.values_list("mentor_id", "cohort__programme_id")


def mentor_is_busy_read_for(request) -> bool:
    """Whether the signed-in person mentors in an open relationship, from their relationships as the
    request reads them once (`own_relationships_of`): registered with recruitment, whose panel on the
    mentor's home says whether they are waiting for a match."""
    return any(relationship.is_open for relationship in own_relationships_of(request, as_mentor=True))


def open_relationship_mentor_ids():
    """Mentors with an open relationship, as a subquery: registered with recruitment so its waiting
    pool leaves them out."""
    return Relationship.objects.open().values("mentor_id")


class RelationshipPairLinks(PairLinks):
    """Who mentors whom, from relationships: registered with accounts.policies, whose people and
    contact-detail scopes use it."""

    def mentors_of_partner_mentees(self, partner_ids):
        return Relationship.objects.filter(mentee__mentee_profile__youth_partner_id__in=partner_ids).values(
            "mentor_id"
        )

    def mentees_of(self, mentor, *, open_only: bool = False):
        relationships = Relationship.objects.open() if open_only else Relationship.objects.all()
        return relationships.filter(mentor=mentor).values("mentee_id")

    def mentors_of(self, mentee):
        return Relationship.objects.filter(mentee=mentee).values("mentor_id")
