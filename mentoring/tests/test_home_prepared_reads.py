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


def test_one_mentors_programme_memberships_are_the_querysets(world):
    for mentor in (world.mentor, world.other_mentor, world.staff):
        expected = set(
            Relationship.objects.filter(mentor_id=mentor.pk).values_list("mentor_id", "cohort__programme_id")
        )
        assert {tuple(row) for row in selectors.programme_memberships(mentor_id=mentor.pk)} == expected
