import pytest
from django.urls import reverse

from accounts.models import MenteeProfile
from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory
from core.models import AuditEvent
from mentoring.models import Programme, YouthPartner

from .factories import CohortFactory, RelationshipFactory, YouthPartnerFactory


def test_staff_create_a_programme_and_see_it(world, client):
    client.force_login(world.staff)
    response = client.post(
        reverse("mentoring:programme_create"),
        {
            "name": "Museum Futures",
            "summary": "Six months with a museum professional.",
            "relationship_months": 6,
            "session_cadence": "six_weekly",
            "session_minutes": 90,
            "mentee_min_age": 18,
            "mentee_max_age": 99,
            "delivery_format": "hybrid",
            "matching_mode": "both",
            "contact_email": "museums@example.org",
            "is_active": "on",
        },
    )
    programme = Programme.objects.get(name="Museum Futures")
    assert response["Location"] == programme.get_absolute_url()
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Every six weeks, 90 minutes each" in page
    assert AuditEvent.objects.filter(action="programme.create", target_id=str(programme.pk)).exists()


def test_programme_with_ages_the_wrong_way_round_is_refused(world, client):
    client.force_login(world.staff)
    response = client.post(
        reverse("mentoring:programme_edit", args=[world.programme.pk]),
        {
            "name": world.programme.name,
            "relationship_months": 12,
            "session_cadence": "monthly",
            "session_minutes": 60,
            "mentee_min_age": 19,
            "mentee_max_age": 16,
            "delivery_format": "hybrid",
            "matching_mode": "coordinator",
        },
    )
    assert response.status_code == 200
    assert "must not be below the youngest age" in response.content.decode()
    world.programme.refresh_from_db()
    assert world.programme.mentee_min_age == 14


def test_coordinator_edits_their_partner_but_not_its_name_to_a_duplicate(world, client):
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("mentoring:partner_edit", args=[world.partner_a.pk]),
        {"name": "Birchwood College", "kind": "school", "region": "greater_manchester"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert YouthPartner.objects.get(pk=world.partner_a.pk).name == "Alder Park School"


def test_mentee_list_filters_and_searches(world, client):
    client.force_login(world.coordinator_a)
    page = client.get(reverse("mentoring:mentee_list"), {"age_band": "under_16"}).content.decode()
    assert "Yasmin" in page and "Aaron" not in page
    page = client.get(reverse("mentoring:mentee_list"), {"q": "aaron"}).content.decode()
    assert "Aaron" in page and "Yasmin" not in page
    # Partner B's mentee never appears, even when asked for by filter.
    page = client.get(
        reverse("mentoring:mentee_list"), {"youth_partner": world.partner_b.pk}
    ).content.decode()
    assert "Bea" not in page


def test_coordinator_corrects_a_mentees_date_of_birth(world, client):
    client.force_login(world.coordinator_a)
    profile = world.mentee_under_16.mentee_profile
    response = client.post(
        reverse("accounts:mentee_edit", args=[world.mentee_under_16.pk]),
        {
            "name-first_name": "Yasmin",
            "name-last_name": "Khan",
            "profile-date_of_birth": "2011-03-04",
            "profile-youth_partner": world.partner_a.pk,
            "profile-cohort": world.cohort_a.pk,
            "profile-stage": "secondary",
            "profile-region": "greater_manchester",
            "profile-gender": "female",
            "profile-phone": "07700 900001",
            "profile-address": "",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert str(profile.date_of_birth) == "2011-03-04"
    assert AuditEvent.objects.filter(action="person.update", target_id=str(world.mentee_under_16.pk)).exists()


def test_coordinator_cannot_move_a_mentee_to_another_partners_cohort(world, client):
    client.force_login(world.staff)
    response = client.post(
        reverse("accounts:mentee_edit", args=[world.mentee_under_16.pk]),
        {
            "name-first_name": "Yasmin",
            "profile-date_of_birth": "2011-03-04",
            "profile-youth_partner": world.partner_a.pk,
            "profile-cohort": world.cohort_b.pk,
            "profile-stage": "secondary",
            "profile-region": "greater_manchester",
            "profile-gender": "female",
        },
    )
    assert response.status_code == 200
    assert "own youth partner" in response.content.decode()
    assert MenteeProfile.objects.get(user=world.mentee_under_16).cohort == world.cohort_a


def test_profile_edit_with_a_bad_phone_changes_nothing(world, client):
    client.force_login(world.mentor)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "name-first_name": "Maurice",
            "profile-bio": "New bio",
            "profile-background": "employed",
            "profile-region": "west_midlands",
            "profile-phone": "call me maybe",
            "profile-gender": "male",
            "profile-capacity": 1,
        },
    )
    assert response.status_code == 200
    assert "Enter a phone number" in response.content.decode()
    world.mentor.refresh_from_db()
    assert world.mentor.first_name == "Mo"
    assert world.mentor.mentor_profile.bio != "New bio"


def test_staff_give_and_remove_a_role_and_both_are_audited(world, client):
    client.force_login(world.staff)
    url = reverse("accounts:person_roles", args=[world.mentor.pk])
    response = client.post(url, {"role": "coordinator", "youth_partner": world.partner_b.pk})
    assert response.status_code == 302
    assignment = world.mentor.role_assignments.get(role="coordinator")
    duplicate = client.post(url, {"role": "coordinator", "youth_partner": world.partner_b.pk})
    assert "already holds that role" in duplicate.content.decode()
    client.post(reverse("accounts:role_revoke", args=[assignment.pk]))
    assert not world.mentor.role_assignments.filter(role="coordinator").exists()
    actions = list(AuditEvent.objects.filter(target_id=str(world.mentor.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["role.assign", "role.revoke"]


def test_coordinator_role_without_a_partner_is_refused(world, client):
    client.force_login(world.staff)
    response = client.post(reverse("accounts:person_roles", args=[world.mentor.pk]), {"role": "coordinator"})
    assert response.status_code == 200
    assert "A coordinator works at a youth partner" in response.content.decode()


def test_funder_home_suppresses_small_groups(world, client):
    client.force_login(world.funder)
    page = client.get(reverse("home")).content.decode()
    assert "fewer than 5" in page
    assert "Yasmin" not in page


def test_each_role_lands_on_its_own_home_page(world, client):
    headings = {
        "mentor": "Hello, Mo",
        "mentee_under_16": "Hi Yasmin",
        "coordinator_a": "Coordinator home",
        "dsl_a": "Safeguarding home",
        "staff": "Programme team home",
        "funder": "Programme overview",
    }
    for persona, heading in headings.items():
        client.force_login(getattr(world, persona))
        assert heading in client.get(reverse("home")).content.decode(), persona


def _grow(world, count):
    for _ in range(count):
        mentee = MenteeProfileFactory(youth_partner=world.partner_a, cohort=world.cohort_a).user
        mentor = MentorProfileFactory().user
        RelationshipFactory(mentor=mentor, mentee=mentee, cohort=world.cohort_a)
        CohortFactory(youth_partner=world.partner_a, programme=world.programme)
        YouthPartnerFactory()


@pytest.mark.parametrize(
    "persona,url_name",
    [
        ("coordinator_a", "home"),
        ("dsl_a", "home"),
        ("staff", "home"),
        ("funder", "home"),
        ("mentor", "home"),
        ("mentee_under_16", "home"),
        ("coordinator_a", "mentoring:mentee_list"),
        ("coordinator_a", "mentoring:mentor_list"),
        ("staff", "mentoring:partner_list"),
        ("staff", "mentoring:programme_list"),
        ("staff", "accounts:audit_log"),
    ],
)
def test_pages_use_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries, persona, url_name
):
    client.force_login(getattr(world, persona))
    url = reverse(url_name)
    _grow(world, 3)
    client.get(url)  # warm caches such as the session and site
    # Sign-in, roles and navigation, then a few queries for each app's home panels.
    with django_assert_max_num_queries(26) as small:
        client.get(url)
    _grow(world, 30)
    # More data must not mean more queries: the same ceiling as the small case.
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_coordinator_home_counts_mentees_and_cohorts_once_each(world, client):
    CohortFactory(youth_partner=world.partner_a, programme=world.programme)
    CohortFactory(youth_partner=world.partner_a, programme=world.programme)
    client.force_login(world.coordinator_a)
    partner = next(p for p in client.get(reverse("home")).context["partners"] if p.pk == world.partner_a.pk)
    assert (partner.mentee_count, partner.under_16_count, partner.under_18_count) == (2, 1, 1)
    assert partner.cohort_count == 3


def test_mentee_list_shows_who_each_is_matched_with_in_a_bounded_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.coordinator_a)
    client.get(reverse("mentoring:mentee_list"))  # warm the session and caches
    with django_assert_max_num_queries(12):
        page = client.get(reverse("mentoring:mentee_list")).text
    assert '<th scope="col">Matched with</th>' in page
    relationship_url = reverse("mentoring:relationship_detail", args=[world.relationship_under_16.pk])
    assert f'<a href="{relationship_url}">{world.mentor.get_full_name()}</a>' in page
