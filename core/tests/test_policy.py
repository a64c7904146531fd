import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from core import policy
from mentoring.models import Programme, YouthPartner


def test_every_project_model_has_a_registered_policy():
    from django.apps import apps

    project_apps = {"core", "accounts", "mentoring", "matching", "training", "safeguarding", "evaluation"}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in project_apps and model not in policy._registry
    ]
    assert not missing, f"Models without an access policy: {missing}"


def test_anonymous_and_inactive_users_see_nothing(world):
    assert not policy.scope(None, policy.VIEW, Programme).exists()
    world.staff.is_active = False
    assert not policy.can(world.staff, policy.VIEW, world.programme)
    assert not policy.scope(world.staff, policy.VIEW, Programme).exists()


def test_invisible_object_is_404_and_visible_but_forbidden_is_403(world):
    with pytest.raises(Http404):
        policy.get_object_or_404(world.coordinator_b, policy.VIEW, YouthPartner, pk=world.partner_a.pk)
    with pytest.raises(PermissionDenied):
        policy.get_object_or_404(world.dsl_a, policy.CHANGE, YouthPartner, pk=world.partner_a.pk)
    assert policy.get_object_or_404(world.coordinator_a, policy.CHANGE, YouthPartner, pk=world.partner_a.pk)


def test_missing_and_malformed_ids_are_404(world):
    with pytest.raises(Http404):
        policy.get_object_or_404(world.staff, policy.VIEW, YouthPartner, pk=999999)
    with pytest.raises(Http404):
        policy.get_object_or_404(world.staff, policy.VIEW, YouthPartner, pk="not-a-number")


def test_unregistered_model_is_an_error_not_an_open_door(world):
    from django.contrib.sessions.models import Session

    with pytest.raises(LookupError):
        policy.scope(world.staff, policy.VIEW, Session)


def test_coordinator_sees_only_their_partners_people(world):
    visible = set(policy.scope(world.coordinator_a, policy.VIEW, User).values_list("pk", flat=True))
    assert world.mentee_under_16.pk in visible
    assert world.mentee_over_18.pk in visible
    assert world.mentor.pk in visible  # mentors of their mentees
    assert world.mentee_b.pk not in visible
    assert world.other_mentor.pk not in visible


def test_mentor_sees_only_their_own_mentees(world):
    visible = set(policy.scope(world.mentor, policy.VIEW, User).values_list("pk", flat=True))
    assert visible == {world.mentor.pk, world.mentee_under_16.pk, world.mentee_over_18.pk}


def test_mentee_sees_themselves_and_their_mentor_only(world):
    visible = set(policy.scope(world.mentee_under_16, policy.VIEW, User).values_list("pk", flat=True))
    assert visible == {world.mentee_under_16.pk, world.mentor.pk}


def test_funder_sees_organisations_but_no_people(world):
    assert not policy.scope(world.funder, policy.VIEW, User).exclude(pk=world.funder.pk).exists()
    assert policy.scope(world.funder, policy.VIEW, YouthPartner).count() == 2
    assert not policy.can(world.funder, policy.CHANGE, world.partner_a)


def test_staff_see_and_change_everything(world):
    assert policy.scope(world.staff, policy.VIEW, User).count() == User.objects.count()
    assert policy.can(world.staff, policy.CHANGE, world.programme)
    assert policy.can(world.staff, "manage", world.mentee_b)


def test_mentee_cannot_manage_their_own_record(world):
    # A mentee may change their name and contact preferences, not their date of birth or school.
    assert policy.can(world.mentee_under_16, policy.CHANGE, world.mentee_under_16)
    assert not policy.can(world.mentee_under_16, "manage", world.mentee_under_16)
    assert policy.can(world.coordinator_a, "manage", world.mentee_under_16)
    assert not policy.can(world.coordinator_b, "manage", world.mentee_under_16)
