"""The pool of benchmarks/matching_round.py and of the chaos script's round, written with bulk_create,
is the pool the factories (matching/tests/people.py) make one person at a time: the round reads the
same people from it and proposes the same pairs."""

import dataclasses

import pytest
from django.db import transaction

from accounts.models import Role, User
from accounts.tests.factories import RoleAssignmentFactory, UserFactory
from benchmarks import matching_round as bench
from matching import services
from matching.models import MatchingRound, UnmatchedOutcome
from matching.records_db import load_pool
from matching.tests import people
from mentoring.models import CohortMentees
from mentoring.tests.factories import CohortFactory
from recruitment.models import Application

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow_ok(reason="builds 68 people through the factories and runs two rounds"),
]

MENTEES, MENTORS, SEED = 40, 28, 3


def build_with_factories(mentee_count: int, mentor_count: int, seed: int):
    mentors, mentees = bench.people_for(mentee_count, mentor_count, seed)
    cohort = CohortFactory()
    for person in mentors:
        user = people.mentor(
            cohort.programme,
            person.first_name,
            support=person.support,
            industries=person.industries,
            interests=person.interests,
            capacity=person.capacity,
            open_to_one_to_two=person.open_to_one_to_two,
        )
        Application.objects.filter(user=user).update(
            available_days=list(person.days), available_times=list(person.times)
        )
    for person in mentees:
        user = people.mentee(
            cohort,
            person.first_name,
            age=person.age,
            support=person.support,
            industries=person.industries,
            interests=person.interests,
            pairing=person.pairing,
            parental_consent=person.age < 16,
        )
        Application.objects.filter(user=user).update(
            available_days=list(person.days), available_times=list(person.times)
        )
    return cohort


def round_over(build, staff, capture):
    """What a round over the built pool reads and decides, by first name, then undone."""
    with transaction.atomic():
        cohort = build(MENTEES, MENTORS, SEED)
        names = dict(User.objects.values_list("pk", "first_name"))
        pool = load_pool(programme=cohort.programme, scope=MatchingRound.Scope.COHORT, cohort_id=cohort.pk)
        # One youth partner, named by a factory sequence: compared as "the partner".
        [partner] = {record.organisation for record in pool.mentees}

        def plain(record):
            return dataclasses.replace(
                record,
                id=names[record.id],
                organisation="the partner" if record.organisation == partner else record.organisation,
                conflicts=tuple(names[pk] for pk in record.conflicts),
            )

        with capture(execute=True):
            matching_round = services.round_start(
                actor=staff, programme=cohort.programme, scope=MatchingRound.Scope.COHORT, cohort=cohort
            )
        matching_round.refresh_from_db()
        result = {
            "mentees": [plain(record) for record in pool.mentees],
            "mentors": [plain(record) for record in pool.mentors],
            "problems": pool.problems,
            "status": matching_round.status,
            "proposals": sorted(
                (proposal.mentee.first_name, proposal.mentor.first_name, proposal.score)
                for proposal in matching_round.proposals.select_related("mentee", "mentor")
            ),
            "unmatched": sorted(
                (outcome.person.first_name, outcome.side, outcome.reason_code)
                for outcome in UnmatchedOutcome.objects.filter(round=matching_round).select_related("person")
            ),
            # The round's figures, less the CPU time its pricing took (measured, so never the same twice).
            "quality": {
                key: value for key, value in matching_round.quality.items() if key != "pricing_seconds"
            },
            "young_people_counted": list(
                CohortMentees.objects.filter(cohort=cohort).values_list("region", "mentees")
            ),
        }
        transaction.set_rollback(True)
    return result


def test_the_bulk_built_pool_gives_the_round_of_the_factory_built_one(django_capture_on_commit_callbacks):
    staff = UserFactory()
    RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)

    by_factories = round_over(build_with_factories, staff, django_capture_on_commit_callbacks)
    in_bulk = round_over(bench.build, staff, django_capture_on_commit_callbacks)

    assert by_factories["status"] == MatchingRound.Status.DONE
    assert len(by_factories["mentees"]) == MENTEES and len(by_factories["mentors"]) == MENTORS
    # Some of each kind: under-16s with consent, one and two places, pairs proposed and people left.
    assert any(record.parental_consent for record in by_factories["mentees"])
    assert {record.capacity for record in by_factories["mentors"]} == {1, 2}
    assert by_factories["proposals"] and by_factories["unmatched"]
    assert by_factories["young_people_counted"] == [("greater_manchester", MENTEES)]
    for key, value in by_factories.items():
        assert in_bulk[key] == value, key
