"""Read queries for events, buddies and employer partners."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import groupby
from operator import itemgetter

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from accounts.models import MentorProfile, User
from core import policy
from core.prepared import PreparedQuery
from core.rows import PreparedRows
from mentoring.models import Relationship
from training.models import Certificate

from .models import (
    BuddyPairing,
    BuddyPreference,
    EmployerMembership,
    EmployerMonth,
    EmployerPartner,
    Event,
    EventRegistration,
)

# Employer figures computed from fewer mentors (or young people) than this could identify someone.
SMALL_GROUP = 5
# A mentor may offer to be a buddy once they have mentored for this long (or finished a relationship).
EXPERIENCE_DAYS = 90
# How many new mentors one experienced buddy supports at a time.
BUDDY_LOAD = 2


def events_visible_to(*, user):
    return policy.scope(user, policy.VIEW, Event.objects.select_related("employer", "organiser"))


def upcoming_events_for(*, user, limit: int | None = None, with_own_status: bool = False, now=None):
    events = events_visible_to(user=user).filter(
        status=Event.Status.SCHEDULED, ends_at__gt=timezone.now() if now is None else now
    )
    if with_own_status:
        own = EventRegistration.objects.filter(event=OuterRef("pk"), mentor=user).exclude(
            status=EventRegistration.Status.CANCELLED
        )
        events = events.annotate(own_status=Subquery(own.values("status")[:1]))
    return events[:limit] if limit else events


# The next three events on a mentor's home, with their own registration's status: what the panel
# shows of each (community/_mentor_panel.html), compiled once per process (core.prepared) and scoped
# through the policy to the person it is run for.
_NEXT_EVENTS = PreparedRows(
    Event,
    ("title", "starts_at", "format"),
    lambda slots: upcoming_events_for(
        user=slots.person("user"), limit=3, with_own_status=True, now=slots.value("now", DateTimeField())
    ),
    annotations=("own_status",),
)


def next_events_with_own_status(*, user) -> list[Event]:
    """`upcoming_events_for(user=user, limit=3, with_own_status=True)`, with the title, start and
    format of each (and `own_status`)."""
    return _NEXT_EVENTS.rows(user=user, now=timezone.now())


def registration_counts(event_ids) -> dict[int, dict[str, int]]:
    """Places taken and people waiting, per event: one query."""
    rows = (
        EventRegistration.objects.filter(event_id__in=list(event_ids))
        .values("event_id")
        .annotate(
            registered=Count("pk", filter=Q(status=EventRegistration.Status.REGISTERED)),
            waiting=Count("pk", filter=Q(status=EventRegistration.Status.WAITING)),
        )
    )
    return {row["event_id"]: {"registered": row["registered"], "waiting": row["waiting"]} for row in rows}


def own_registrations(*, user, event_ids) -> dict[int, EventRegistration]:
    return {
        registration.event_id: registration
        for registration in EventRegistration.objects.filter(mentor=user, event_id__in=list(event_ids))
    }


def upcoming_events_for_bulletin(issue_date) -> str:
    """Markdown for the monthly bulletin: events open to every mentor (or a region) in the five weeks
    from the issue date. Employer-only events stay out: the bulletin goes to every mentor."""
    start = timezone.make_aware(datetime.combine(issue_date, time.min))
    events = Event.objects.filter(
        status=Event.Status.SCHEDULED,
        employer__isnull=True,
        starts_at__gte=max(start, timezone.now()),
        starts_at__lt=start + timedelta(weeks=5),
    ).order_by("starts_at")[:10]
    lines = []
    for event in events:
        when = timezone.localtime(event.starts_at)
        where = event.get_format_display().lower() + (
            f", {event.get_region_display()}" if event.region else ""
        )
        title = re.sub(r"([\\`*_\[\]#<>|])", r"\\\1", event.title)
        lines.append(f"- **{title}**: {when:%A %-d %B, %H:%M} ({where}). Sign up under Community.")
    return "\n".join(lines)


# --- Buddies -------------------------------------------------------------------------------------


def _experience_filter(cutoff):
    return Q(started_on__lte=cutoff) | Q(status=Relationship.Status.COMPLETED)


def is_experienced_mentor(user) -> bool:
    """Has mentored for a while (a relationship started at least EXPERIENCE_DAYS ago) or finished one."""
    cutoff = timezone.localdate() - timedelta(days=EXPERIENCE_DAYS)
    return Relationship.objects.filter(_experience_filter(cutoff), mentor=user).exists()


def open_pairings_for(*, user):
    """The mentor's current buddy pairings (suggested or active), whichever side they are on."""
    return (
        BuddyPairing.objects.filter(
            Q(new_mentor=user) | Q(experienced_mentor=user), status__in=BuddyPairing.OPEN_STATUSES
        )
        .select_related("new_mentor", "experienced_mentor")
        .order_by("-created_at", "-pk")
    )


# What a mentor's home shows of their latest open pairing (community/_mentor_panel.html).
_LATEST_OPEN_PAIRING = PreparedRows(
    BuddyPairing,
    (
        "status",
        "new_accepted_at",
        "experienced_accepted_at",
        "new_mentor__first_name",
        "new_mentor__last_name",
        "experienced_mentor__first_name",
        "experienced_mentor__last_name",
    ),
    lambda slots: open_pairings_for(user=slots.person("user"))[:1],
)


def latest_open_pairing_shown(*, user) -> BuddyPairing | None:
    """`open_pairing_for`, with the columns the mentor's home shows: compiled once per process."""
    pairings = _LATEST_OPEN_PAIRING.rows(user=user)
    return pairings[0] if pairings else None


def open_pairing_for(*, user) -> BuddyPairing | None:
    """The most recent of them: for a new mentor, their one pairing."""
    return open_pairings_for(user=user).first()


def buddy_suggestions(*, new_mentor, limit: int = 5) -> list[tuple[User, str]]:
    """Experienced mentors who offered to be a buddy and have room, best first: same region, then
    same sector. Returns (mentor, reason) pairs."""
    return buddy_suggestions_for([new_mentor], limit=limit)[new_mentor.pk]


def buddy_suggestions_for(new_mentors, *, limit: int = 5) -> dict[int, list[tuple[User, str]]]:
    """`buddy_suggestions` for several new mentors at once, in a fixed number of queries."""
    new_ids = [mentor.pk for mentor in new_mentors]
    profiles = {profile.user_id: profile for profile in MentorProfile.objects.filter(user_id__in=new_ids)}
    busy = (
        BuddyPairing.objects.filter(status__in=BuddyPairing.OPEN_STATUSES)
        .values("experienced_mentor_id")
        .annotate(load=Count("pk"))
        .filter(load__gte=BUDDY_LOAD)
        .values("experienced_mentor_id")
    )
    candidates = list(
        MentorProfile.objects.filter(
            user__buddy_preference__wants=BuddyPreference.Wants.OFFERING,
            user__buddy_preference__is_active=True,
            user__is_active=True,
        )
        .exclude(user_id__in=busy)
        .exclude(user__is_suspended=True)
        .filter(
            Exists(
                Relationship.objects.filter(
                    _experience_filter(timezone.localdate() - timedelta(days=EXPERIENCE_DAYS)),
                    mentor_id=OuterRef("user_id"),
                )
            )
        )
        .select_related("user")
        .order_by("user_id")
    )
    # Someone already suggested to (or paired with) a new mentor is not suggested to them again.
    already = set(
        BuddyPairing.objects.filter(new_mentor_id__in=new_ids).values_list(
            "new_mentor_id", "experienced_mentor_id"
        )
    )

    results = {}
    for new_id in new_ids:
        profile = profiles.get(new_id)
        region = profile.region if profile else ""
        sector = (profile.sector if profile else "").strip().lower()

        def score(candidate, region=region, sector=sector):
            same_region = candidate.region == region
            same_sector = bool(sector) and candidate.sector.strip().lower() == sector
            return (not same_region, not same_sector)

        eligible = [
            candidate
            for candidate in candidates
            if candidate.user_id != new_id and (new_id, candidate.user_id) not in already
        ]
        suggestions = []
        for candidate in sorted(eligible, key=score)[:limit]:
            reasons = []
            if candidate.region == region:
                reasons.append(f"both in {candidate.get_region_display()}")
            if sector and candidate.sector.strip().lower() == sector:
                reasons.append(f"both in {candidate.sector.strip()}")
            suggestions.append((candidate.user, "; ".join(reasons) or "has room to support a new mentor"))
        results[new_id] = suggestions
    return results


# --- Employer partners ---------------------------------------------------------------------------


# An employer partner the signed-in person may see, with what its figures page shows of it (its name),
# compiled once per process (core.prepared) and scoped through the policy to the person it is run for.
_EMPLOYER_SHOWN = PreparedRows(
    EmployerPartner,
    ("name",),
    lambda slots: policy.scope(slots.person("user"), policy.VIEW, EmployerPartner).filter(
        pk=slots.value("pk", IntegerField())
    ),
)


def employer_shown_to(*, user, pk: int) -> EmployerPartner | None:
    """The employer partner `pk` if `user` may see it (policy.scope), with its name loaded; else None."""
    rows = _EMPLOYER_SHOWN.rows(user=user, pk=pk)
    return rows[0] if rows else None


def mentor_employer_names(mentor_ids) -> dict[int, str]:
    """{mentor id: employer partner's name} for the mentors linked to an employer partner, one query.

    Registered with matching (`matching.employers.register_employer_source`) so a matching round
    never proposes a mentor to a young person at the employer they work for; the partner's name wins
    over whatever the mentor typed on their profile.
    """
    memberships = EmployerMembership.objects.filter(mentor_id__in=list(mentor_ids))
    return dict(memberships.values_list("mentor_id", "employer__name"))


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float | None  # None: suppressed
    note: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None


SUPPRESSED_NOTE = f"Not shown: fewer than {SMALL_GROUP} people behind this figure."


def _figure(key, label, value, people: int) -> Figure:
    """A figure computed from `people` mentors (or young people): hidden when 1 to 4 of them."""
    if 0 < people < SMALL_GROUP:
        return Figure(key, label, None, SUPPRESSED_NOTE)
    return Figure(key, label, value)


COMPLEMENT_NOTE = (
    f"Not shown: the rest of your mentors are fewer than {SMALL_GROUP}, and their number could be "
    "worked out from this figure."
)


def _share_figure(key, label, count: int, linked: int) -> Figure:
    """A count of some of the linked mentors: hidden when it is a group of 1 to 4, and when the rest
    (linked minus count) are, since "7 linked, 5 trained" would reveal that 2 are not. The note says
    which of the two it is."""
    if 0 < count < SMALL_GROUP:
        return Figure(key, label, None, SUPPRESSED_NOTE)
    if 0 < linked - count < SMALL_GROUP:
        return Figure(key, label, None, COMPLEMENT_NOTE)
    return Figure(key, label, count)


# Each relationship of an employer's mentors as the figures count it: (mentor id, young person's id,
# status, held logs, their minutes, programme's name, youth partner's name, its id).
MENTOR, MENTEE, STATUS, HELD_LOGS, HELD_MINUTES, PROGRAMME, YOUTH_PARTNER, RELATIONSHIP = range(8)
_OPEN = frozenset(status.value for status in Relationship.OPEN_STATUSES)
_APPROVED = Relationship.Status.APPROVED.value


@dataclass(frozen=True)
class EmployerRead:
    """What an employer's figures and breakdowns are counted from, read once for both: how many mentors
    are linked to it, how many of them hold an issued certificate, and (when at least SMALL_GROUP are
    linked) every relationship of theirs as a tuple (MENTOR, MENTEE, ... RELATIONSHIP index it)."""

    employer_id: int
    linked: int
    trained: int
    relationships: list[tuple]


def _linked(employer_id):
    """The employer's mentors as a subquery: the database joins them, rather than a list of hundreds of
    ids that Django and the driver would each process one by one."""
    return EmployerMembership.objects.filter(employer_id=employer_id).values("mentor_id")


# The reads below are compiled once per process (core.prepared): building them through the ORM cost
# more than PostgreSQL takes to answer them. The employer is a slot.
def _employer_slot(slots):
    return slots.value("employer", IntegerField())


# The mentors linked to the employer (one membership each), and those of them with an issued
# certificate.
_ISSUED = Certificate.objects.filter(user_id=OuterRef("mentor_id"), status=Certificate.Status.ISSUED)
_LINKED_AND_TRAINED = PreparedQuery(
    lambda slots: (
        EmployerMembership.objects.filter(employer_id=_employer_slot(slots))
        .order_by()
        .values("employer_id")
        .annotate(
            linked=Count("pk"),
            trained=Count(
                "pk",
                filter=Q(Exists(_ISSUED)),
            ),
        )
    )
)

# Every relationship of the employer's mentors with its held-log summary (Relationship.held_logs,
# held_minutes: the logs that say a session was held) and its programme's and youth partner's names.
_RELATIONSHIPS = PreparedQuery(
    lambda slots: (
        Relationship.objects.filter(mentor_id__in=_linked(_employer_slot(slots)))
        .order_by()
        .values(
            "mentor_id",
            "mentee_id",
            "status",
            "held_logs",
            "held_minutes",
            "cohort__programme__name",
            "cohort__youth_partner__name",
            "id",
        )
    )
)


# Each month since `since` of the employer's months (EmployerMonth: its mentors' held logs, minutes,
# mentors and young people that month, kept counted as the relationships' months change), not the
# months of each of its mentors' relationships.
_MONTHS = PreparedQuery(
    lambda slots: (
        EmployerMonth.objects.filter(
            employer_id=_employer_slot(slots), month__gte=slots.value("since", DateField())
        )
        .order_by("month")
        .values("month", "held_logs", "held_minutes", "mentors", "mentees")
    )
)


def employer_relationships(employer) -> EmployerRead:
    """The employer's linked and trained mentors, and every relationship of its mentors (two queries;
    one when fewer than SMALL_GROUP are linked, as nothing is shown then). The page reads them once
    for its figures and its breakdowns."""
    counts = _LINKED_AND_TRAINED.tuples(employer=employer.pk)
    _employer_id, linked, trained = counts[0] if counts else (employer.pk, 0, 0)
    relationships = _RELATIONSHIPS.tuples(employer=employer.pk) if linked >= SMALL_GROUP else []
    return EmployerRead(employer.pk, linked, trained, relationships)


def _read_of(employer, read: EmployerRead | None) -> EmployerRead:
    if read is None:
        return employer_relationships(employer)
    if read.employer_id != employer.pk:
        raise ValueError("The figures of one employer were asked with another's read.")
    return read


def employer_figures(employer, read: EmployerRead | None = None) -> list[Figure]:
    """What an employer partner's contact may see: aggregates over their mentors, never a group
    smaller than SMALL_GROUP. With fewer than SMALL_GROUP linked mentors, nothing is shown at all.
    Two queries, or none given what `employer_relationships` read (`read`)."""
    read = _read_of(employer, read)
    linked, relationships = read.linked, read.relationships
    labels = {
        "mentors_linked": "Mentors from your organisation",
        "mentors_active": "Mentors in an active mentoring relationship",
        "sessions_held": "Mentoring sessions held",
        "hours_volunteered": "Hours volunteered in sessions",
        "training_completed": "Mentors who completed their training",
        "young_people_mentored": "Young people mentored",
    }
    if linked < SMALL_GROUP:
        return [Figure(key, label, None, SUPPRESSED_NOTE) for key, label in labels.items()]

    # Counted with comprehensions over the rows (no call per row): an employer has hundreds of them.
    active = len({row[MENTOR] for row in relationships if row[STATUS] in _OPEN})
    # From each relationship's summary of its logs that say a session was held (Relationship.held_logs,
    # held_minutes), not from the logs themselves.
    sessions = {
        "held": sum([row[HELD_LOGS] for row in relationships]),
        "minutes": sum([row[HELD_MINUTES] for row in relationships]),
        "mentors": len({row[MENTOR] for row in relationships if row[HELD_LOGS] > 0}),
    }
    under_way = [row for row in relationships if row[STATUS] != _APPROVED]
    reach = {
        "mentees": len({row[MENTEE] for row in under_way}),
        "mentors": len({row[MENTOR] for row in under_way}),
    }
    hours = round((sessions["minutes"] or 0) / 60, 1)
    # The headline counts young people: suppressed when few mentors or few young people stand behind it.
    reach_people = min(reach["mentors"], reach["mentees"]) if reach["mentees"] else 0
    return [
        _figure("mentors_linked", labels["mentors_linked"], linked, linked),
        _share_figure("mentors_active", labels["mentors_active"], active, linked),
        _figure("sessions_held", labels["sessions_held"], sessions["held"], sessions["mentors"]),
        _figure("hours_volunteered", labels["hours_volunteered"], hours, sessions["mentors"]),
        _share_figure("training_completed", labels["training_completed"], read.trained, linked),
        _figure("young_people_mentored", labels["young_people_mentored"], reach["mentees"], reach_people),
    ]


@dataclass(frozen=True)
class Breakdown:
    """The employer's figures broken down one way (by month, programme or youth partner): a row per
    group, each cell a number or None where fewer than SMALL_GROUP people stand behind it."""

    title: str
    heading: str
    columns: tuple[str, ...]
    rows: list[tuple[str, list[int | float | None]]]
    empty: str = "No mentoring relationships yet."
    # Cells hidden only so that a small group's cell cannot be worked out by subtraction.
    secondary: frozenset[tuple[int, int]] = frozenset()

    def note(self, row: int, column: int) -> str:
        """Why a cell is not shown (blank when it is shown)."""
        if self.rows[row][1][column] is not None:
            return ""
        return SECONDARY_NOTE if (row, column) in self.secondary else SUPPRESSED_NOTE


BREAKDOWN_COLUMNS = ("Mentors", "Young people", "Sessions held", "Hours in sessions")
BREAKDOWN_MONTHS = 12


def _cells(mentors: int, mentees: int, sessions: int, minutes: int | None) -> list[int | float | None]:
    """A group's cells: the people counts hidden when 1 to 4; sessions and hours hidden when the
    mentors who held them are 1 to 4."""

    def shown(value, people):
        return None if 0 < people < SMALL_GROUP else value

    return [
        shown(mentors, mentors),
        shown(mentees, mentees),
        shown(sessions, mentors),
        shown(round((minutes or 0) / 60, 1), mentors),
    ]


SECONDARY_NOTE = (
    f"Not shown: another figure in this column is behind fewer than {SMALL_GROUP} people and could "
    "otherwise be worked out from the total."
)


def _protect(rows: list[tuple[str, list]]) -> tuple[list[tuple[str, list]], frozenset[tuple[int, int]]]:
    """Secondary suppression down each column: where a single cell is hidden, the column's total
    (shown among the summary figures) minus the cells shown would give it away, so the smallest shown
    cell of that column is hidden too. Returns the rows and the (row, column) places hidden so."""
    rows = [(group, list(cells)) for group, cells in rows]
    secondary = set()
    for column in range(len(BREAKDOWN_COLUMNS)):
        hidden = [index for index, (_group, cells) in enumerate(rows) if cells[column] is None]
        shown = [index for index, (_group, cells) in enumerate(rows) if cells[column]]
        if len(hidden) == 1 and shown:
            smallest = min(shown, key=lambda index: rows[index][1][column])
            rows[smallest][1][column] = None
            secondary.add((smallest, column))
    return rows, frozenset(secondary)


def _breakdown(title, heading, rows, empty=None) -> Breakdown:
    rows, secondary = _protect(rows)
    extra = {"empty": empty} if empty else {}
    return Breakdown(title, heading, BREAKDOWN_COLUMNS, rows, secondary=secondary, **extra)


def _months_since(today):
    """The first day of the month BREAKDOWN_MONTHS - 1 months before `today`'s."""
    since = today.replace(day=1)
    for _ in range(BREAKDOWN_MONTHS - 1):
        since = (since - timedelta(days=1)).replace(day=1)
    return since


def _group_rows(relationships: list[tuple], at: int) -> list[tuple[str, list[int | float | None]]]:
    """A breakdown's rows by the name at `at` (PROGRAMME or YOUTH_PARTNER), in the names' order: mentors
    and young people by those in the group's relationships under way or past (not only approved);
    sessions and hours by the mentors who held them, in any of their relationships. A group only
    has a row when it has a relationship under way or past."""
    rows = []
    for name, grouped in groupby(sorted(relationships, key=itemgetter(at)), key=itemgetter(at)):
        group = list(grouped)
        under_way = [row for row in group if row[STATUS] != _APPROVED]
        if not under_way:
            continue
        held = [row for row in group if row[HELD_LOGS] > 0]
        mentors = len({row[MENTOR] for row in under_way})
        mentees = len({row[MENTEE] for row in under_way})
        held_by = len({row[MENTOR] for row in held})
        sessions = sum([row[HELD_LOGS] for row in held])
        minutes = sum([row[HELD_MINUTES] for row in held])
        rows.append((name, _cells(mentors, mentees, 0, 0)[:2] + _cells(held_by, 0, sessions, minutes)[2:]))
    return rows


def employer_breakdowns(employer, read: EmployerRead | None = None) -> list[Breakdown]:
    """The summary figures broken down by month (sessions held in the last twelve months), by
    programme and by youth partner: mentors and young people in relationships under way or past,
    and the sessions they held (from each relationship's summary of its held logs, and the employer's
    months, EmployerMonth). Nothing when fewer than SMALL_GROUP mentors are linked. Three queries (the
    mentors, their relationships, the employer's months), or the months alone given what
    `employer_relationships` read (`read`)."""
    read = _read_of(employer, read)
    if read.linked < SMALL_GROUP:
        return []
    months = _MONTHS.tuples(employer=employer.pk, since=_months_since(timezone.localdate()))
    by_month = [
        (month.strftime("%B %Y"), _cells(mentors, mentees, sessions, minutes))
        for month, sessions, minutes, mentors, mentees in months
    ]
    return [
        _breakdown("By month", "Month", by_month, "No sessions held in the last twelve months."),
        _breakdown("By programme", "Programme", _group_rows(read.relationships, PROGRAMME)),
        _breakdown("By youth partner", "Youth partner", _group_rows(read.relationships, YOUTH_PARTNER)),
    ]


def impact_headline(figures: list[Figure]) -> str:
    by_key = {figure.key: figure for figure in figures}
    mentored, hours = by_key["young_people_mentored"], by_key["hours_volunteered"]
    if not mentored.shown or not mentored.value:
        return ""
    text = f"Your staff have mentored {mentored.value} young people"
    if hours.shown and hours.value:
        text += f", giving {hours.value:g} hours in mentoring sessions"
    return text + "."
