"""Under-18 contact details never reach a mentor, through any door the foundation has."""

import pytest
from django.urls import reverse

from core import policy


def test_policy_hides_under_18_contact_from_their_own_mentor(world):
    assert not policy.can(world.mentor, "view_contact", world.mentee_under_16)


def test_policy_hides_adult_contact_until_they_agree(world):
    assert not policy.can(world.mentor, "view_contact", world.mentee_over_18)
    profile = world.mentee_over_18.mentee_profile
    profile.shares_contact_with_mentor = True
    profile.save()
    assert policy.can(world.mentor, "view_contact", world.mentee_over_18)


def test_agreement_recorded_while_under_18_does_not_expose_contact(world):
    profile = world.mentee_under_16.mentee_profile
    profile.shares_contact_with_mentor = True
    profile.save()
    assert not policy.can(world.mentor, "view_contact", world.mentee_under_16)


def test_coordinator_and_dsl_see_contact_details_of_their_mentees(world):
    assert policy.can(world.coordinator_a, "view_contact", world.mentee_under_16)
    assert policy.can(world.dsl_a, "view_contact", world.mentee_under_16)
    assert not policy.can(world.coordinator_b, "view_contact", world.mentee_under_16)


SECRETS = ("young.mentee@example.org", "07700 900001", "Example Street")


@pytest.mark.parametrize(
    "url_name,kwargs",
    [
        ("home", None),
        ("mentoring:mentee_detail", "mentee"),
        ("mentoring:relationship_detail", "relationship"),
        ("api:mentee-list", None),
        ("api:mentee-detail", "mentee"),
        ("api:relationship-list", None),
        ("api:relationship-detail", "relationship"),
    ],
)
def test_no_page_or_endpoint_shows_a_mentor_their_under_18_mentees_contact_details(
    url_name, kwargs, world, client
):
    client.force_login(world.mentor)
    args = {
        None: None,
        "mentee": {"pk": world.mentee_under_16.pk},
        "relationship": {"pk": world.relationship_under_16.pk},
    }[kwargs]
    response = client.get(reverse(url_name, kwargs=args))
    assert response.status_code == 200
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body, f"{secret} leaked on {url_name}"
    if url_name == "mentoring:mentee_detail":
        assert "Yasmin" in body  # the page itself is shown, just without contact details


def test_api_gives_coordinator_contact_details(world, client):
    client.force_login(world.coordinator_a)
    data = client.get(reverse("api:mentee-detail", kwargs={"pk": world.mentee_under_16.pk})).json()
    assert data["email"] == "young.mentee@example.org"
    assert data["phone"] == "07700 900001"
