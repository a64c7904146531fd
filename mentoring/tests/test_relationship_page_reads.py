"""The relationship page and the session log form read with queries compiled once per process
(mentoring/page_reads.py): each gives the rows the ORM's queryset, built for that person through the
policy, gives; a query compiled for one person is not used for another whom the policy treats
differently; the pages answer 404 and 403 as before, keep a young person's contact details from their
mentor, and use a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import policy
from core.rows import rows_with_columns
from mentoring import lifecycle, page_reads, selectors
from mentoring.models import (
    Agreement,
    AgreementTemplate,
    Closure,
    Goal,
    HeldText,
    MentoringSession,
    PulseCheckIn,
    Relationship,
    RelationshipEvent,
    SessionLog,
)
from mentoring.policies import LOG
from mentoring.tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db

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


def _value(row, column):
    for part in column.split("__"):
        row = getattr(row, part, None)
        if row is None:
            return None
    return row


def _shown(rows, columns):
    return [(row.pk, *(_value(row, column) for column in columns)) for row in rows]


@pytest.fixture
def closed(world):
    """A closed relationship with a signed agreement, a closure and its programme's own agreement."""
    relationship = RelationshipFactory(
        mentor=world.other_mentor,
        mentee=world.mentee_over_18,
        cohort=world.cohort_a,
        status=Relationship.Status.COMPLETED,
        ended_on=timezone.localdate(),
        end_reason="completed",
    )
    now = timezone.now()
    Agreement.objects.create(
        relationship=relationship, text=[["Purpose", "To help"]], mentor_signed_at=now, mentee_signed_at=now
    )
    Closure.objects.create(
        relationship=relationship,
        early=False,
        reason="completed",
        final_meeting_held=True,
        recommendations=["Keep going"],
    )
    AgreementTemplate.objects.create(
        programme=world.programme,
        purpose="P",
        boundaries="B",
        confidentiality="C",
        frequency="F",
        contact="Co",
        not_working="N",
    )
    RelationshipEvent.objects.create(
        relationship=relationship,
        actor=world.staff,
        from_status="active",
        to_status="completed",
        reason="Done",
    )
    return relationship


def _relationships(world, closed):
    return [world.relationship_under_16, world.relationship_over_18, world.relationship_b, closed]


def test_the_relationship_is_found_for_those_the_policy_shows_it_to_with_its_columns(world, closed):
    columns = page_reads.RELATIONSHIP_COLUMNS
    # Two rounds, people in turn: a query compiled for one kind of person, used for the next.
    for _round in range(2):
        for name in PEOPLE:
            person = getattr(world, name)
            for relationship in _relationships(world, closed):
                expected = rows_with_columns(
                    selectors.relationships_visible_to(user=person).filter(pk=relationship.pk), columns
                )
                found = page_reads.relationship_shown(user=person, pk=relationship.pk)
                assert _shown([found] if found else [], columns) == _shown(expected, columns), (
                    name,
                    relationship.pk,
                )
    assert page_reads.relationship_shown(user=world.mentor, pk=closed.pk) is None
    shown = page_reads.relationship_shown(user=world.staff, pk=closed.pk)
    assert shown.agreement.is_signed and shown.closure.recommendations == ["Keep going"]
    assert shown.cohort.programme.agreement_template.purpose == "P"


def test_a_suspended_or_inactive_person_finds_no_relationship(world):
    relationship = world.relationship_under_16
    assert page_reads.relationship_shown(user=world.mentor, pk=relationship.pk) is not None
    world.mentor.is_active = False
    assert page_reads.relationship_shown(user=world.mentor, pk=relationship.pk) is None


def test_what_the_page_lets_each_person_do_is_what_the_policy_says(world, closed):
    for _round in range(2):
        for name in PEOPLE:
            person = getattr(world, name)
            for relationship in _relationships(world, closed):
                allowed = page_reads.relationship_permissions(user=person, relationship=relationship)
                assert allowed == {
                    "may_manage": lifecycle.may_manage(person, relationship),
                    "may_schedule": policy.can(person, "mentoring.schedule_sessions", relationship),
                    "show_mentee_contact": policy.can(person, "view_contact", relationship.mentee),
                    "show_mentor_contact": policy.can(person, "view_contact", relationship.mentor),
                }, (name, relationship.pk)


def test_the_relationship_page_lists_read_what_the_querysets_give(world, closed):
    relationship = world.relationship_under_16
    now = timezone.now()
    for days in (-40, -10, 5, 30):
        MentoringSessionFactory(relationship=relationship, starts_at=now + datetime.timedelta(days=days))
    for days in (60, 90):
        SessionLogFactory(
            session=MentoringSessionFactory(
                relationship=relationship, status="held", starts_at=now - datetime.timedelta(days=days)
            ),
            next_time_notes=f"Notes {days}",
        )
    GoalFactory(relationship=relationship, target_date=now.date())
    GoalFactory(relationship=relationship, status="dropped")
    GoalFactory(relationship=relationship)
    MentoringSessionFactory(relationship=world.relationship_b)
    for pair in (relationship, closed, world.relationship_b):
        sessions = pair.sessions.select_related("venue").order_by("starts_at", "pk")
        columns = ("number", "starts_at", "status", "is_online", "venue__name")
        assert _shown(page_reads.sessions_of(pair), columns) == _shown(sessions, columns)
        goals = pair.goals.order_by("target_date", "pk")
        columns = ("title", "term", "target_date", "status")
        assert _shown(page_reads.goals_of(pair), columns) == _shown(goals, columns)
        to_update = pair.goals.exclude(status__in=[Goal.Status.DROPPED]).order_by("pk")
        assert _shown(page_reads.goals_to_update(pair.pk), ("title", "status")) == _shown(
            to_update, ("title", "status")
        )
        events = pair.events.select_related("actor")
        columns = (
            "occurred_at",
            "from_status",
            "to_status",
            "reason",
            "actor__first_name",
            "actor__last_name",
        )
        assert _shown(page_reads.events_of(pair), columns) == _shown(events, columns)
        latest = (
            SessionLog.objects.filter(session__relationship=pair)
            .exclude(next_time_notes="")
            .order_by("-session__starts_at")
            .first()
        )
        notes = page_reads.last_next_time_notes(pair.pk)
        assert (notes and (notes.pk, notes.next_time_notes)) == (
            latest and (latest.pk, latest.next_time_notes)
        )
    assert page_reads.last_next_time_notes(relationship.pk).next_time_notes == "Notes 60"


def test_held_text_is_read_for_those_the_policy_shows_it_to(world):
    relationship = world.relationship_under_16
    for author, status in (
        (world.mentor, "held"),
        (world.mentee_under_16, "returned"),
        (world.mentor, "released"),
    ):
        HeldText.objects.create(
            relationship=relationship,
            author=author,
            kind=HeldText.Kind.GOAL,
            texts={"title": "Call me on 07700 900123"},
            hold_reason="A phone number",
            status=status,
        )
    columns = ("author_id", "kind", "texts", "status", "author__first_name", "author__last_name")
    for _round in range(2):
        for name in PEOPLE:
            person = getattr(world, name)
            expected = (
                policy.scope(person, policy.VIEW, HeldText)
                .filter(relationship=relationship)
                .exclude(status=HeldText.Status.RELEASED)
                .select_related("author")[:50]
            )
            rows = page_reads.held_texts_of(user=person, relationship=relationship)
            assert _shown(rows, columns) == _shown(expected, columns), name


def test_the_session_to_log_is_found_and_may_be_logged_as_the_policy_says(world, closed):
    sessions = [MentoringSessionFactory(relationship=pair) for pair in _relationships(world, closed)]
    for _round in range(2):
        for name in PEOPLE:
            person = getattr(world, name)
            for session in sessions:
                visible = policy.scope(person, policy.VIEW, MentoringSession).filter(pk=session.pk).exists()
                found = page_reads.session_to_log(user=person, pk=session.pk)
                assert (found is not None) == visible, (name, session.pk)
                if found is not None:
                    assert found.may_log == policy.can(person, LOG, session), (name, session.pk)
                    assert (found.number, found.starts_at, found.relationship.mentee.first_name) == (
                        session.number,
                        session.starts_at,
                        session.relationship.mentee.first_name,
                    )


def test_the_log_of_a_session_fills_the_form(world):
    session = MentoringSessionFactory(relationship=world.relationship_under_16, status="held")
    assert page_reads.log_of_session(session) is None
    log = SessionLogFactory(session=session, summary="We talked", topics=["study"])
    read = page_reads.log_of_session(session)
    assert (read.pk, read.summary, read.topics, read.held, read.worrying) == (
        log.pk,
        "We talked",
        ["study"],
        log.held,
        log.worrying,
    )


def test_the_pulse_is_asked_until_answered(world):
    relationship = world.relationship_under_16
    now = timezone.now()
    for days in (30, 20, 10):
        MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=days))
    MentoringSessionFactory(
        relationship=relationship, starts_at=now - datetime.timedelta(days=5), status="cancelled"
    )
    from mentoring import journal

    for person in (world.mentor, world.mentee_under_16, world.coordinator_a):
        sessions = page_reads.sessions_of(relationship)
        assert journal.pulse_due(person, relationship, sessions) == journal.pulse_due(person, relationship)
    assert journal.pulse_due(world.mentor, relationship, page_reads.sessions_of(relationship))
    PulseCheckIn.objects.create(relationship=relationship, respondent=world.mentor, rating=3)
    assert not journal.pulse_due(world.mentor, relationship, page_reads.sessions_of(relationship))


def test_the_pages_answer_as_the_policy_says(client, world):
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    expected = {
        "mentor": 200,
        "coordinator_a": 403,
        "other_mentor": 404,
        "mentee_under_16": 403,
        "staff": 403,
    }
    for name, status in expected.items():
        client.force_login(getattr(world, name))
        assert client.get(f"/sessions/{session.pk}/log/").status_code == status, name
    pages = {"mentor": 200, "coordinator_a": 200, "coordinator_b": 404, "other_mentor": 404, "mentee_b": 404}
    for name, status in pages.items():
        client.force_login(getattr(world, name))
        assert client.get(f"/relationships/{world.relationship_under_16.pk}/").status_code == status, name


def test_a_young_persons_contact_details_are_shown_only_to_those_the_policy_allows(client, world):
    path = f"/relationships/{world.relationship_under_16.pk}/"
    client.force_login(world.mentor)
    html = client.get(path).content.decode()
    assert "07700 900001" not in html and "young.mentee@example.org" not in html
    client.force_login(world.coordinator_a)
    html = client.get(path).content.decode()
    assert "07700 900001" in html and "young.mentee@example.org" in html


# What each page uses for the mentor (sign-in and roles included), at any number of sessions and goals.
QUERIES = {"relationship page": 11, "session log form": 8}


def test_the_pages_use_a_fixed_number_of_queries(client, world):
    relationship = world.relationship_under_16
    now = timezone.now()
    to_log = MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=1))
    pages = {
        "relationship page": f"/relationships/{relationship.pk}/",
        "session log form": f"/sessions/{to_log.pk}/log/",
    }
    client.force_login(world.mentor)
    counts, added = [], 0
    for days in (10, 20, 30):  # three sessions started: the page asks the mentor how it is going
        MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=days))
    for more in (1, 5):
        for _ in range(more):
            added += 1
            SessionLogFactory(
                session=MentoringSessionFactory(
                    relationship=relationship,
                    status="held",
                    starts_at=now - datetime.timedelta(days=40 + added),
                ),
                next_time_notes="Bring a CV",
            )
            GoalFactory(relationship=relationship)
        measured = {}
        for label, path in pages.items():
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            measured[label] = len(captured)
        counts.append(measured)
    assert counts[0] == counts[1]
    assert counts[1] == QUERIES
