"""Each relationship's goal counts (goals_agreed, goals_reached), which the impact page's goals measure
reads, equal a count of its goals after every kind of write: goals added by the mentor and proposed by
the mentee, agreed, moved through their statuses, held for a check and released, moved to another
relationship, deleted, and written in bulk followed by `refresh_goal_counts()`."""

import pytest

from evaluation import selectors
from mentoring.journal import goal_create, goal_progress_add
from mentoring.models import Goal, HeldText, Relationship
from mentoring.moderation import held_text_release
from mentoring.tests.factories import GoalFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

REACHED = (Goal.Status.ACHIEVED, Goal.Status.PARTLY_ACHIEVED)


def _check_everyone():
    """Every relationship's counts equal a count of its goals."""
    rows = Relationship.objects.values_list("pk", "goals_agreed", "goals_reached")
    assert rows, "nothing to check"
    for pk, agreed, reached in rows:
        goals = Goal.objects.filter(relationship_id=pk)
        assert (agreed, reached) == (
            goals.exclude(status=Goal.Status.PROPOSED).count(),
            goals.filter(status__in=REACHED).count(),
        ), f"relationship {pk}"


def _counts(relationship):
    return Relationship.objects.values_list("goals_agreed", "goals_reached").get(pk=relationship.pk)


def test_the_goal_counts_follow_every_write(world):
    relationship = world.relationship_under_16
    mentor, mentee = relationship.mentor, relationship.mentee

    first = goal_create(actor=mentor, relationship=relationship, goal=Goal(title="Write a first CV"))
    _check_everyone()
    assert _counts(relationship) == (1, 0)

    proposed = goal_create(actor=mentee, relationship=relationship, goal=Goal(title="Visit a college"))
    _check_everyone()
    assert proposed.status == Goal.Status.PROPOSED and _counts(relationship) == (1, 0)

    goal_progress_add(actor=mentor, goal=proposed, status=Goal.Status.IN_PROGRESS)  # agreed
    _check_everyone()
    assert _counts(relationship) == (2, 0)
    goal_progress_add(actor=mentor, goal=first, status=Goal.Status.ACHIEVED)
    _check_everyone()
    goal_progress_add(actor=mentor, goal=Goal.objects.get(pk=proposed.pk), status=Goal.Status.PARTLY_ACHIEVED)
    _check_everyone()
    assert _counts(relationship) == (2, 2)
    goal_progress_add(actor=mentor, goal=Goal.objects.get(pk=first.pk), status=Goal.Status.DROPPED)
    _check_everyone()
    assert _counts(relationship) == (2, 1)

    # A goal held for a check is counted only once it is released.
    held = goal_create(
        actor=mentor, relationship=relationship, goal=Goal(title="Call me on 07700 900123 about it")
    )
    assert isinstance(held, HeldText)
    _check_everyone()
    assert _counts(relationship) == (2, 1)
    held_text_release(held=held, actor=world.coordinator_a)
    _check_everyone()
    assert _counts(relationship) == (3, 1)

    # Edited outside the services (the admin): moved to another relationship, then deleted.
    other = RelationshipFactory()
    moved = Goal.objects.get(pk=proposed.pk)
    moved.relationship = other
    moved.save()
    _check_everyone()
    assert _counts(other) == (1, 1)
    Goal.objects.get(pk=proposed.pk).delete()
    _check_everyone()
    assert _counts(other) == (0, 0)

    GoalFactory(relationship=other, status=Goal.Status.ACHIEVED)
    _check_everyone()
    assert _counts(other) == (1, 1)


def test_bulk_writes_are_followed_by_a_refresh():
    relationship = RelationshipFactory()
    Goal.objects.bulk_create(
        [
            Goal(relationship=relationship, title=f"Goal {status}", status=status)
            for status in Goal.Status.values
        ]
    )
    Relationship.objects.filter(pk=relationship.pk).refresh_goal_counts()
    _check_everyone()
    assert _counts(relationship) == (5, 2)
    Goal.objects.filter(relationship=relationship).update(status=Goal.Status.ACHIEVED)
    Relationship.objects.filter(pk=relationship.pk).refresh_goal_counts()
    _check_everyone()
    assert _counts(relationship) == (6, 6)


def test_the_goals_measure_equals_a_count_of_the_goals(world):
    statuses = [
        Goal.Status.PROPOSED,
        Goal.Status.IN_PROGRESS,
        Goal.Status.ACHIEVED,
        Goal.Status.PARTLY_ACHIEVED,
    ]
    in_programme = []
    for index in range(6):
        relationship = RelationshipFactory(cohort=world.cohort_a)
        in_programme.append(relationship.pk)
        for status in statuses[: index % 4 + 1]:
            GoalFactory(relationship=relationship, status=status)
    elsewhere = RelationshipFactory()
    GoalFactory(relationship=elsewhere, status=Goal.Status.ACHIEVED)
    measures = {
        measure["measure"]: measure["value"]
        for measure in selectors.fidelity(selectors.AggregateFilter(cohort_id=world.cohort_a.pk))["measures"]
    }
    goals = Goal.objects.filter(relationship__cohort=world.cohort_a)
    agreed = goals.exclude(status=Goal.Status.PROPOSED).count()
    reached = goals.filter(status__in=REACHED).count()
    assert measures["Goals set"] == agreed
    assert measures["Goals achieved or partly achieved"] == selectors._share(reached, agreed)
