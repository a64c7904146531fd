"""Reading the pool from the database: recruitment's vocabulary mapped onto the engine's."""

import datetime

from django.utils import timezone

from accounts.models import DiversityAnswers
from matching import taxonomy
from matching.models import MatchingRound
from matching.records_db import (
    INDUSTRY_CODES,
    INTEREST_CODES,
    SUPPORT_CODES,
    load_pool,
    normalise_organisation,
)
from matching.tests import people
from mentoring.models import Relationship
from mentoring.tests.factories import RelationshipFactory
from recruitment.models import Industry, Interest, SupportArea


def test_every_stored_kind_of_support_industry_and_interest_has_a_mapping(db):
    assert set(SUPPORT_CODES) == set(SupportArea.values)
    assert set(INDUSTRY_CODES) == set(Industry.objects.values_list("slug", flat=True))
    known = {code for code, _label in taxonomy.SUPPORT + taxonomy.INDUSTRIES + taxonomy.INTERESTS}
    for mapping in (SUPPORT_CODES, INDUSTRY_CODES, INTEREST_CODES):
        assert {code for codes in mapping.values() for code in codes} <= known
    # Faith is special category data: an interest in it never feeds a match.
    assert "faith-and-community" in set(Interest.objects.values_list("slug", flat=True))
    assert "faith-and-community" not in INTEREST_CODES


def test_a_mentee_record_carries_needs_first_and_nothing_special(world):
    mentee = people.mentee(
        world.cohort_a,
        "Ria",
        support=["cv_and_interviews", "careers_guidance"],
        industries=["law"],
        interests=["music", "faith-and-community"],
        pairing="either",
    )
    DiversityAnswers.objects.create(
        user=mentee, ethnicity="black", disability="yes", consented_at=timezone.now()
    )
    pool = load_pool(programme=world.programme, scope=MatchingRound.Scope.COHORT, cohort_id=world.cohort_a.pk)
    [record] = [record for record in pool.mentees if record.id == mentee.pk]
    assert list(record.needs) == ["cv_applications", "interview_practice", "career_options"]
    assert list(record.industries) == ["law"] and list(record.interests) == ["music"]
    assert record.accepts_one_to_two and not record.prefers_one_to_two
    assert record.organisation == normalise_organisation(world.partner_a.name)


def test_the_pool_leaves_out_matched_mentees_and_those_waiting_to_be_rematched(world):
    waiting = people.mentee(world.cohort_a, "Sky")
    RelationshipFactory(
        mentor=world.other_mentor,
        mentee=waiting,
        cohort=world.cohort_a,
        status=Relationship.Status.ENDED_EARLY,
        rematch_available_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    free = people.mentee(world.cohort_a, "Tay")
    pool = load_pool(programme=world.programme, scope=MatchingRound.Scope.COHORT, cohort_id=world.cohort_a.pk)
    ids = {record.id for record in pool.mentees}
    assert free.pk in ids
    assert waiting.pk not in ids
    assert world.mentee_over_18.pk not in ids  # already in an open relationship


def test_organisation_names_are_compared_loosely():
    assert normalise_organisation("St. Mary's School Ltd") == normalise_organisation("st marys school")
    assert normalise_organisation("") is None
