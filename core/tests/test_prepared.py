"""`PreparedQuery`: compiled once, run with each use's values, giving what the same queryset built with
those values gives."""

import datetime

import pytest
from django.db.models import Count, DateField, DateTimeField, F, IntegerField, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.prepared import PreparedQuery, SlotIn
from mentoring.models import MentoringSession
from mentoring.tests.factories import MentoringSessionFactory, RelationshipFactory

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
