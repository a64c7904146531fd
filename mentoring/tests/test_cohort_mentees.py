"""The young people per cohort and region (CohortMentees), which the funder's programme panel reads,
equal a count of the mentee profiles after every kind of write: profiles created (one by one and by a
partner's import), edited through the profile service and outside it (region and cohort changed, cohort
removed), deleted with their person, a cohort deleted, and profiles written in bulk followed by
`CohortMentees.recount()`; and the funder's panel shows the counts of the profiles."""

import pytest

from accounts.models import MenteeProfile, Region
from accounts.services import user_profile_update
from accounts.tests.factories import MenteeProfileFactory, UserFactory
from mentoring.models import CohortMentees
from mentoring.tests.factories import CohortFactory
from recruitment import services as recruitment_services

pytestmark = pytest.mark.django_db


def _check():
    """The kept rows equal a count of the profiles, cohort by cohort and region by region."""
    kept = {(row.cohort_id, row.region): row.mentees for row in CohortMentees.objects.all()}
    counted = {(cohort_id, region): total for cohort_id, region, total in CohortMentees.counted()}
    assert kept == counted
    assert all(total > 0 for total in kept.values())
    return kept


def test_the_counts_follow_every_write(world):
    cohort, other = CohortFactory(), CohortFactory()
    profiles = [MenteeProfileFactory(cohort=cohort, region=Region.GREATER_MANCHESTER) for _ in range(3)]
    _check()
    assert _check()[(cohort.pk, Region.GREATER_MANCHESTER)] == 3

    moved = profiles[0]
    moved.region = Region.LONDON
    user_profile_update(actor=world.staff, user=moved.user, profile=moved)
    assert _check()[(cohort.pk, Region.LONDON)] == 1

    moved = MenteeProfile.objects.get(pk=profiles[1].pk)
    moved.cohort = other
    moved.save()
    assert _check()[(other.pk, Region.GREATER_MANCHESTER)] == 1

    moved.cohort = None
    moved.save()
    assert (other.pk, Region.GREATER_MANCHESTER) not in _check()

    profiles[2].user.delete()  # the person and their profile
    assert (cohort.pk, Region.GREATER_MANCHESTER) not in _check()

    MenteeProfileFactory(cohort=other, region=Region.WEST_MIDLANDS)
    other.delete()  # its profiles lose their cohort; its rows go with it
    _check()
    assert not CohortMentees.objects.filter(cohort_id=other.pk).exists()


def test_a_partners_import_is_counted(world):
    from recruitment.tests.test_recruitment_imports import GOOD_HEADER, csv_bytes

    content = csv_bytes(
        GOOD_HEADER, "Amir,Khan,amir@example.org,03/04/2011,secondary", "Beth,Ng,beth@example.org,05/06/2011,"
    )
    preview = recruitment_services.mentee_import_preview(
        actor=world.coordinator_a,
        youth_partner=world.partner_a,
        cohort=world.cohort_a,
        filename="mentees.csv",
        content=content,
    )
    before = sum(total for (cohort_id, _region), total in _check().items() if cohort_id == world.cohort_a.pk)
    recruitment_services.mentee_import_commit(actor=world.coordinator_a, mentee_import=preview)
    after = sum(total for (cohort_id, _region), total in _check().items() if cohort_id == world.cohort_a.pk)
    assert after == before + 2


def test_bulk_writes_are_followed_by_a_recount():
    cohort = CohortFactory()
    MenteeProfile.objects.bulk_create(
        [
            MenteeProfile(
                user=UserFactory(),
                date_of_birth="2011-01-01",
                youth_partner=cohort.youth_partner,
                cohort=cohort,
            )
            for _ in range(4)
        ]
    )
    CohortMentees.recount(cohort_ids=[cohort.pk])
    assert _check()[(cohort.pk, Region.GREATER_MANCHESTER)] == 4
    MenteeProfile.objects.filter(cohort=cohort).update(region=Region.LONDON)
    CohortMentees.recount()
    assert _check()[(cohort.pk, Region.LONDON)] == 4


def test_the_funders_panel_shows_the_counts_of_the_profiles(world, client_for):
    world.funder.role_assignments.update(programme=world.programme)
    for _ in range(6):
        MenteeProfileFactory(cohort=world.cohort_a, youth_partner=world.partner_a, region=Region.NORTH_EAST)
    in_programme = MenteeProfile.objects.filter(cohort__programme=world.programme)
    north_east = in_programme.filter(region=Region.NORTH_EAST).count()
    assert north_east >= 6
    page = client_for(world.funder).get("/home/").content.decode()
    assert f"<li>{Region.NORTH_EAST.label}: {north_east}</li>" in page
    assert f"<td>{in_programme.count()}</td>" in page
