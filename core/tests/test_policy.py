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


# Rules: named predicates for pages and actions ---------------------------------------------------


@pytest.fixture
def test_rules():
    """Two throwaway rules, removed again so the registry stays the apps' own."""
    policy.rule("testing.staff_page", message="Staff only.")(lambda user: user.is_programme_staff)
    policy.rule("testing.own_thing", hidden=True)(lambda user, obj: obj is not None and obj.pk == user.pk)
    yield
    for name in ("testing.staff_page", "testing.own_thing"):
        policy._rules.pop(name, None)


def test_rule_is_asked_like_an_object_action(world, test_rules):
    assert policy.can(world.staff, "testing.staff_page")
    assert not policy.can(world.mentor, "testing.staff_page")
    assert policy.can(world.mentor, "testing.own_thing", world.mentor)
    assert not policy.can(world.mentor, "testing.own_thing", world.staff)


def test_refused_rule_is_403_or_404_when_hidden(world, test_rules):
    policy.require(world.staff, "testing.staff_page")
    with pytest.raises(PermissionDenied, match="Staff only."):
        policy.require(world.mentor, "testing.staff_page")
    with pytest.raises(Http404):
        policy.require(world.mentor, "testing.own_thing", world.staff)


def test_rules_refuse_anonymous_and_inactive_people_before_asking(world, test_rules):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), "testing.staff_page")
    world.staff.is_active = False
    assert not policy.can(world.staff, "testing.staff_page")


def test_unknown_or_repeated_rule_names_are_errors(world, test_rules):
    with pytest.raises(LookupError):
        policy.can(world.staff, "testing.no_such_rule")
    with pytest.raises(ValueError):
        policy.rule("testing.staff_page")(lambda user: True)
    with pytest.raises(ValueError):
        policy.rule("nodot")


def test_rule_required_decorator_and_drf_permission(world, test_rules, rf):
    from core.api import rule_permission

    @policy.rule_required("testing.staff_page")
    def page(request):
        return "shown"

    request = rf.get("/")
    request.user = world.staff
    assert page(request) == "shown"
    request.user = world.mentor
    with pytest.raises(PermissionDenied):
        page(request)

    permission = rule_permission("testing.staff_page")()
    assert permission.has_permission(request, None) is False
    assert permission.message == "Staff only."
    request.user = world.staff
    assert permission.has_permission(request, None) is True
