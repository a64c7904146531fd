"""Every page measured by benchmarks/home_pages.py costs the same number of queries at any data size.

Each page is computed (the cache emptied first) with a little data, then again after more mentees,
mentors, relationships, sessions, logs, goals, check-ins, proposals, applications, concerns and audit
events are added; its query count must not change, and stays under a ceiling.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import (
    ApplicationFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
)
from community.tests.factories import EmployerContactFactory, EmployerMembershipFactory
from core.models import AuditEvent
from matching.models import MatchingRound, Proposal, RoundStatus
from mentoring.models import SupportCheckIn
from mentoring.tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)
from safeguarding.tests.factories import raise_concern

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow_ok(reason="renders twenty pages at two data sizes"),
]

# The most queries any of these pages may use (sign-in, roles, navigation, panels and content).
CEILING = 45
# The role homes, the employer figures and the impact page, each held to what it uses in this world
# (docs/benchmarks.md): a panel that starts reading more, or reads again what another has read, shows here.
OWN_CEILINGS = {
    "mentor home": 24,
    "mentee home": 14,
    "coordinator home": 19,
    "safeguarding lead home": 13,
    "staff home": 19,
    "funder home": 17,
    "employer figures": 9,
    # The impact page for each role (its breakdown is loaded on its own): the summaries, the delivery
    # measures' three reads, the filter's choices and the reports.
    "impact, staff": 19,
    "impact, coordinator": 17,
    "impact, funder": 18,
}


@pytest.fixture
def pages(world):
    """What the benchmark measures: (label, who visits, path)."""
    now = timezone.now()
    world.funder.role_assignments.update(programme=world.programme)
    contact = EmployerContactFactory()
    EmployerMembershipFactory(mentor=world.mentor, employer=contact.employer)
    EmployerMembershipFactory(mentor=world.other_mentor, employer=contact.employer)
    to_log = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=now - datetime.timedelta(days=1)
    )
    matching_round = MatchingRound.objects.create(
        programme=world.programme,
        scope=MatchingRound.Scope.YOUTH_PARTNER,
        youth_partner=world.partner_a,
        status=RoundStatus.DONE,
        progress=100,
        started_by=world.staff,
        started_at=now,
        finished_at=now,
    )
    world.matching_round = matching_round
    return [
        ("mentor home", world.mentor, "/home/"),
        ("mentee home", world.mentee_under_16, "/home/"),
        ("coordinator home", world.coordinator_a, "/home/"),
        ("safeguarding lead home", world.dsl_a, "/home/"),
        ("staff home", world.staff, "/home/"),
        ("funder home", world.funder, "/home/"),
        ("employer figures", contact.user, f"/community/employers/{contact.employer_id}/"),
        ("impact, staff", world.staff, "/impact/"),
        ("impact, coordinator", world.coordinator_a, "/impact/"),
        ("impact, funder", world.funder, "/impact/"),
        ("relationship page", world.mentor, f"/relationships/{world.relationship_under_16.pk}/"),
        ("session log form", world.mentor, f"/sessions/{to_log.pk}/log/"),
        ("matching round", world.staff, f"/matching/rounds/{matching_round.pk}/"),
        ("mentee list", world.staff, "/people/mentees/"),
        ("mentor list", world.staff, "/people/mentors/"),
        ("monitoring", world.coordinator_a, "/monitoring/"),
        ("relationship list", world.staff, "/relationships/"),
        ("relationship list, coordinator", world.coordinator_a, "/relationships/"),
        ("application list", world.staff, "/recruitment/applications/"),
        ("concern list", world.dsl_a, "/safeguarding/concerns/"),
        ("audit log", world.staff, "/account/audit/"),
    ]


def _grow(world, count):
    """`count` more of everything the pages list or count, at partner A and for the world's pair."""
    now = timezone.now()
    for _ in range(count):
        mentor = MentorProfileFactory().user
        mentee = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
        relationship = RelationshipFactory(mentor=mentor, mentee=mentee, cohort=world.cohort_a)
        SessionLogFactory(session=MentoringSessionFactory(relationship=relationship, status="held"))
        MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=3))
        GoalFactory(relationship=relationship)
        SupportCheckIn.objects.create(relationship=relationship, due_on=timezone.localdate())
        waiting = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
        Proposal.objects.create(
            round=world.matching_round, mentor=mentor, mentee=waiting, cohort=world.cohort_a, score=0.5
        )
        ApplicationFactory(programme=world.programme, status="submitted", submitted_at=now)
        raise_concern(reporter=mentor, young_person=mentee)
        AuditEvent.objects.create(actor=world.staff, action="test.viewed", summary="Viewed")
        SessionLogFactory(
            session=MentoringSessionFactory(relationship=world.relationship_under_16, status="held")
        )
        GoalFactory(relationship=world.relationship_under_16)


def _measure(client, pages) -> dict[str, int]:
    counts = {}
    for label, user, path in pages:
        cache.clear()  # computed, as on a first visit (the audit log keeps its list of actions there)
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, f"{label} ({path}) answered {response.status_code}"
        counts[label] = len(captured)
    return counts


def test_every_benchmarked_page_uses_the_same_queries_at_any_size(world, client, pages):
    _grow(world, 2)
    small = _measure(client, pages)
    _grow(world, 6)
    large = _measure(client, pages)
    assert {label: count for label, count in large.items() if count > OWN_CEILINGS.get(label, CEILING)} == {}
    assert large == small
