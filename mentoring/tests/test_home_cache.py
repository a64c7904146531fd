"""The mentor's and coordinator's home pages come from the cache, and show every change at once.

Writes bump versions when their transaction commits, so each change is made inside
`django_capture_on_commit_callbacks(execute=True)`, as a committed request would.
"""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory
from core import home_cache
from core.home_cache import CSRF_PLACEHOLDER
from core.models import AuditEvent
from mentoring.models import Goal, Relationship
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory, RelationshipFactory
from safeguarding.models import MentorSuspension
from safeguarding.oversight import mentor_suspension_request
from safeguarding.services import message_send

pytestmark = pytest.mark.django_db

# A repeat visit: the session and the signed-in person; roles and content come from the cache.
REPEAT_VISIT_QUERIES = 2


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["mentor", "coordinator_a"])
def test_a_repeat_visit_is_served_from_the_cache(world, client, django_assert_num_queries, persona):
    user = getattr(world, persona)
    first = _home(client, user)
    with django_assert_num_queries(REPEAT_VISIT_QUERIES):
        again = client.get(reverse("home")).content.decode()
    assert again.count("<h1") == 1
    # The same content, around a freshly rendered page (its CSRF token differs per visit).
    assert first.split('<main id="main"')[1] == again.split('<main id="main"')[1]
    assert CSRF_PLACEHOLDER not in again


def test_each_person_sees_only_their_own_cached_page(world, client):
    assert "Hello, Mo" in _home(client, world.mentor)
    page = _home(client, world.other_mentor)
    assert "Hello, Olu" in page
    assert "Yasmin" not in page  # Mo's mentee
    assert "Bea" in page


def test_a_new_goal_shows_on_the_mentors_cached_home(world, client, django_capture_on_commit_callbacks):
    assert "Write a first CV" not in _home(client, world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        GoalFactory(relationship=world.relationship_under_16, title="Write a first CV")
    assert "Write a first CV" in _home(client, world.mentor)


def test_a_changed_mentee_name_shows_on_the_mentors_cached_home(
    world, client, django_capture_on_commit_callbacks
):
    assert "Yasmin" in _home(client, world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        world.mentee_under_16.first_name = "Yas"
        world.mentee_under_16.save()
    page = _home(client, world.mentor)
    assert "Yasmin" not in page and "Yas<" in page


def test_a_paused_relationship_shows_on_the_mentors_cached_home(
    world, client, django_capture_on_commit_callbacks
):
    """Suspending a mentor pauses their relationships with a bulk update, which sends no signals."""
    assert "Paused" not in _home(client, world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        mentor_suspension_request(
            mentor=world.mentor,
            actor=world.staff,
            action=MentorSuspension.Action.SUSPEND,
            ground=MentorSuspension.Ground.choices[0][0],
            reason="Checking a report",
        )
    assert Relationship.objects.filter(mentor=world.mentor, status="paused").count() == 2
    assert "Paused" in _home(client, world.mentor)


def test_a_held_message_shows_on_the_coordinators_cached_home(
    world, client, django_capture_on_commit_callbacks
):
    assert "Messages held for your review" not in _home(client, world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(
            relationship=world.relationship_under_16, sender=world.mentor, body="Text me on 07700 900123"
        )
    assert "Messages held for your review" in _home(client, world.coordinator_a)
    # Partner B's coordinator oversees none of it.
    assert "Messages held for your review" not in _home(client, world.coordinator_b)


def test_new_mentees_and_matches_change_the_coordinators_counts(
    world, client, django_capture_on_commit_callbacks
):
    def waiting(page):
        return page.split("mentees waiting for a match")[0].rsplit('<span class="stat">', 1)[1]

    assert waiting(_home(client, world.coordinator_a)).startswith("0<")
    with django_capture_on_commit_callbacks(execute=True):
        mentee = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
    assert waiting(_home(client, world.coordinator_a)).startswith("1<")
    with django_capture_on_commit_callbacks(execute=True):
        RelationshipFactory(mentor=MentorProfileFactory().user, mentee=mentee, cohort=world.cohort_a)
    assert waiting(_home(client, world.coordinator_a)).startswith("0<")


def test_a_removed_role_takes_effect_on_the_next_visit(world, client, django_capture_on_commit_callbacks):
    """Roles are kept with the cached page; losing one must not leave its page (or its data) behind."""
    assert "Coordinator home" in _home(client, world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        RoleAssignment.objects.get(user=world.coordinator_a, role=Role.COORDINATOR).delete()
    page = _home(client, world.coordinator_a)
    assert "Coordinator home" not in page
    assert "Alder Park School" not in page


def test_the_relationship_list_changes_when_a_session_is_scheduled(
    world, client, django_capture_on_commit_callbacks
):
    _home(client, world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        MentoringSessionFactory(
            relationship=world.relationship_over_18, starts_at=timezone.now() - datetime.timedelta(days=2)
        )
    assert "Sessions to log" in _home(client, world.mentor)


def test_writes_no_home_page_shows_leave_the_cache_alone(world, client, django_capture_on_commit_callbacks):
    _home(client, world.mentor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        AuditEvent.objects.create(actor=world.staff, action="test.read", summary="A read")
    assert callbacks == []


def test_young_mentees_contact_details_never_reach_the_mentors_cached_home(world, client):
    for _visit in range(2):
        page = _home(client, world.mentor)
        assert "07700 900001" not in page
        assert "young.mentee@example.org" not in page


def test_a_waiting_message_is_shown_once_around_the_cached_content(world, client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    _home(client, world.mentor)
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Your goal was saved.")])
    page = client.get(reverse("home")).content.decode()
    assert "Your goal was saved." in page and "Hello, Mo" in page
    assert CSRF_PLACEHOLDER not in page
    assert "Your goal was saved." not in client.get(reverse("home")).content.decode()


def test_a_mentee_moving_partner_leaves_the_old_partners_page_too(
    world, client, django_capture_on_commit_callbacks
):
    """The old partner's coordinator sees the mentee go, although the row now names only the new one."""

    def waiting(page):
        return page.split("mentees waiting for a match")[0].rsplit('<span class="stat">', 1)[1]

    with django_capture_on_commit_callbacks(execute=True):
        profile = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a)
    assert waiting(_home(client, world.coordinator_a)).startswith("1<")
    with django_capture_on_commit_callbacks(execute=True):
        profile.youth_partner, profile.cohort = world.partner_b, world.cohort_b
        profile.save()
    assert waiting(_home(client, world.coordinator_a)).startswith("0<")


def test_every_model_of_the_project_is_watched_so_a_new_one_cannot_be_missed():
    root = Path(settings.BASE_DIR).resolve()
    project_models = {
        model
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root) and ".venv" not in Path(config.path).parts
        for model in config.get_models()
    }
    assert project_models - home_cache._watched == set()


def test_a_bulk_update_no_service_declared_still_shows_on_the_cached_home(
    world, client, django_capture_on_commit_callbacks
):
    goal = GoalFactory(relationship=world.relationship_under_16, title="Write a first CV")
    assert "Write a first CV" in _home(client, world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        Goal.objects.filter(pk=goal.pk).update(title="Visit a college open day")  # no signals
    page = _home(client, world.mentor)
    assert "Visit a college open day" in page and "Write a first CV" not in page


def test_a_bulk_create_no_service_declared_still_shows_on_the_cached_home(
    world, client, django_capture_on_commit_callbacks
):
    assert "Practise an interview" not in _home(client, world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        Goal.objects.bulk_create(
            [
                Goal(
                    relationship=world.relationship_under_16,
                    title="Practise an interview",
                    status="in_progress",
                )
            ]
        )
    assert "Practise an interview" in _home(client, world.mentor)
