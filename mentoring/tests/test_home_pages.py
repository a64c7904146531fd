"""The mentor's and coordinator's home pages cost the same number of queries at any data size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory
from mentoring.models import SupportCheckIn
from mentoring.tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db

# The mentor's page (22 in this world): the session, the person, the session saved by the test client
# (an update between two savepoints) and their roles; their application's status; their relationships
# (read once, also giving their programmes to the training panel), the sessions to log and the next,
# the notes for next time and the open goals; certificates, enrolments, programmes, the requirements
# with the default courses (one query) and core workshop bookings for the training panel; the surveys
# waiting (one query with their names); the latest requests and open opportunities; the next events
# and the buddy pairing; and the mentor's profile.
# The coordinator's page (13 in this world): the session, the person and their roles, the session
# saved by the test client, held messages, the partners' relationships with what the five monitoring
# lists hold of each (one query), the first rows of two lists, two matching counts, the partners and
# the cohorts.
MENTOR_CEILING = 22
COORDINATOR_CEILING = 13
MENTEE_CEILING = 15


def _grow(world, count):
    """`count` more relationships at partner A, each with sessions, a log, a goal and a check-in."""
    now = timezone.now()
    for _ in range(count):
        mentor = MentorProfileFactory().user
        mentee = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
        relationship = RelationshipFactory(mentor=mentor, mentee=mentee, cohort=world.cohort_a)
        SessionLogFactory(session=MentoringSessionFactory(relationship=relationship, status="held"))
        MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=3))
        MentoringSessionFactory(relationship=relationship)
        GoalFactory(relationship=relationship)
        SupportCheckIn.objects.create(relationship=relationship, due_on=timezone.localdate())
    # The world's mentor gets as many sessions, logs and goals too.
    # A pair has one session at a time: the past sessions are an hour apart.
    for index in range(count):
        SessionLogFactory(
            session=MentoringSessionFactory(relationship=world.relationship_under_16, status="held")
        )
        MentoringSessionFactory(
            relationship=world.relationship_over_18, starts_at=now - datetime.timedelta(days=2, hours=index)
        )
        GoalFactory(relationship=world.relationship_under_16)


def _queries(client, user, django_assert_max_num_queries, ceiling):
    client.force_login(user)
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.slow_ok(
    reason="builds up to 30 relationships with sessions, logs, goals and check-ins, each write keeping its "
    "relationship's summaries (receivers)"
)
@pytest.mark.parametrize("count", [3, 30])
def test_mentor_home_uses_a_bounded_number_of_queries(world, client, django_assert_max_num_queries, count):
    _grow(world, count)
    used, page = _queries(client, world.mentor, django_assert_max_num_queries, MENTOR_CEILING)
    assert "What you planned last time" in page
    assert "Sessions to log" in page


@pytest.mark.slow_ok(
    reason="builds up to 30 relationships with sessions, logs, goals and check-ins, each write keeping its "
    "relationship's summaries (receivers)"
)
@pytest.mark.parametrize("count", [3, 30])
def test_coordinator_home_uses_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries, count
):
    _grow(world, count)
    used, page = _queries(client, world.coordinator_a, django_assert_max_num_queries, COORDINATOR_CEILING)
    assert "check-ins needing action" in page


@pytest.mark.slow_ok(
    reason="builds up to 30 relationships with sessions, logs, goals and check-ins, each write keeping its "
    "relationship's summaries (receivers)"
)
def test_query_count_does_not_grow_with_the_data(world, client, django_assert_max_num_queries):
    _grow(world, 3)
    small = {
        "mentor": _queries(client, world.mentor, django_assert_max_num_queries, MENTOR_CEILING)[0],
        "coordinator": _queries(
            client, world.coordinator_a, django_assert_max_num_queries, COORDINATOR_CEILING
        )[0],
    }
    _grow(world, 27)
    large = {
        "mentor": _queries(client, world.mentor, django_assert_max_num_queries, MENTOR_CEILING)[0],
        "coordinator": _queries(
            client, world.coordinator_a, django_assert_max_num_queries, COORDINATOR_CEILING
        )[0],
    }
    assert small == large


def test_mentee_home_reads_the_young_persons_profile_once(world, client, django_assert_max_num_queries):
    """The consent, induction and mentor panels all show something of the profile: it is read once,
    with the partner and programme the mentor panel names."""
    from training.loader import load_training_content

    load_training_content()
    client.force_login(world.mentee_under_16)
    with django_assert_max_num_queries(MENTEE_CEILING) as captured:
        page = client.get(reverse("home")).content.decode()
    profile_reads = [
        query for query in captured.captured_queries if 'FROM "accounts_menteeprofile"' in query["sql"]
    ]
    assert len(profile_reads) == 1
    assert "a parent or carer needs to say yes" in page and "please complete it" in page
    assert world.partner_a.name in page


def test_mentee_home_shows_next_session_goals_and_activities(world, client):
    SessionLogFactory(
        session=MentoringSessionFactory(relationship=world.relationship_under_16, status="held"),
        mentee_activity="Write down three jobs you would like to know more about.",
    )
    MentoringSessionFactory(relationship=world.relationship_under_16)
    GoalFactory(relationship=world.relationship_under_16, title="Choose my A-levels")
    client.force_login(world.mentee_under_16)
    page = client.get(reverse("home")).content.decode()
    assert "Choose my A-levels" in page
    assert "three jobs" in page
    assert "Next session" in page


def _pair_rows_read(client, user) -> tuple[str, list[str]]:
    """The person's home page, and the queries it ran that read sessions, logs or goals."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("home")).content.decode()
    tables = {'"mentoring_mentoringsession"', '"mentoring_sessionlog"', '"mentoring_goal"'}
    # Each query's own table: the first after FROM (a subquery of another table's query is not one).
    return page, [
        query["sql"]
        for query in captured
        if " FROM " in query["sql"] and query["sql"].split(" FROM ")[1].split()[0] in tables
    ]


def test_mentor_and_mentee_homes_read_each_relationship_once(world, client):
    """The person's relationships are read once, with the other person's name; the sessions, notes,
    goals and activities of the open ones are read by their ids, not joined to them again."""
    now = timezone.now()
    SessionLogFactory(
        session=MentoringSessionFactory(relationship=world.relationship_under_16, status="held"),
        next_time_notes="Bring two course descriptions.",
        mentee_activity="Write down three jobs you would like to know more about.",
    )
    soon, overdue = now + datetime.timedelta(days=3), now - datetime.timedelta(days=2)
    MentoringSessionFactory(relationship=world.relationship_under_16, starts_at=soon)
    MentoringSessionFactory(relationship=world.relationship_over_18, starts_at=overdue)
    GoalFactory(relationship=world.relationship_under_16, title="Choose my A-levels")
    page, reads = _pair_rows_read(client, world.mentor)
    for shown in ("Bring two course descriptions.", "Choose my A-levels", "Sessions to log"):
        assert shown in page
    assert world.mentee_under_16.first_name in page and world.mentee_over_18.first_name in page
    assert reads and not [sql for sql in reads if '"mentoring_relationship"' in sql]
    page, reads = _pair_rows_read(client, world.mentee_under_16)
    for shown in ("Choose my A-levels", "three jobs", world.mentor.get_full_name()):
        assert shown in page
    assert len(reads) == 3 and not [sql for sql in reads if '"mentoring_relationship"' in sql]


def test_monitoring_page_lists_unlogged_sessions_of_own_partners_only(
    world, client, django_assert_max_num_queries
):
    own = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    MentoringSessionFactory(
        relationship=world.relationship_b, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    client.force_login(world.coordinator_a)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("mentoring:monitoring") + "?list=unlogged")
    page = response.content.decode()
    assert f"Session {own.number}" in page
    assert world.mentee_b.first_name not in page


def test_coordinator_home_shows_a_completed_check_in_gone_on_the_next_visit(world, client):
    """Every visit computes the page: what a service call changed shows at once."""
    from mentoring import journal

    check_in = SupportCheckIn.objects.create(
        relationship=world.relationship_under_16, due_on=timezone.localdate()
    )
    client.force_login(world.coordinator_a)
    needs_action = f'href="{reverse("mentoring:support_check_in", args=[check_in.pk])}"'
    assert needs_action in client.get(reverse("home")).content.decode()
    journal.support_check_in_complete(actor=world.coordinator_a, check_in=check_in, notes="Spoke to both.")
    assert needs_action not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_relationship_page_uses_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries, count
):
    relationship = world.relationship_under_16
    for index in range(count):
        SessionLogFactory(session=MentoringSessionFactory(relationship=relationship, status="held"))
        GoalFactory(relationship=relationship)
        SupportCheckIn.objects.create(
            relationship=relationship, due_on=timezone.localdate() + datetime.timedelta(days=index)
        )
    for user in (world.mentor, world.coordinator_a):
        client.force_login(user)
        with django_assert_max_num_queries(40):
            response = client.get(relationship.get_absolute_url())
        assert response.status_code == 200
