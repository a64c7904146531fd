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
    """A time `days` from today, on the next weekday when that falls at a weekend (partner A is a school)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    while days > 0 and day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def test_coordinator_schedules_twelve_monthly_sessions_in_one_step(world, django_capture_on_commit_callbacks):
    world.partner_a.term_time_only = False  # a month each, holidays aside (tested in test_partner_calendar)
    world.partner_a.save()
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
    # The first day after the blackout, or the Monday after it when that is a weekend (partner A is a
    # school: weekdays only).
    free = blackout.ends_on + datetime.timedelta(days=1)
    while free.weekday() >= 5:
        free += datetime.timedelta(days=1)
    assert second == free
    assert "Mock exams" in result.moved[0]


@pytest.mark.parametrize(
    ("when", "message"),
    [(lambda: _at(-1), "in the future"), (lambda: _at(31), "blackout")],
)
def test_scheduling_in_the_past_or_on_a_blackout_date_is_refused(world, when, message):
    BlackoutDateFactory(
        youth_partner=world.partner_a,
        starts_on=timezone.localdate() + datetime.timedelta(days=30),
        ends_on=timezone.localdate() + datetime.timedelta(days=36),
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


def test_double_booking_a_mentor_is_refused(world):
    scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_over_18,
        first_starts_at=_at(5),
        count=1,
        is_online=True,
    )
    with pytest.raises(ApplicationError, match="already has another session"):
        scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=_at(5) + datetime.timedelta(minutes=30),
            count=1,
            is_online=True,
        )
    assert not world.relationship_under_16.sessions.exists()


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


def test_a_session_email_is_kept_with_the_change_even_if_the_process_stops_right_after_the_commit(
    world, settings, django_capture_on_commit_callbacks
):
    """The emails are recorded with the rescheduled session, not after it commits: if nothing queued
    once the commit is done ever runs (a web worker killed at that moment), the outbox's flush still
    sends each of them once."""
    from core.email import outgoing_email_flush

    session = MentoringSessionFactory(relationship=world.relationship_under_16, starts_at=_at(4))
    with django_capture_on_commit_callbacks(execute=False):
        scheduling.session_reschedule(
            actor=world.coordinator_a, session=session, starts_at=_at(6), reason="Exam week"
        )
    assert mail.outbox == []
    settings.WORK_REQUEUE_AFTER = 0
    assert outgoing_email_flush() == 2
    assert {m.to[0] for m in mail.outbox} == {world.mentor.email, world.mentee_under_16.email}
    assert all("Exam week" in m.body and m.attachments for m in mail.outbox)
    assert outgoing_email_flush() == 0


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


def _local(session) -> datetime.datetime:
    return timezone.localtime(session.starts_at)


def test_a_run_of_twelve_across_month_ends_and_clock_changes_keeps_the_time_and_never_repeats(world):
    """From 31 January: 28/29 February, 31 March (after the clocks go forward), ... 31 October (back)."""
    world.partner_a.weekend_sessions = True
    world.partner_a.term_time_only = False
    world.partner_a.save()
    first = timezone.make_aware(
        datetime.datetime.combine(datetime.date(timezone.localdate().year + 2, 1, 31), datetime.time(16))
    )
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=first,
        count=12,
        is_online=True,
    )
    starts = [_local(session) for session in result.sessions]
    assert len(set(starts)) == 12
    assert starts == sorted(starts)
    assert {(when.hour, when.minute) for when in starts} == {(16, 0)}
    assert [when.month for when in starts] == list(range(1, 13))
    assert starts[1].day in (28, 29) and starts[2].day == 31 and starts[9].day == 31
    # 16:00 in winter is 16:00 UTC, in summer 15:00 UTC: the wall clock is kept, not the interval.
    assert {when.utcoffset() for when in starts} == {datetime.timedelta(0), datetime.timedelta(hours=1)}


def test_sessions_pushed_past_a_long_closure_follow_each_other_instead_of_sharing_a_slot(world):
    """Monthly sessions planned in a seven-week summer closure used to land together on its next day."""
    year = timezone.localdate().year + 1
    first = timezone.make_aware(datetime.datetime.combine(datetime.date(year, 5, 3), datetime.time(16)))
    while timezone.localtime(first).weekday() >= 5:
        first += datetime.timedelta(days=1)
    summer = BlackoutDateFactory(
        youth_partner=world.partner_a,
        label="Summer holiday",
        starts_on=datetime.date(year, 6, 25),
        ends_on=datetime.date(year, 9, 2),
    )
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=first,
        count=10,
        is_online=True,
    )
    starts = [_local(session) for session in result.sessions]
    days = [when.date() for when in starts]
    assert len(set(days)) == 10
    assert starts == sorted(starts)
    assert not [day for day in days if summer.starts_on <= day <= summer.ends_on]
    assert not [day for day in days if day.weekday() >= 5]
    assert sum("Summer holiday" in note for note in result.moved) >= 2
    assert MentoringSession.objects.filter(relationship=world.relationship_under_16).count() == 10


def test_a_school_never_gets_weekend_sessions_and_a_university_may(world):
    world.partner_a.term_time_only = False
    world.partner_a.save()
    fortnightly = world.programme
    fortnightly.session_cadence = "fortnightly"
    fortnightly.save()
    saturday = timezone.localdate() + datetime.timedelta(days=(5 - timezone.localdate().weekday()) % 7 + 7)
    at_saturday = timezone.make_aware(datetime.datetime.combine(saturday, datetime.time(10, 0)))
    with pytest.raises(ApplicationError, match="weekdays only"):
        scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=at_saturday,
            count=3,
            venue=VenueFactory(youth_partner=world.partner_a),
        )
    friday = at_saturday - datetime.timedelta(days=1)
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=friday,
        count=10,
        venue=VenueFactory(youth_partner=world.partner_a),
    )
    assert [_local(s).weekday() for s in result.sessions] == [4] * 10

    world.partner_a.kind = "university"
    world.partner_a.save()
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=at_saturday + datetime.timedelta(days=21),
        count=1,
        is_online=True,
    )
    assert _local(result.sessions[0]).weekday() == 5


def test_the_database_refuses_two_live_sessions_of_a_pair_at_the_same_moment(world):
    from django.db import IntegrityError, transaction

    when = _at(10)
    MentoringSessionFactory(
        relationship=world.relationship_under_16, number=1, starts_at=when, status="cancelled"
    )
    MentoringSessionFactory(relationship=world.relationship_under_16, number=2, starts_at=when)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringSessionFactory(relationship=world.relationship_under_16, number=3, starts_at=when)


def test_moving_a_session_onto_a_day_the_pair_already_meet_is_refused(world):
    first, second = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=_at(3),
        count=2,
        is_online=True,
    ).sessions
    with pytest.raises(ApplicationError, match="already have a session"):
        scheduling.session_reschedule(
            actor=world.coordinator_a,
            session=second,
            starts_at=first.starts_at + datetime.timedelta(hours=1),
            reason="Clash",
        )


def test_the_coordinator_says_whether_their_partner_has_weekend_sessions(world, client_for):
    from django.urls import reverse

    client = client_for(world.coordinator_a)
    page = client.get(reverse("mentoring:partner_edit", args=[world.partner_a.pk])).content.decode()
    assert "As usual for the type (weekdays only for schools, academies and colleges)" in page
    response = client.post(
        reverse("mentoring:partner_edit", args=[world.partner_a.pk]),
        {
            "name": world.partner_a.name,
            "kind": "school",
            "region": world.partner_a.region,
            "weekend_sessions": "true",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.partner_a.refresh_from_db()
    assert world.partner_a.weekend_sessions is True and not world.partner_a.weekdays_only
