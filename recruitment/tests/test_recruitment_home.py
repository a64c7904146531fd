from django.urls import reverse

from accounts.tests.factories import ApplicationFactory
from recruitment.models import Application


def test_approved_mentor_sees_their_status_on_the_home_page(world, client, django_assert_max_num_queries):
    ApplicationFactory(user=world.other_mentor, programme=world.programme, status=Application.Status.APPROVED)
    world.relationship_b.status = "completed"
    world.relationship_b.save()
    client.force_login(world.other_mentor)
    # The mentor home page's ceiling (mentoring/tests/test_home_pages.py), on a first visit.
    with django_assert_max_num_queries(36):
        page = client.get(reverse("home"))
    assert "approved and waiting for a match" in page.content.decode()


def test_matched_mentor_is_not_told_they_are_waiting(world, client):
    ApplicationFactory(user=world.mentor, programme=world.programme, status=Application.Status.APPROVED)
    client.force_login(world.mentor)
    assert "waiting for a match" not in client.get(reverse("home")).content.decode()


def test_under_16_without_consent_is_told_a_parent_must_agree(world, client, django_assert_max_num_queries):
    client.force_login(world.mentee_under_16)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("home"))
    assert "a parent or carer needs to say yes" in page.content.decode()


def test_coordinator_home_links_to_imports(world, client, django_assert_max_num_queries):
    client.force_login(world.coordinator_a)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("home"))
    assert reverse("recruitment:import_list") in page.content.decode()
