"""`PreparedQuery(..., daily=True)`: a query for a person may have dates worked out from today built in
(the policy's birthday cut-offs); it is compiled again on the next day, and a time is still refused."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import birthdate_cutoff
from core.prepared import PreparedQuery
from mentoring.models import Relationship

pytestmark = pytest.mark.django_db


def _adult_pairs(built):
    return PreparedQuery(
        lambda slots: (
            built.append(1)
            or Relationship.objects.filter(
                mentor=slots.person("user"), mentee__mentee_profile__date_of_birth__lte=birthdate_cutoff(18)
            ).values("pk")
        ),
        daily=True,
    )


def test_a_daily_query_keeps_todays_dates_for_today_only(world, monkeypatch):
    built = []
    adults = _adult_pairs(built)
    assert {row["pk"] for row in adults.rows(user=world.mentor)} == {world.relationship_over_18.pk}
    assert {row["pk"] for row in adults.rows(user=world.mentor)} == {world.relationship_over_18.pk}
    assert len(built) == 1
    # Five years on, the young person who is 14 today is an adult: the query is compiled for that day.
    later = timezone.localdate() + datetime.timedelta(days=5 * 366)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert {row["pk"] for row in adults.rows(user=world.mentor)} == {
        world.relationship_under_16.pk,
        world.relationship_over_18.pk,
    }
    assert len(built) == 2


def test_without_daily_the_date_is_refused(world):
    with pytest.raises(ValueError, match="dates and times as slots"):
        PreparedQuery(_adult_pairs([]).build).rows(user=world.mentor)


def test_a_time_worked_out_while_building_a_daily_query_is_refused(world):
    created = PreparedQuery(
        lambda slots: Relationship.objects.filter(
            mentor=slots.person("user"), created_at__lte=timezone.now()
        ).values("pk"),
        daily=True,
    )
    with pytest.raises(ValueError, match="dates and times as slots"):
        created.rows(user=world.mentor)
