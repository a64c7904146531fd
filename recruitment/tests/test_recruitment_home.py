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


def test_whether_a_mentor_is_busy_comes_from_the_relationships_the_home_read(world, client):
    """The panel tells from the mentor's relationships as the home read them (mentoring's `of_request`)
    what a query of their open relationships tells, whatever their relationships' statuses; and the
    home of an approved mentor reads their relationships once."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from mentoring.models import Relationship
    from recruitment import selectors

    for status in (*Relationship.Status.values, None):
        if status is not None:
            Relationship.objects.filter(mentor=world.other_mentor).update(status=status)
        for person in (world.mentor, world.other_mentor, world.staff):
            request = RequestFactory().get("/")
            request.user = person
            expected = person.mentor_relationships.filter(
                status__in=selectors.OPEN_RELATIONSHIP_STATUSES
            ).exists()
            assert selectors.signed_in_mentor_is_busy(request) is expected, (status, person)
    assert set(selectors.OPEN_RELATIONSHIP_STATUSES) == set(Relationship.OPEN_STATUSES)
    ApplicationFactory(user=world.mentor, programme=world.programme, status=Application.Status.APPROVED)
    client.force_login(world.mentor)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("home")).content.decode()
    assert "Status: Approved." in page
    tables_read = [query["sql"].split("WHERE")[0] for query in captured]
    reads = [tables for tables in tables_read if '"mentoring_relationship"' in tables]
    assert len(reads) == 1, reads
