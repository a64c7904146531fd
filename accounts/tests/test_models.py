import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import MenteeProfile, Role, RoleAssignment, User, age_on, birthdate_cutoff

from .factories import MenteeProfileFactory, UserFactory, date_of_birth_for_age


def test_email_is_the_login_and_is_stored_lower_case(db):
    user = User.objects.create_user(email="  Asha.Patel@Example.ORG ", password="x" * 12)
    assert user.email == "asha.patel@example.org"
    assert User.objects.get_by_natural_key("ASHA.PATEL@example.org") == user


def test_email_is_unique_whatever_its_case(db):
    User.objects.create_user(email="sam@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="SAM@example.org")


@pytest.mark.parametrize(
    "born,on,age",
    [
        (datetime.date(2010, 5, 1), datetime.date(2026, 4, 30), 15),
        (datetime.date(2010, 5, 1), datetime.date(2026, 5, 1), 16),
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), 17),
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), 18),
    ],
)
def test_age_counts_whole_years_including_leap_day_birthdays(born, on, age):
    assert age_on(born, on) == age


def test_under_16_and_under_18_are_derived_from_date_of_birth(db):
    fifteen = MenteeProfileFactory(age=15)
    seventeen = MenteeProfileFactory(age=17)
    eighteen_today = MenteeProfileFactory(date_of_birth=date_of_birth_for_age(18, days_past_birthday=0))
    assert fifteen.is_under_16 and fifteen.is_under_18
    assert not seventeen.is_under_16 and seventeen.is_under_18
    assert not eighteen_today.is_under_18
    assert eighteen_today.age_band == "18 and over"


def test_birthdate_cutoff_matches_the_age_rule(db):
    today = timezone.localdate()
    cutoff = birthdate_cutoff(18, today)
    assert age_on(cutoff, today) == 18
    assert age_on(cutoff + datetime.timedelta(days=1), today) == 17
    assert birthdate_cutoff(18, datetime.date(2028, 2, 29)) == datetime.date(2010, 2, 28)


def test_date_of_birth_is_stored_once(db):
    field_names = {field.name for field in MenteeProfile._meta.get_fields()}
    assert "date_of_birth" in field_names
    assert not field_names & {"age", "is_under_16", "is_under_18", "age_band"}


def test_a_person_can_coordinate_one_partner_and_be_dsl_at_another(world):
    person = UserFactory()
    RoleAssignment.objects.create(user=person, role=Role.COORDINATOR, youth_partner=world.partner_a)
    RoleAssignment.objects.create(user=person, role=Role.SAFEGUARDING_LEAD, youth_partner=world.partner_b)
    person = User.objects.get(pk=person.pk)
    assert person.coordinated_partner_ids == {world.partner_a.pk}
    assert person.safeguarding_partner_ids == {world.partner_b.pk}
    assert person.primary_role == Role.SAFEGUARDING_LEAD


def test_programme_dsl_covers_every_partner_running_the_programme(world):
    person = UserFactory()
    RoleAssignment.objects.create(user=person, role=Role.SAFEGUARDING_LEAD, programme=world.programme)
    assert User.objects.get(pk=person.pk).safeguarding_partner_ids == {world.partner_a.pk, world.partner_b.pk}


def test_coordinator_role_needs_a_youth_partner(db):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=UserFactory(), role=Role.COORDINATOR)


def test_the_same_role_twice_in_one_place_is_refused(world):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=world.coordinator_a, role=Role.COORDINATOR, youth_partner=world.partner_a
        )


def test_platform_wide_role_cannot_be_given_twice(world):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=world.staff, role=Role.PROGRAMME_STAFF)
