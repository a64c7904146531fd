import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import RoleAssignmentFactory, UserFactory
from core.errors import ApplicationError
from core.models import AuditEvent
from mentoring.models import Relationship
from safeguarding import data_protection, oversight, services
from safeguarding.models import ErasureRequest, GiftDeclaration, MeetingRequest, MentorSuspension, Message

from .factories import raise_concern


@pytest.fixture
def second_staff(world):
    person = UserFactory(email="second.staff@example.org", first_name="Sasha")
    RoleAssignmentFactory(user=person, role=Role.PROGRAMME_STAFF)
    return person


# Suspension and removal ---------------------------------------------------------------------------


def test_suspension_pauses_relationships_closes_messaging_and_tells_people(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        oversight.mentor_suspension_request(
            mentor=world.mentor,
            actor=world.staff,
            action="suspend",
            ground="conduct",
            reason="Missed checks.",
        )
    assert set(Relationship.objects.filter(mentor=world.mentor).values_list("status", flat=True)) == {
        "paused"
    }
    world.mentor.refresh_from_db()
    assert world.mentor.is_suspended
    world.relationship_under_16.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.message_send(relationship=world.relationship_under_16, sender=world.mentor, body="Hello")
    recipients = {address for message in mail.outbox for address in message.to}
    assert {world.coordinator_a.email, world.mentor.email} <= recipients


def test_removal_needs_a_second_staff_member(world, second_staff):
    removal = oversight.mentor_suspension_request(
        mentor=world.mentor, actor=world.staff, action="remove", ground="safeguarding", reason="Breach."
    )
    assert removal.status == MentorSuspension.Status.PENDING
    assert Relationship.objects.filter(mentor=world.mentor, status="active").exists()
    with pytest.raises(ApplicationError):
        oversight.mentor_removal_approve(suspension=removal, actor=world.staff)
    oversight.mentor_removal_approve(suspension=removal, actor=second_staff)
    assert set(Relationship.objects.filter(mentor=world.mentor).values_list("status", flat=True)) == {
        "ended_early"
    }
    assert AuditEvent.objects.filter(action="safeguarding.mentor_remove").exists()


def test_lifting_a_suspension_resumes_relationships(world):
    suspension = oversight.mentor_suspension_request(
        mentor=world.mentor, actor=world.staff, action="suspend", ground="no_time", reason="Away."
    )
    oversight.mentor_suspension_lift(suspension=suspension, actor=world.staff)
    world.mentor.refresh_from_db()
    assert not world.mentor.is_suspended
    assert set(Relationship.objects.filter(mentor=world.mentor).values_list("status", flat=True)) == {
        "active"
    }


# Meetings -----------------------------------------------------------------------------------------


def _meeting(world, relationship, place="Central Library café"):
    return oversight.meeting_request_create(
        relationship=relationship,
        actor=world.mentor,
        place=place,
        purpose="Visit the careers fair",
        proposed_for=timezone.now() + datetime.timedelta(days=5),
    )


def test_meeting_at_a_home_is_refused(world):
    with pytest.raises(ApplicationError):
        _meeting(world, world.relationship_under_16, place="My home")


def test_under_18_meeting_needs_a_parent_or_guardians_agreement(world):
    meeting = _meeting(world, world.relationship_under_16)
    with pytest.raises(ApplicationError) as error:
        oversight.meeting_request_decide(meeting=meeting, actor=world.coordinator_a, approve=True)
    assert error.value.field == "guardian_agreed"
    oversight.meeting_request_decide(
        meeting=meeting, actor=world.coordinator_a, approve=True, guardian_agreed="Mother, by phone, 3 March"
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.APPROVED


def test_adult_meeting_needs_only_the_coordinator(world):
    meeting = _meeting(world, world.relationship_over_18)
    oversight.meeting_request_decide(meeting=meeting, actor=world.coordinator_a, approve=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.APPROVED


def test_coordinator_of_another_partner_cannot_decide(world, client_for):
    meeting = _meeting(world, world.relationship_under_16)
    response = client_for(world.coordinator_b).post(
        reverse("safeguarding:meeting_decide", args=[meeting.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404


# Gifts --------------------------------------------------------------------------------------------


def test_gift_under_the_threshold_is_recorded_and_over_it_needs_approval(world):
    small = oversight.gift_declare(
        mentor=world.mentor,
        direction="given",
        description="Notebook",
        value=Decimal("5"),
        given_on=timezone.localdate(),
    )
    large = oversight.gift_declare(
        mentor=world.mentor,
        direction="received",
        description="Theatre tickets",
        value=Decimal("80"),
        given_on=timezone.localdate(),
    )
    assert small.status == GiftDeclaration.Status.RECORDED
    assert large.status == GiftDeclaration.Status.PENDING
    oversight.gift_decide(gift=large, actor=world.staff, approve=False)
    large.refresh_from_db()
    assert large.status == GiftDeclaration.Status.REFUSED


def test_gift_form_rejects_a_negative_value(world, client_for):
    response = client_for(world.mentor).post(
        reverse("safeguarding:gift_declare"),
        {
            "direction": "given",
            "description": "Pen",
            "value": "-3",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert not GiftDeclaration.objects.exists()


# Erasure and retention ----------------------------------------------------------------------------


def test_erasure_anonymises_the_person_and_logs_the_reason(world):
    person = world.mentee_over_18
    data_protection.erasure_request(person=person, actor=world.staff, reason="Asked to be forgotten")
    person.refresh_from_db()
    assert person.email.endswith("@erased.invalid") and not person.is_active
    assert person.mentee_profile.phone == ""
    event = AuditEvent.objects.get(action="data_protection.erased")
    assert event.details["reason"] == "Asked to be forgotten"


def test_erasing_message_text_needs_a_second_staff_member(world, second_staff):
    services.message_send(
        relationship=world.relationship_over_18, sender=world.mentee_over_18, body="Thanks!"
    )
    erasure = data_protection.erasure_request(
        person=world.mentee_over_18, actor=world.staff, reason="Request", includes_safeguarding=True
    )
    assert erasure.status == ErasureRequest.Status.PENDING
    assert Message.objects.get().body == "Thanks!"
    with pytest.raises(ApplicationError):
        data_protection.erasure_approve(erasure=erasure, actor=world.staff)
    data_protection.erasure_approve(erasure=erasure, actor=second_staff)
    assert Message.objects.get().body == data_protection.REDACTED


def test_erasure_keeps_safeguarding_records(world):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    data_protection.erasure_request(person=world.mentee_under_16, actor=world.staff, reason="Request")
    concern.refresh_from_db()
    assert concern.young_person_id == world.mentee_under_16.pk
    assert "lunch money" in concern.facts


def test_retention_removes_old_message_text_and_flags_concerns_for_review_once(world):
    services.message_send(relationship=world.relationship_b, sender=world.other_mentor, body="Old message")
    Relationship.objects.filter(pk=world.relationship_b.pk).update(
        status="completed", ended_on=timezone.localdate() - datetime.timedelta(days=365 * 7)
    )
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    later = concern.retain_until + datetime.timedelta(days=1)
    first = data_protection.retention_run(today=later)
    second = data_protection.retention_run(today=later)
    assert first["messages_redacted"] == 1 and first["concerns_flagged"] == 1
    assert second["messages_redacted"] == 0 and second["concerns_flagged"] == 0
    assert Message.objects.get().body == data_protection.REDACTED


def test_staff_pages_have_bounded_queries(world, client_for, django_assert_max_num_queries):
    for number in range(5):
        oversight.gift_declare(
            mentor=world.mentor,
            direction="given",
            description=f"Gift {number}",
            value=Decimal("30"),
            given_on=timezone.localdate(),
        )
    client = client_for(world.staff)
    for name in ("gift_list", "suspension_list", "erasure_list", "meeting_list"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse(f"safeguarding:{name}")).status_code == 200


def test_a_suspended_mentor_leaves_the_matching_pool_until_the_suspension_is_lifted(world):
    from accounts.tests.factories import give_enhanced_check
    from mentoring.lifecycle import relationship_create
    from recruitment.selectors import waiting_mentor_applications

    give_enhanced_check(world.other_mentor, application__programme=world.programme)
    world.relationship_b.status = Relationship.Status.COMPLETED
    world.relationship_b.save()
    assert waiting_mentor_applications(user=world.staff).filter(user=world.other_mentor).exists()

    suspension = oversight.mentor_suspension_request(
        mentor=world.other_mentor, actor=world.staff, action="suspend", ground="no_time", reason="Away."
    )
    assert not waiting_mentor_applications(user=world.staff).filter(user=world.other_mentor).exists()
    with pytest.raises(ApplicationError, match="suspended"):
        relationship_create(
            actor=world.staff, mentor=world.other_mentor, mentee=world.mentee_b, cohort=world.cohort_b
        )
    assert not Relationship.objects.open().filter(mentor=world.other_mentor).exists()

    oversight.mentor_suspension_lift(suspension=suspension, actor=world.staff)
    assert waiting_mentor_applications(user=world.staff).filter(user=world.other_mentor).exists()
    relationship_create(
        actor=world.staff, mentor=world.other_mentor, mentee=world.mentee_b, cohort=world.cohort_b
    )
