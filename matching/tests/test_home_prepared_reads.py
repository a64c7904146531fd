"""The mentor's opportunities panel reads, compiled once per process (core.prepared), give what the
querysets give for each person."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from matching import selectors
from matching.models import InterestExpression, Opportunity, Proposal

pytestmark = pytest.mark.django_db

PEOPLE = ("staff", "coordinator_a", "coordinator_b", "mentor", "other_mentor", "mentee_under_16", "funder")


def test_open_opportunities_counted_and_latest_requests_are_the_querysets(world):
    opportunities = [
        Opportunity.objects.create(cohort=cohort, title=f"Opportunity {index}", status=status)
        for index, (cohort, status) in enumerate(
            [
                (world.cohort_a, Opportunity.Status.OPEN),
                (world.cohort_a, Opportunity.Status.OPEN),
                (world.cohort_b, Opportunity.Status.OPEN),
                (world.cohort_b, Opportunity.Status.CLOSED),
            ]
        )
    ]
    statuses = ["pending", "rejected", "expired", "accepted"]
    for opportunity, status in zip(opportunities, statuses, strict=True):
        InterestExpression.objects.create(
            opportunity=opportunity,
            mentor=world.mentor,
            status=status,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
    for name in PEOPLE:
        person = getattr(world, name)
        assert (
            selectors.open_opportunities_count(user=person)
            == selectors.open_opportunities(user=person).count()
        )
        expected = list(selectors.interests_of_mentor(user=person)[:3])
        rows = selectors.latest_interests_of_mentor(user=person)
        assert [(r.pk, r.status, r.opportunity.title) for r in rows] == [
            (r.pk, r.status, r.opportunity.title) for r in expected
        ]
    assert selectors.open_opportunities_count(user=world.mentor) == 3


def test_proposals_and_requests_awaiting_counted_are_the_querysets(world):
    """The coordinator's matching panel counts, compiled once per process: each person's count is the
    policy-scoped queryset's, for proposals at either partner and requests pending, answered or past
    their expiry."""
    now = timezone.now()
    for mentee, cohort, status in (
        (world.mentee_under_16, world.cohort_a, Proposal.Status.PROPOSED),
        (world.mentee_over_18, world.cohort_a, Proposal.Status.REJECTED),
        (world.mentee_b, world.cohort_b, Proposal.Status.PROPOSED),
    ):
        Proposal.objects.create(
            mentor=world.other_mentor, mentee=mentee, cohort=cohort, score=50, status=status, reason="Too far"
        )
    opportunity_a = Opportunity.objects.create(
        cohort=world.cohort_a, title="A", status=Opportunity.Status.OPEN
    )
    opportunity_b = Opportunity.objects.create(
        cohort=world.cohort_b, title="B", status=Opportunity.Status.OPEN
    )
    # One pending request per mentor: four mentors.
    for opportunity, status, expires_at in (
        (opportunity_a, InterestExpression.Status.PENDING, now + datetime.timedelta(days=3)),
        (opportunity_a, InterestExpression.Status.PENDING, now - datetime.timedelta(minutes=1)),
        (opportunity_b, InterestExpression.Status.PENDING, now + datetime.timedelta(days=3)),
        (opportunity_b, InterestExpression.Status.ACCEPTED, now + datetime.timedelta(days=3)),
    ):
        InterestExpression.objects.create(
            opportunity=opportunity, mentor=UserFactory(), status=status, expires_at=expires_at
        )
    for name in (*PEOPLE, "coordinator_b", "dsl_a"):
        person = getattr(world, name)
        assert (
            selectors.proposals_awaiting_count(user=person)
            == selectors.proposals_awaiting(user=person).count()
        )
        assert (
            selectors.interests_awaiting_count(user=person)
            == selectors.interests_awaiting(user=person).count()
        )
    assert selectors.proposals_awaiting_count(user=world.coordinator_a) == 1
    assert selectors.interests_awaiting_count(user=world.coordinator_a) == 1
    assert selectors.interests_awaiting_count(user=world.staff) == 2
