"""The mentor's opportunities panel reads, compiled once per process (core.prepared), give what the
querysets give for each person."""

import datetime

import pytest
from django.utils import timezone

from matching import selectors
from matching.models import InterestExpression, Opportunity

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
