import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory, give_enhanced_check
from core.errors import ApplicationError
from core.models import AuditEvent
from core.signals import relationship_closed
from mentoring import lifecycle
from mentoring.models import Closure, Relationship, RelationshipEvent
from mentoring.tests.factories import MentoringSessionFactory, SessionLogFactory
from recruitment.selectors import has_valid_enhanced_check

Status = Relationship.Status
pytestmark = pytest.mark.django_db

ALL_STATUSES = list(Status.values)
ALLOWED = [(a, b) for a in ALL_STATUSES for b in ALL_STATUSES if b in lifecycle.ALLOWED_TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a in ALL_STATUSES for b in ALL_STATUSES if b not in lifecycle.ALLOWED_TRANSITIONS[a]]


def _relationship(world, status):
    relationship = world.relationship_under_16
    Relationship.objects.filter(pk=relationship.pk).update(status=status)
    relationship.refresh_from_db()
    return relationship


def _move(world, relationship, to_status):
    if to_status in lifecycle.CLOSED_STATUSES:
        reason = "completed" if to_status == Status.COMPLETED else "moved"
        return lifecycle.relationship_close(
            actor=world.coordinator_a,
            relationship=relationship,
            reason=reason,
            contact_policy_acknowledged=True,
        )
    return lifecycle.relationship_transition(
        actor=world.coordinator_a, relationship=relationship, to_status=to_status, reason="Agreed with both"
    )


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_each_allowed_transition_changes_status_and_writes_history_and_audit(world, from_status, to_status):
    relationship = _relationship(world, from_status)
    _move(world, relationship, to_status)
    relationship.refresh_from_db()
    assert relationship.status == to_status
    event = RelationshipEvent.objects.get(relationship=relationship)
    assert (event.from_status, event.to_status, event.actor) == (from_status, to_status, world.coordinator_a)
    assert AuditEvent.objects.filter(
        target_id=str(relationship.pk), action__startswith="relationship."
    ).exists()


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_each_illegal_transition_is_refused_and_changes_nothing(world, from_status, to_status):
    relationship = _relationship(world, from_status)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError, match="cannot be moved"):
        _move(world, relationship, to_status)
    relationship.refresh_from_db()
    assert relationship.status == from_status
    assert not RelationshipEvent.objects.filter(relationship=relationship).exists()
    assert AuditEvent.objects.count() == audit_before
    assert not Closure.objects.filter(relationship=relationship).exists()


def test_pausing_needs_a_reason(world):
    relationship = world.relationship_under_16
    with pytest.raises(ApplicationError, match="reason"):
        lifecycle.relationship_transition(
            actor=world.coordinator_a, relationship=relationship, to_status=Status.PAUSED, reason=" "
        )
    relationship.refresh_from_db()
    assert relationship.status == Status.ACTIVE


def test_becoming_active_sets_start_and_planned_end_and_creates_support_check_ins(world):
    relationship = _relationship(world, Status.INTRODUCED)
    Relationship.objects.filter(pk=relationship.pk).update(started_on=None)
    relationship.refresh_from_db()
    lifecycle.relationship_transition(
        actor=world.coordinator_a, relationship=relationship, to_status=Status.ACTIVE
    )
    relationship.refresh_from_db()
    assert relationship.started_on is not None
    assert relationship.planned_end_on.year * 12 + relationship.planned_end_on.month == (
        relationship.started_on.year * 12
        + relationship.started_on.month
        + world.programme.relationship_months
    )
    assert relationship.support_check_ins.count() == len(set(world.programme.support_check_in_days))


def test_closing_fires_the_relationship_closed_signal_once(world):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    relationship_closed.connect(receiver)
    try:
        lifecycle.relationship_close(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            reason="completed",
            contact_policy_acknowledged=True,
        )
        with pytest.raises(ApplicationError):
            lifecycle.relationship_close(
                actor=world.coordinator_a,
                relationship=world.relationship_under_16,
                reason="completed",
                contact_policy_acknowledged=True,
            )
    finally:
        relationship_closed.disconnect(receiver)
    assert len(received) == 1
    assert received[0]["relationship"].pk == world.relationship_under_16.pk
    assert received[0]["early"] is False
    assert received[0]["actor"] == world.coordinator_a


def test_an_early_end_offers_rematching_after_the_waiting_period_and_switches_messaging_off(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        relationship = lifecycle.relationship_close(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            reason="mentee_withdrew",
            notes="Moved to a different sixth form.",
            contact_policy_acknowledged=True,
        )
    assert relationship.status == Status.ENDED_EARLY
    assert relationship.messaging_enabled is False
    assert (
        relationship.rematch_available_on - relationship.ended_on
    ).days == world.programme.rematch_wait_days
    assert relationship.closure.early is True
    thanked = {message.to[0] for message in mail.outbox}
    assert {world.mentor.email, world.mentee_under_16.email} <= thanked
    assert all("07700" not in message.body for message in mail.outbox)


def test_closing_without_acknowledging_the_contact_policy_is_refused(world):
    with pytest.raises(ApplicationError, match="contact policy"):
        lifecycle.relationship_close(
            actor=world.coordinator_a, relationship=world.relationship_under_16, reason="completed"
        )
    world.relationship_under_16.refresh_from_db()
    assert world.relationship_under_16.status == Status.ACTIVE


def test_recommendations_are_built_from_the_mentors_logs(world):
    relationship = world.relationship_under_16
    SessionLogFactory(
        session=MentoringSessionFactory(relationship=relationship, status="held"), topics=["study"]
    )
    SessionLogFactory(
        session=MentoringSessionFactory(relationship=relationship, status="held"), topics=["study"]
    )
    closed = lifecycle.relationship_close(
        actor=world.coordinator_a,
        relationship=relationship,
        reason="completed",
        contact_policy_acknowledged=True,
    )
    tips = closed.closure.recommendations
    assert tips[0].startswith("You logged 2 sessions: 2 held, 0 missed")
    assert lifecycle.TOPIC_RECOMMENDATIONS["study"] in tips
    assert any("No goals were recorded" in tip for tip in tips)


def test_extension_needs_both_to_agree(world):
    relationship = world.relationship_under_16
    with pytest.raises(ApplicationError, match="Both"):
        lifecycle.relationship_extend(
            actor=world.coordinator_a,
            relationship=relationship,
            months=3,
            mentor_agrees=True,
            mentee_agrees=False,
        )
    before = relationship.planned_end_on
    extended = lifecycle.relationship_extend(
        actor=world.coordinator_a, relationship=relationship, months=3, mentor_agrees=True, mentee_agrees=True
    )
    assert extended.planned_end_on != before
    assert extended.events.get().reason.startswith("Extended by 3 months")


def test_relationship_create_enforces_mentor_capacity(world):
    # The world's mentor has capacity 1 and two open relationships already.
    give_enhanced_check(world.mentor)
    newcomer = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
    with pytest.raises(ApplicationError, match="already mentors"):
        lifecycle.relationship_create(
            actor=world.coordinator_a, mentor=world.mentor, mentee=newcomer, cohort=world.cohort_a
        )
    assert not Relationship.objects.filter(mentee=newcomer).exists()


def test_relationship_create_allows_one_open_relationship_per_pair(world):
    mentor = MentorProfileFactory(capacity=2).user
    give_enhanced_check(mentor)
    mentee = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
    created = lifecycle.relationship_create(
        actor=world.coordinator_a, mentor=mentor, mentee=mentee, cohort=world.cohort_a, group_key="pair-1"
    )
    assert created.status == Status.APPROVED
    assert created.events.get().to_status == Status.APPROVED
    with pytest.raises(ApplicationError, match="already have an open relationship"):
        lifecycle.relationship_create(
            actor=world.coordinator_a, mentor=mentor, mentee=mentee, cohort=world.cohort_a
        )
    assert Relationship.objects.filter(mentor=mentor, mentee=mentee).count() == 1


def test_one_to_two_relationships_share_a_group_key(world):
    mentor = MentorProfileFactory(capacity=2, open_to_one_to_two=True).user
    give_enhanced_check(mentor)
    first, second = (
        MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
        for _ in range(2)
    )
    for mentee in (first, second):
        lifecycle.relationship_create(
            actor=world.staff, mentor=mentor, mentee=mentee, cohort=world.cohort_a, group_key="group-7"
        )
    assert Relationship.objects.filter(group_key="group-7").count() == 2


def test_closed_relationships_do_not_count_towards_capacity(world):
    lifecycle.relationship_close(
        actor=world.staff,
        relationship=world.relationship_over_18,
        reason="moved",
        contact_policy_acknowledged=True,
    )
    lifecycle.relationship_close(
        actor=world.staff,
        relationship=world.relationship_under_16,
        reason="completed",
        contact_policy_acknowledged=True,
    )
    give_enhanced_check(world.mentor)
    newcomer = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
    created = lifecycle.relationship_create(
        actor=world.coordinator_a, mentor=world.mentor, mentee=newcomer, cohort=world.cohort_a
    )
    assert created.pk


def test_a_mentor_of_an_under_18_needs_a_valid_enhanced_check_with_barred_list(world):
    mentor = MentorProfileFactory(capacity=2).user
    under_18 = MenteeProfileFactory(age=17, youth_partner=world.partner_a, cohort=world.cohort_a).user
    with pytest.raises(ApplicationError, match="barred list"):
        lifecycle.relationship_create(
            actor=world.coordinator_a, mentor=mentor, mentee=under_18, cohort=world.cohort_a
        )
    # An enhanced check without the barred list, or with the barred list not yet checked, is not enough.
    screening = give_enhanced_check(mentor, background_check_level="enhanced")
    with pytest.raises(ApplicationError, match="barred list"):
        lifecycle.relationship_create(
            actor=world.coordinator_a, mentor=mentor, mentee=under_18, cohort=world.cohort_a
        )
    screening.background_check_level = "enhanced_barred"
    screening.barred_list_result = ""
    screening.save()
    with pytest.raises(ApplicationError, match="barred list"):
        lifecycle.relationship_create(
            actor=world.coordinator_a, mentor=mentor, mentee=under_18, cohort=world.cohort_a
        )
    # A certificate older than three years, without the update service, has run out.
    screening.barred_list_result = "not_barred"
    screening.certificate_issued_on = timezone.localdate() - datetime.timedelta(days=3 * 365 + 1)
    screening.save()
    with pytest.raises(ApplicationError, match="barred list"):
        lifecycle.relationship_create(
            actor=world.coordinator_a, mentor=mentor, mentee=under_18, cohort=world.cohort_a
        )
    assert not Relationship.objects.filter(mentee=under_18).exists()

    screening.update_service = True
    screening.save()
    created = lifecycle.relationship_create(
        actor=world.coordinator_a, mentor=mentor, mentee=under_18, cohort=world.cohort_a
    )
    assert created.mentor == mentor


def test_a_barred_or_unsuitable_result_is_never_a_valid_check(world):
    mentor = MentorProfileFactory().user
    screening = give_enhanced_check(mentor, barred_list_result="barred")
    assert not has_valid_enhanced_check(mentor) and not has_valid_enhanced_check(mentor, barred_list=True)
    screening.barred_list_result = "not_barred"
    screening.check_decision = "not_suitable"
    screening.save()
    assert not has_valid_enhanced_check(mentor, barred_list=True)
    screening.check_decision = "suitable"
    screening.save()
    assert has_valid_enhanced_check(mentor, barred_list=True)


def test_an_adult_mentee_can_be_matched_without_the_barred_list_check(world):
    mentor = MentorProfileFactory().user
    adult = MenteeProfileFactory(age=20, youth_partner=world.partner_a, cohort=world.cohort_a).user
    created = lifecycle.relationship_create(
        actor=world.coordinator_a, mentor=mentor, mentee=adult, cohort=world.cohort_a
    )
    assert created.mentee == adult
