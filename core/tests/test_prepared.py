"""`PreparedQuery`: compiled once, run with each use's values, giving what the same queryset built with
those values gives."""

import datetime

import pytest
from django.db.models import Count, DateField, DateTimeField, F, IntegerField, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from core import policy
from core.prepared import PreparedQuery, SlotIn
from core.rows import PreparedRows, rows_with_columns
from mentoring.models import Goal, MentoringSession, Relationship, SessionLog
from mentoring.tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db


def _sessions(*, relationship_ids, since, until_day, least):
    """The query written with values, as the ORM builds it every time."""
    return (
        MentoringSession.objects.filter(
            relationship_id__in=relationship_ids,
            starts_at__gte=since,
            duration_minutes__gte=least,
        )
        .filter(Q(starts_at__date__lte=until_day))
        .order_by()
        .values("relationship_id", day=TruncDate("starts_at"))
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
    )


SESSIONS = PreparedQuery(
    lambda slots: (
        MentoringSession.objects.filter(
            SlotIn(F("relationship_id"), slots.ids("relationship_ids")),
            starts_at__gte=slots.value("since", DateTimeField()),
            duration_minutes__gte=slots.value("least", IntegerField()),
        )
        .filter(Q(starts_at__date__lte=slots.value("until_day", DateField())))
        .order_by()
        .values("relationship_id", day=TruncDate("starts_at"))
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
    )
)


def _key(row):
    return (row["relationship_id"], row["day"])


@pytest.fixture
def sessions():
    now = timezone.now().replace(microsecond=0)
    relationships = [RelationshipFactory() for _ in range(3)]
    for index, relationship in enumerate(relationships):
        for days in range(4):
            MentoringSessionFactory(
                relationship=relationship,
                starts_at=now - datetime.timedelta(days=10 * days + index),
                duration_minutes=30 + 15 * days,
            )
    return now, [relationship.pk for relationship in relationships]


def test_each_use_gives_what_the_queryset_built_with_its_values_gives(sessions, django_assert_num_queries):
    now, ids = sessions
    uses = [
        {
            "relationship_ids": ids,
            "since": now - datetime.timedelta(days=25),
            "until_day": now.date(),
            "least": 0,
        },
        {
            "relationship_ids": ids[:1],
            "since": now - datetime.timedelta(days=40),
            "until_day": now.date(),
            "least": 40,
        },
        {
            "relationship_ids": ids[1:],
            "since": now - datetime.timedelta(days=40),
            "until_day": (now - datetime.timedelta(days=15)).date(),
            "least": 30,
        },
        {
            "relationship_ids": [],
            "since": now - datetime.timedelta(days=40),
            "until_day": now.date(),
            "least": 0,
        },
    ]
    answers = []
    for values in uses:
        expected = sorted(_sessions(**values), key=_key)
        with django_assert_num_queries(1):
            rows = sorted(SESSIONS.rows(**values), key=_key)
        # Converted as the ORM converts them: dates as dates, sums as numbers.
        assert rows == expected
        answers.append(rows)
    # The values of one use are never those of the next: each use's answer is its own.
    assert answers[0] != answers[1] != answers[2]
    assert answers[3] == []
    assert all(isinstance(row["day"], datetime.date) for row in answers[0])


def test_the_query_is_built_once_per_length_of_its_lists(sessions):
    now, ids = sessions
    built = []
    counted = PreparedQuery(
        lambda slots: (
            built.append(slots)
            or MentoringSession.objects.filter(SlotIn(F("relationship_id"), slots.ids("ids")))
            .order_by()
            .values("relationship_id")
            .annotate(total=Count("pk"))
        )
    )
    for chosen in (ids, ids[::-1], ids[:2], ids[1:], ids[:1]):
        rows = counted.rows(ids=chosen)
        assert {row["relationship_id"]: row["total"] for row in rows} == dict.fromkeys(chosen, 4)
    assert len(built) == 3  # three lengths: 3, 2 and 1


def test_tuples_give_the_rows_as_values_list_gives_them(sessions, django_assert_num_queries):
    now, ids = sessions
    values = {"relationship_ids": ids, "since": now - datetime.timedelta(days=25), "until_day": now.date()}
    expected = sorted(
        _sessions(**values, least=0).values_list("relationship_id", "day", "sessions", "minutes"),
        key=lambda row: row[:2],
    )
    with django_assert_num_queries(1):
        rows = sorted(SESSIONS.tuples(**values, least=0), key=lambda row: row[:2])
    # In the order the rows name their columns, converted as the ORM converts them.
    assert rows == expected
    assert all(isinstance(row, tuple) and isinstance(row[1], datetime.date) for row in rows)
    assert rows == sorted(
        (tuple(row.values()) for row in SESSIONS.rows(**values, least=0)), key=lambda row: row[:2]
    )


def test_a_query_that_does_not_return_values_is_refused():
    whole_rows = PreparedQuery(lambda slots: MentoringSession.objects.filter(duration_minutes__gte=0))
    with pytest.raises(ValueError, match="must return values"):
        whole_rows.rows()


PEOPLE = (
    "staff",
    "funder",
    "coordinator_a",
    "coordinator_b",
    "dsl_a",
    "mentor",
    "other_mentor",
    "mentee_under_16",
    "mentee_over_18",
    "mentee_b",
)


def _visible_ids(model, person) -> set:
    return set(policy.scope(person, policy.VIEW, model).values_list("pk", flat=True))


@pytest.mark.parametrize("model", [Relationship, MentoringSession, SessionLog, Goal])
def test_a_person_slot_gives_each_person_what_their_policy_scope_gives(world, model):
    for relationship in (world.relationship_under_16, world.relationship_over_18, world.relationship_b):
        SessionLogFactory(session=MentoringSessionFactory(relationship=relationship, status="held"))
        GoalFactory(relationship=relationship)
    built = []
    visible = PreparedQuery(
        lambda slots: built.append(1) or policy.scope(slots.person("user"), policy.VIEW, model).values("pk")
    )
    answers = {}
    for name in PEOPLE:
        person = User.objects.get(pk=getattr(world, name).pk)  # as a request reads them
        rows = visible.rows(user=person)
        assert {row["pk"] for row in rows} == _visible_ids(model, person), name
        answers[name] = {row["pk"] for row in rows}
    # People who see different things get different answers, each from SQL compiled for their kind:
    # a mentor's SQL serves another mentor; a coordinator's is never used for another partner's.
    assert answers["coordinator_a"] != answers["coordinator_b"]
    assert answers["mentor"] != answers["other_mentor"]
    assert len(built) < len(PEOPLE)


def test_what_is_read_of_the_person_guards_the_compiled_sql(world):
    """Two coordinators read the same attributes but with different values: each gets SQL of their own;
    a second mentor reads the same values as the first and reuses theirs."""
    built = []
    relationships = PreparedQuery(
        lambda slots: (
            built.append(1) or policy.scope(slots.person("user"), policy.VIEW, Relationship).values("pk")
        )
    )
    relationships.rows(user=world.coordinator_a)
    relationships.rows(user=world.coordinator_b)
    assert len(built) == 2
    relationships.rows(user=world.mentor)
    relationships.rows(user=world.other_mentor)
    assert len(built) == 3
    assert {row["pk"] for row in relationships.rows(user=world.other_mentor)} == {world.relationship_b.pk}


def test_a_date_worked_out_while_building_a_query_for_a_person_is_refused(world):
    started = PreparedQuery(
        lambda slots: Relationship.objects.filter(
            mentor=slots.person("user"), started_on__lte=timezone.localdate()
        ).values("pk")
    )
    with pytest.raises(ValueError, match="dates and times as slots"):
        started.rows(user=world.mentor)
    given = PreparedQuery(
        lambda slots: Relationship.objects.filter(
            mentor=slots.person("user"), created_at__lte=slots.value("now", DateTimeField())
        ).values("pk")
    )
    assert {row["pk"] for row in given.rows(user=world.mentor, now=timezone.now())} == {
        world.relationship_under_16.pk,
        world.relationship_over_18.pk,
    }


def test_prepared_rows_are_the_instances_rows_with_columns_gives(world):
    columns = (
        "status",
        "mentee__first_name",
        "mentee__mentee_profile__date_of_birth",
        "cohort__programme__name",
    )
    prepared = PreparedRows(
        Relationship,
        columns,
        lambda slots: policy.scope(slots.person("user"), policy.VIEW, Relationship).order_by("-pk"),
    )
    for name in PEOPLE:
        person = getattr(world, name)
        expected = rows_with_columns(policy.scope(person, policy.VIEW, Relationship).order_by("-pk"), columns)
        rows = prepared.rows(user=person)
        assert [row.pk for row in rows] == [row.pk for row in expected]
        for row, other in zip(rows, expected, strict=True):
            assert row.status == other.status
            assert row.mentee.first_name == other.mentee.first_name
            assert row.mentee.mentee_profile.date_of_birth == other.mentee.mentee_profile.date_of_birth
            assert row.cohort.programme.name == other.cohort.programme.name


@pytest.mark.parametrize("number", [2**63, 10**30, -(2**63) - 1])
def test_a_number_no_column_can_hold_finds_no_row(number):
    """An address can carry a number of any size: a prepared read by it finds nothing, as the ORM's
    equality does, instead of failing in the database driver."""
    by_pk = PreparedQuery(
        lambda slots: User.objects.filter(pk=slots.value("pk", IntegerField())).values("pk")
    )
    user = User.objects.create(email="someone@example.org")
    assert by_pk.rows(pk=user.pk) == [{"pk": user.pk}]
    assert by_pk.rows(pk=number) == []
    assert list(User.objects.filter(pk=number).values("pk")) == []
