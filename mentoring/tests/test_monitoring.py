import datetime

import pytest
from django.utils import timezone

from mentoring import selectors
from mentoring.models import Relationship, SupportCheckIn
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory

pytestmark = pytest.mark.django_db


def _lists(user, partner_ids=None):
    return {
        name: list(qs)
        for name, qs in selectors.monitoring_querysets(user=user, partner_ids=partner_ids).items()
    }


def test_a_relationship_without_a_held_session_for_over_a_month_missed_its_cadence(world):
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    MentoringSessionFactory(
        relationship=world.relationship_under_16,
        status="held",
        starts_at=timezone.now() - datetime.timedelta(days=40),
    )
    MentoringSessionFactory(
        relationship=world.relationship_over_18,
        status="held",
        starts_at=timezone.now() - datetime.timedelta(days=10),
    )
    drifting = _lists(world.coordinator_a, world.coordinator_a.coordinated_partner_ids)["drifting"]
    assert [r.pk for r in drifting] == [world.relationship_under_16.pk]


def test_a_relationship_with_two_held_sessions_and_no_goals_is_flagged(world):
    for days in (40, 10):
        MentoringSessionFactory(
            relationship=world.relationship_under_16,
            status="held",
            starts_at=timezone.now() - datetime.timedelta(days=days),
        )
    assert [r.pk for r in _lists(world.coordinator_a)["without_goals"]] == [world.relationship_under_16.pk]
    GoalFactory(relationship=world.relationship_under_16)
    assert _lists(world.coordinator_a)["without_goals"] == []


def test_the_second_held_session_flags_a_pair_without_goals_and_a_cancelled_one_unflags_it(world):
    """The list reads each relationship's maintained count of held sessions (mentoring.receivers)."""
    partners = world.coordinator_a.coordinated_partner_ids

    def flagged():
        return [r.pk for r in _lists(world.coordinator_a, partners)["without_goals"]]

    first = MentoringSessionFactory(
        relationship=world.relationship_under_16,
        status="held",
        starts_at=timezone.now() - datetime.timedelta(days=40),
    )
    assert flagged() == []
    MentoringSessionFactory(
        relationship=world.relationship_under_16,
        status="held",
        starts_at=timezone.now() - datetime.timedelta(days=9),
    )
    assert flagged() == [world.relationship_under_16.pk]
    first.status = "cancelled"
    first.save()
    assert flagged() == []


def test_overdue_check_ins_need_action_and_completed_ones_do_not(world):
    due = SupportCheckIn.objects.create(relationship=world.relationship_under_16, due_on=timezone.localdate())
    SupportCheckIn.objects.create(
        relationship=world.relationship_under_16,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        completed_at=timezone.now(),
        notes="Done",
    )
    SupportCheckIn.objects.create(
        relationship=world.relationship_under_16, due_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    assert _lists(world.coordinator_a)["check_ins"] == [due]
    assert _lists(world.coordinator_b)["check_ins"] == []
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(status="ended_early")
    assert _lists(world.coordinator_a)["check_ins"] == []


def test_unlogged_sessions_of_closed_relationships_are_not_listed(world):
    MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    assert len(_lists(world.coordinator_a)["unlogged"]) == 1
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(status="completed")
    assert _lists(world.coordinator_a)["unlogged"] == []


def test_programme_form_takes_a_support_check_in_schedule_and_refuses_nonsense(world):
    from mentoring.forms import ProgrammeForm
    from mentoring.models import default_support_check_in_days

    data = {
        "name": "Museum Futures",
        "relationship_months": 6,
        "session_cadence": "six_weekly",
        "session_minutes": 60,
        "mentee_min_age": 18,
        "mentee_max_age": 30,
        "delivery_format": "hybrid",
        "matching_mode": "coordinator",
        "rematch_wait_days": 28,
        "post_closure_contact_policy": "No private contact after closing.",
    }
    form = ProgrammeForm({**data, "support_check_in_days": "[152, 61, 61]"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["support_check_in_days"] == [61, 152]
    form = ProgrammeForm({key: value for key, value in data.items() if key != "rematch_wait_days"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["support_check_in_days"] == default_support_check_in_days()
    assert form.cleaned_data["rematch_wait_days"] == 28
    form = ProgrammeForm({**data, "support_check_in_days": '["monthly"]'})
    assert not form.is_valid()
    assert "support_check_in_days" in form.errors
