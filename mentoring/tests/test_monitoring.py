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


def test_each_list_reads_its_pages_and_counts_as_its_queryset_does_at_a_coordinators_partners(world):
    """The lists read a page's ids first (selectors.PageFirst) and a coordinator's open relationships
    from the ids read once: the same rows, in the same order, as the querysets themselves."""
    now, today = timezone.now(), timezone.localdate()
    open_pair, closed_pair = world.relationship_under_16, world.relationship_over_18
    Relationship.objects.filter(pk=open_pair.pk).update(started_on=today - datetime.timedelta(days=90))
    created = {
        days: MentoringSessionFactory(
            relationship=open_pair, starts_at=now - datetime.timedelta(days=days, hours=1)
        )
        for days in (-2, -1, 1, 2, 3)
    }
    for days in (4, 5):
        MentoringSessionFactory(relationship=closed_pair, starts_at=now - datetime.timedelta(days=days))
        SupportCheckIn.objects.create(relationship=closed_pair, due_on=today - datetime.timedelta(days=days))
        SupportCheckIn.objects.create(relationship=open_pair, due_on=today - datetime.timedelta(days=days))
    Relationship.objects.filter(pk=closed_pair.pk).update(status="completed")
    partner_ids = world.coordinator_a.coordinated_partner_ids
    lists = selectors.monitoring_querysets(user=world.coordinator_a, partner_ids=partner_ids)
    assert isinstance(lists["month_sessions"], selectors.PageFirst)
    for name, rows in lists.items():
        queryset = rows.queryset if isinstance(rows, selectors.PageFirst) else rows
        every = list(queryset)
        assert list(rows) == every, name
        assert rows.count() == len(every), name
        for start, stop in ((0, 2), (1, 3), (2, 25), (7, 9)):
            assert list(rows[start:stop]) == every[start:stop], (name, start, stop)
    unlogged = list(lists["unlogged"])
    assert [session.starts_at for session in unlogged] == sorted(session.starts_at for session in unlogged)
    assert {session.relationship_id for session in unlogged} == {open_pair.pk}
    assert {created[days] for days in (1, 2, 3)} <= set(unlogged)
    assert not {created[days] for days in (-2, -1)} & set(unlogged)
    assert {check_in.relationship_id for check_in in lists["check_ins"]} == {open_pair.pk}
    assert [relationship.pk for relationship in lists["drifting"]] == [open_pair.pk]
    staff_lists = selectors.monitoring_querysets(user=world.staff)
    assert list(staff_lists["unlogged"]) == unlogged
    assert list(staff_lists["check_ins"]) == list(lists["check_ins"])


def test_the_grouped_counts_are_each_lists_own_count(world):
    """`monitoring_counts` counts the lists one table at a time: the same numbers as the lists, whether
    every relationship at the partner is open, fewer are closed than open, or more."""
    from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory
    from mentoring.tests.factories import RelationshipFactory

    now, today = timezone.now(), timezone.localdate()
    young_person = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
    mentor = MentorProfileFactory().user
    third = RelationshipFactory(mentor=mentor, mentee=young_person, cohort=world.cohort_a)
    pairs = (world.relationship_under_16, world.relationship_over_18, third)
    for relationship in pairs:
        for days in (-1, 2, 40):
            MentoringSessionFactory(relationship=relationship, starts_at=now - datetime.timedelta(days=days))
        SupportCheckIn.objects.create(relationship=relationship, due_on=today - datetime.timedelta(days=1))
    Relationship.objects.filter(pk__in=[pair.pk for pair in pairs]).update(
        started_on=today - datetime.timedelta(days=90), held_sessions=2
    )
    partner_ids = world.coordinator_a.coordinated_partner_ids

    def counted(user, partner_ids=None):
        lists = selectors.monitoring_querysets(user=user, partner_ids=partner_ids)
        expected = {name: len(list(rows)) for name, rows in lists.items()}
        assert selectors.monitoring_counts(user=user, partner_ids=partner_ids) == expected
        if partner_ids is not None:
            # The coordinator's home counts the same lists from the relationships it reads once, and
            # takes the drifting pairs it shows from those rows, in the list's order.
            rows = selectors.relationship_rows_at(partner_ids)
            summary = selectors.monitoring_summary(user=user, partner_ids=partner_ids, relationship_rows=rows)
            assert {name: part["count"] for name, part in summary.items()} == expected
            for name, rows in lists.items():
                assert [row.pk for row in summary[name]["rows"]] == [row.pk for row in list(rows)[:5]], name
        return expected

    every_open = counted(world.coordinator_a, partner_ids)
    assert every_open["unlogged"] == 6 and every_open["drifting"] == 3 and every_open["without_goals"] == 3
    Relationship.objects.filter(pk=world.relationship_over_18.pk).update(status="completed")
    assert counted(world.coordinator_a, partner_ids)["unlogged"] == 4
    Relationship.objects.filter(pk=third.pk).update(status="completed")
    assert counted(world.coordinator_a, partner_ids)["unlogged"] == 2
    counted(world.staff)
