import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from core.errors import ApplicationError
from mentoring import lifecycle, scheduling
from mentoring.models import MentoringSession, Relationship
from mentoring.tests.factories import BlackoutDateFactory, MentoringSessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int = 16) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def test_coordinator_schedules_twelve_monthly_sessions_in_one_step(world, django_capture_on_commit_callbacks):
    venue = VenueFactory(youth_partner=world.partner_a)
    with django_capture_on_commit_callbacks(execute=True):
        result = scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=_at(3),
            count=12,
            venue=venue,
        )
    sessions = list(world.relationship_under_16.sessions.order_by("number"))
    assert [s.number for s in sessions] == list(range(1, 13))
    months = {(timezone.localtime(s.starts_at).year, timezone.localtime(s.starts_at).month) for s in sessions}
    assert len(months) == 12
    assert all(timezone.localtime(s.starts_at).hour == 16 for s in sessions)
    assert result.warnings == []
    recipients = {message.to[0] for message in mail.outbox}
    assert {world.mentor.email, world.mentee_under_16.email, world.coordinator_a.email} <= recipients
    message = next(m for m in mail.outbox if m.to == [world.mentor.email])
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("session.ics", "text/calendar")
    assert len(Calendar.from_ical(content).walk("VEVENT")) == 12


def test_sessions_falling_in_a_blackout_move_to_the_next_free_day(world):
    first = _at(3)
    second_planned = timezone.localtime(scheduling._step(world.programme, first, 1)).date()
    blackout = BlackoutDateFactory(
        youth_partner=world.partner_a,
        label="Mock exams",
        starts_on=second_planned - datetime.timedelta(days=1),
        ends_on=second_planned + datetime.timedelta(days=4),
    )
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=first,
        count=3,
        is_online=True,
    )
    second = timezone.localtime(result.sessions[1].starts_at).date()
    assert second == blackout.ends_on + datetime.timedelta(days=1)
    assert "Mock exams" in result.moved[0]


@pytest.mark.parametrize(
    ("when", "message"),
    [(lambda: _at(-1), "in the future"), (lambda: _at(31), "blackout")],
)
def test_scheduling_in_the_past_or_on_a_blackout_date_is_refused(world, when, message):
    BlackoutDateFactory(
        youth_partner=world.partner_a,
        starts_on=timezone.localdate() + datetime.timedelta(days=30),
        ends_on=timezone.localdate() + datetime.timedelta(days=32),
    )
    with pytest.raises(ApplicationError, match=message):
        scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=when(),
            count=12,
            is_online=True,
        )
    assert not MentoringSession.objects.exists()


def test_scheduling_for_a_closed_relationship_is_refused(world):
    lifecycle.relationship_close(
        actor=world.staff,
        relationship=world.relationship_under_16,
        reason="moved",
        contact_policy_acknowledged=True,
    )
    with pytest.raises(ApplicationError, match="ended early"):
        scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=_at(3),
            count=2,
            is_online=True,
        )


def test_a_venue_of_another_youth_partner_is_refused(world):
    with pytest.raises(ApplicationError, match="venues"):
        scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=_at(3),
            count=1,
            venue=VenueFactory(youth_partner=world.partner_b),
        )


def test_a_mentor_of_an_under_18_cannot_schedule_but_an_adult_pair_can(world):
    with pytest.raises(ApplicationError, match="coordinator"):
        scheduling.sessions_schedule_run(
            actor=world.mentor,
            relationship=world.relationship_under_16,
            first_starts_at=_at(3),
            count=1,
            is_online=True,
        )
    result = scheduling.sessions_schedule_run(
        actor=world.mentee_over_18,
        relationship=world.relationship_over_18,
        first_starts_at=_at(3),
        count=1,
        is_online=True,
    )
    assert len(result.sessions) == 1


def test_double_booking_a_mentor_is_warned_about(world):
    scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_over_18,
        first_starts_at=_at(5),
        count=1,
        is_online=True,
    )
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=_at(5) + datetime.timedelta(minutes=30),
        count=1,
        is_online=True,
    )
    assert len(result.warnings) == 1
    assert "Aaron" in result.warnings[0]


def test_scheduling_the_first_meeting_introduces_an_approved_pair(world):
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(status="approved")
    scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=_at(3),
        count=1,
        is_online=True,
    )
    world.relationship_under_16.refresh_from_db()
    assert world.relationship_under_16.status == "introduced"


def test_rescheduling_needs_a_reason_and_tells_everyone_affected(world, django_capture_on_commit_callbacks):
    session = MentoringSessionFactory(relationship=world.relationship_under_16, starts_at=_at(4))
    with pytest.raises(ApplicationError, match="reason"):
        scheduling.session_reschedule(actor=world.coordinator_a, session=session, starts_at=_at(6), reason="")
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.session_reschedule(
            actor=world.coordinator_a, session=session, starts_at=_at(6), reason="Parents' evening"
        )
    session.refresh_from_db()
    assert session.sequence == 1
    assert timezone.localtime(session.starts_at).date() == _at(6).date()
    assert {m.to[0] for m in mail.outbox} == {world.mentor.email, world.mentee_under_16.email}
    assert all("Parents' evening" in m.body for m in mail.outbox)


def test_cancelling_sends_a_cancellation_calendar_file(world, django_capture_on_commit_callbacks):
    session = MentoringSessionFactory(relationship=world.relationship_under_16, starts_at=_at(4))
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.session_cancel(actor=world.coordinator_a, session=session, reason="School closed for snow")
    session.refresh_from_db()
    assert session.status == MentoringSession.Status.CANCELLED
    calendar = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert calendar["METHOD"] == "CANCEL"
    with pytest.raises(ApplicationError, match="cancelled"):
        scheduling.session_cancel(actor=world.coordinator_a, session=session, reason="Again")


def test_the_two_mentees_of_a_one_to_two_meeting_together_is_not_a_double_booking(world):
    Relationship.objects.filter(
        pk__in=[world.relationship_under_16.pk, world.relationship_over_18.pk]
    ).update(group_key="pair-1")
    world.relationship_under_16.refresh_from_db()
    world.relationship_over_18.refresh_from_db()
    for relationship in (world.relationship_over_18, world.relationship_under_16):
        result = scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=relationship,
            first_starts_at=_at(5),
            count=1,
            is_online=True,
        )
    assert result.warnings == []
