"""The mentor's and young person's home pages read their relationships, sessions, notes and goals with
queries compiled once per process (core.prepared): each gives what the same queryset, built for that
person with those values, gives."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

from core.rows import rows_with_columns
from mentoring import selectors
from mentoring.models import Goal, MentoringSession, Relationship, SessionLog
from mentoring.tests.factories import (
    CohortFactory,
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = ("staff", "coordinator_a", "dsl_a", "mentor", "other_mentor", "mentee_under_16", "mentee_b")


def _shown(rows, columns):
    def value(row, column):
        for part in column.split("__"):
            row = getattr(row, part)
        return row

    return [(row.pk, *(value(row, column) for column in columns)) for row in rows]


@pytest.mark.parametrize("as_mentor", [True, False])
def test_own_relationships_are_the_policy_scoped_queryset_rows(world, as_mentor):
    RelationshipFactory(
        mentor=world.mentor,
        mentee=world.mentee_b,
        cohort=world.cohort_b,
        status=Relationship.Status.COMPLETED,
    )
    columns = selectors.MENTOR_RELATIONSHIP_COLUMNS if as_mentor else selectors.MENTEE_RELATIONSHIP_COLUMNS
    for name in PEOPLE:
        person = getattr(world, name)
        own = Q(mentor=person) if as_mentor else Q(mentee=person)
        expected = rows_with_columns(
            selectors.relationships_visible_to(user=person).filter(own).order_by("-created_at"), columns
        )
        rows = selectors.own_relationships(user=person, as_mentor=as_mentor)
        assert _shown(rows, columns) == _shown(expected, columns), name


def test_the_mentor_overview_reads_what_the_querysets_give(world):
    now = timezone.now()
    pairs = [world.relationship_under_16, world.relationship_over_18]
    for index, relationship in enumerate(pairs):
        for days in (-20, -3, 4, 30):
            MentoringSessionFactory(
                relationship=relationship, starts_at=now + datetime.timedelta(days=days, hours=index)
            )
        for days in (40, 60):
            SessionLogFactory(
                session=MentoringSessionFactory(
                    relationship=relationship,
                    status="held",
                    starts_at=now - datetime.timedelta(days=days, hours=index),
                ),
                next_time_notes=f"Notes {index} {days}",
            )
        GoalFactory(relationship=relationship, target_date=now.date() + datetime.timedelta(days=index))
        GoalFactory(relationship=relationship, status="achieved")
    SessionLogFactory(session=MentoringSessionFactory(relationship=world.relationship_b, status="held"))
    ids = [relationship.pk for relationship in pairs]
    overview = selectors.mentor_overview(user=world.mentor)

    scheduled = list(
        MentoringSession.objects.filter(
            relationship__in=ids, status=MentoringSession.Status.SCHEDULED
        ).order_by("starts_at")[:200]
    )
    assert overview["next_session"].pk == next(s.pk for s in scheduled if s.starts_at >= now)
    assert [s.pk for s in overview["overdue_logs"]] == [s.pk for s in scheduled if s.starts_at < now][:5]
    notes = list(
        SessionLog.objects.filter(session__relationship__in=ids)
        .exclude(next_time_notes="")
        .order_by("-session__starts_at")[:5]
    )
    latest = {}
    for log in notes:
        latest.setdefault(log.session.relationship_id, log)
    assert [(log.pk, log.next_time_notes) for log in overview["latest_notes"]] == [
        (log.pk, log.next_time_notes) for log in latest.values()
    ]
    goals = list(
        Goal.objects.filter(relationship__in=ids, status__in=Goal.OPEN_STATUSES).order_by("target_date", "pk")
    )
    assert [(g.pk, g.title, g.status, g.target_date) for g in overview["open_goals"]] == [
        (g.pk, g.title, g.status, g.target_date) for g in goals
    ]
    assert overview["next_session"].relationship.mentee.first_name in ("Yasmin", "Aaron")


@pytest.mark.parametrize(
    "offsets",
    [
        # Days from now of each pair's scheduled sessions: a long series ahead, more to log than the panel
        # shows, nothing ahead, nothing behind, both pairs' next at the same moment, nothing at all.
        ((-9, -2, 1, 8, 15, 22, 29, 36), (-30, -20, -10, -5, -4, -1, 3)),
        ((-8, -6, -4), (-7, -5)),
        ((2, 9), (5, 12)),
        ((-1, 6), (-3, 6)),
        ((), ()),
    ],
)
def test_the_mentor_overviews_sessions_are_those_the_queryset_gives(world, offsets):
    """The next session and those to log, read without the later sessions of each series: the ones the
    first 200 of every scheduled session give (times a microsecond apart stand for the same moment)."""
    now = timezone.now()
    pairs = [world.relationship_under_16, world.relationship_over_18]
    for relationship, days in zip(pairs, offsets, strict=True):
        for day in days:
            MentoringSessionFactory(relationship=relationship, starts_at=now + datetime.timedelta(days=day))
    MentoringSessionFactory(relationship=world.relationship_b, starts_at=now - datetime.timedelta(days=1))
    MentoringSessionFactory(
        relationship=pairs[0],
        starts_at=now - datetime.timedelta(days=50),
        status=MentoringSession.Status.HELD,
    )
    scheduled = list(
        MentoringSession.objects.filter(
            relationship__in=[relationship.pk for relationship in pairs],
            status=MentoringSession.Status.SCHEDULED,
        )
        .select_related("venue")
        .order_by("starts_at")[:200]
    )
    overview = selectors.mentor_overview(user=world.mentor)
    expected_next = next((session for session in scheduled if session.starts_at >= now), None)
    columns = ("relationship_id", "number", "starts_at", "where", "relationship__mentee__first_name")
    next_session = overview["next_session"]
    assert _shown([next_session] if next_session else [], columns) == _shown(
        [expected_next] if expected_next else [], columns
    )
    expected_overdue = [session for session in scheduled if session.starts_at < now][:5]
    assert _shown(overview["overdue_logs"], columns) == _shown(expected_overdue, columns)


def test_one_mentors_programme_memberships_are_the_querysets(world):
    for mentor in (world.mentor, world.other_mentor, world.staff):
        expected = set(
            Relationship.objects.filter(mentor_id=mentor.pk).values_list("mentor_id", "cohort__programme_id")
        )
        assert {tuple(row) for row in selectors.programme_memberships(mentor_id=mentor.pk)} == expected


def test_the_coordinators_recent_cohorts_are_the_queryset_rows(world):
    """The coordinator's home's cohorts, compiled once per process: for each person the first ten of the
    policy-scoped cohorts at the partners they coordinate, in order, as shown, with their mentees counted
    (twelve cohorts at one partner, one named and the rest named by programme, partner and start)."""
    for index in range(12):
        CohortFactory(
            programme=world.programme,
            youth_partner=world.partner_a if index % 3 else world.partner_b,
            name="" if index else "Spring group",
            start_date=datetime.date(2016, 1 + index % 12, 1),  # a year no factory cohort starts in
        )
    columns = ("name", "start_date", "programme__name", "youth_partner__name", "mentee_count")
    for name in (*PEOPLE, "coordinator_b", "funder"):
        person = getattr(world, name)
        expected = list(
            selectors.cohorts_visible_to(user=person).filter(
                youth_partner_id__in=person.coordinated_partner_ids
            )[:10]
        )
        rows = selectors.recent_partner_cohorts(user=person)
        assert _shown(rows, columns) == _shown(expected, columns), name
        assert [str(row) for row in rows] == [str(row) for row in expected], name
    shown_to_a = selectors.recent_partner_cohorts(user=world.coordinator_a)
    assert len(shown_to_a) == 9
    assert sum(row.mentee_count for row in shown_to_a) == 2  # cohort A's two young people


def test_the_coordinators_first_drifting_pairs_and_check_ins_are_the_lists_rows(world):
    """The coordinator's home reads the first drifting pairs and check-ins due with queries compiled once
    per process: for each person and the partners they oversee, the rows (and the columns shown) of
    the monitoring lists' querysets, past the page's five, with closed, completed and future ones."""
    from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory
    from mentoring.models import SupportCheckIn
    from mentoring.panels import COORDINATOR_ROWS

    today = timezone.localdate()
    pairs = [world.relationship_under_16, world.relationship_over_18, world.relationship_b]
    for index in range(5):
        partner, cohort = (
            (world.partner_a, world.cohort_a) if index % 2 else (world.partner_b, world.cohort_b)
        )
        young_person = MenteeProfileFactory(age=15, youth_partner=partner, cohort=cohort).user
        pairs.append(
            RelationshipFactory(mentor=MentorProfileFactory().user, mentee=young_person, cohort=cohort)
        )
    for index, relationship in enumerate(pairs):
        Relationship.objects.filter(pk=relationship.pk).update(
            started_on=today - datetime.timedelta(days=60 + index % 3), held_sessions=2
        )
        for days in (3, 1, -4):
            SupportCheckIn.objects.create(
                relationship=relationship, due_on=today - datetime.timedelta(days=days + index % 2)
            )
    SupportCheckIn.objects.filter(relationship=pairs[3]).update(completed_at=timezone.now())
    Relationship.objects.filter(pk=pairs[4].pk).update(status=Relationship.Status.COMPLETED)
    people = {
        "coordinator_a": world.coordinator_a.coordinated_partner_ids,
        "coordinator_b": world.coordinator_b.coordinated_partner_ids,
        "staff": {world.partner_a.pk, world.partner_b.pk},
        "staff at one partner": {world.partner_b.pk},
    }
    for name, partner_ids in people.items():
        person = getattr(world, name.split()[0])
        lists = selectors.monitoring_querysets(user=person, partner_ids=partner_ids)
        summary = selectors.monitoring_summary(
            user=person,
            partner_ids=partner_ids,
            rows_for=COORDINATOR_ROWS,
            relationship_rows=selectors.relationship_rows_at(partner_ids),
        )
        for list_name, columns in COORDINATOR_ROWS.items():
            expected = list(lists[list_name])
            assert len(expected) == summary[list_name]["count"], (name, list_name)
            shown = _shown(summary[list_name]["rows"], columns)
            assert shown == _shown(expected[:5], columns), (name, list_name)
        # Every list counted from the rows read, as its queryset counts it (none shows rows but these).
        assert {list_name: part["count"] for list_name, part in summary.items()} == {
            list_name: len(list(rows)) for list_name, rows in lists.items()
        }, name
        assert all(
            not part["rows"] for list_name, part in summary.items() if list_name not in COORDINATOR_ROWS
        )
        # Each list holds rows past the page's first few (or all of them, at one partner).
        assert summary["check_ins"]["count"] >= 6 and summary["drifting"]["count"] >= 3, name


def test_the_funders_programme_table_reads_are_the_querysets(world):
    """The funder's programme table reads the cohorts of the programmes a person sees, and their young
    people counted per region, with queries compiled once per process: the same rows as the
    querysets, for each person's programmes (two programmes, one with no cohort)."""
    from core import policy
    from mentoring.models import CohortMentees
    from mentoring.tests.factories import ProgrammeFactory
    from programmes.models import Cohort, Programme

    other = ProgrammeFactory(name="Second Steps")
    ProgrammeFactory(name="Not started")
    CohortFactory(programme=other, youth_partner=world.partner_b)
    for name in (*PEOPLE, "funder", "coordinator_b"):
        person = getattr(world, name)
        ids = list(policy.scope(person, policy.VIEW, Programme).values_list("pk", flat=True))
        cohorts = Cohort.objects.filter(programme__in=ids).values_list(
            "pk", "programme_id", "youth_partner_id"
        )
        assert sorted(selectors.cohorts_of_programmes(ids)) == sorted(cohorts), name
        counted = CohortMentees.objects.filter(cohort_id__in=[pk for pk, _programme, _partner in cohorts])
        expected = counted.values_list("cohort__programme_id", "region", "mentees")
        assert sorted(selectors.mentees_of_programmes(ids)) == sorted(expected), name
    every = list(Programme.objects.values_list("pk", flat=True))
    assert sum(total for _programme, _region, total in selectors.mentees_of_programmes(every)) == 3
    assert len(selectors.cohorts_of_programmes(every)) == 3
