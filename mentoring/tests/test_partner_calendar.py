"""A youth partner's working days, session hours and terms, and one mentor never in two sessions at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditEvent
from mentoring import journal, scheduling
from mentoring.models import MentoringSession, Relationship, Term
from mentoring.terms import easter_sunday, holidays_between, usual_school_holidays
from mentoring.tests.factories import MentoringSessionFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def _on(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _next_weekday_in_term(after_days: int) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    closed = holidays_between([], day, day + datetime.timedelta(days=60))
    while day.weekday() >= 5 or any(h.starts_on <= day <= h.ends_on for h in closed):
        day += datetime.timedelta(days=1)
    return day


def test_easter_and_the_usual_school_holidays():
    assert [easter_sunday(year) for year in (2024, 2026, 2027)] == [
        datetime.date(2024, 3, 31),
        datetime.date(2026, 4, 5),
        datetime.date(2027, 3, 28),
    ]
    labels = {holiday.label: holiday for holiday in usual_school_holidays(2027)}
    assert labels["Summer holidays"].starts_on == datetime.date(2027, 7, 22)
    assert (
        labels["Easter holidays"].starts_on <= datetime.date(2027, 3, 26) <= labels["Easter holidays"].ends_on
    )
    assert labels["October half term"].starts_on <= datetime.date(2027, 10, 25)


def test_a_schools_monthly_run_keeps_out_of_the_holidays_and_never_doubles_up(world):
    partner = world.partner_a
    assert partner.in_term_only and partner.weekdays_only  # a school, by default
    first = _on(_next_weekday_in_term(3))
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=first,
        count=12,
        is_online=True,
    )
    days = [timezone.localtime(session.starts_at).date() for session in result.sessions]
    closed = holidays_between([], days[0], days[-1])
    assert not [day for day in days if any(h.starts_on <= day <= h.ends_on for h in closed)]
    assert not [day for day in days if day.weekday() >= 5]
    assert len(set(days)) == 12 and days == sorted(days)


def test_a_partners_own_terms_replace_the_usual_holidays(world, client_for):
    today = timezone.localdate()
    start = _next_weekday_in_term(3)
    client = client_for(world.coordinator_a)
    url = reverse("mentoring:partner_terms", args=[world.partner_a.pk])
    assert "the usual school holidays in England apply" in client.get(url).text
    response = client.post(
        url,
        {
            "label": "Short term",
            "starts_on": start.isoformat(),
            "ends_on": (start + datetime.timedelta(days=6)).isoformat(),
        },
    )
    assert response.status_code == 302
    resumes = start + datetime.timedelta(days=40)
    client.post(
        url,
        {
            "label": "Next term",
            "starts_on": resumes.isoformat(),
            "ends_on": (resumes + datetime.timedelta(days=200)).isoformat(),
        },
    )
    assert Term.objects.filter(youth_partner=world.partner_a).count() == 2
    assert AuditEvent.objects.filter(action="term.create", actor=world.coordinator_a).count() == 2
    # Overlapping terms are refused, nothing saved.
    client.post(url, {"label": "Overlap", "starts_on": start.isoformat(), "ends_on": start.isoformat()})
    assert Term.objects.filter(youth_partner=world.partner_a).count() == 2
    world.programme.session_cadence = "fortnightly"
    world.programme.save()
    result = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=_on(start),
        count=2,
        is_online=True,
    )
    second = timezone.localtime(result.sessions[1].starts_at).date()
    assert second >= resumes > today  # the gap between the terms is a holiday
    assert any("Holiday before Next term" in note for note in result.moved)


def test_the_coordinator_sets_session_hours_and_a_time_outside_them_is_refused(world, client_for):
    client = client_for(world.coordinator_a)
    response = client.post(
        reverse("mentoring:partner_edit", args=[world.partner_a.pk]),
        {
            "name": world.partner_a.name,
            "kind": "school",
            "region": world.partner_a.region,
            "weekend_sessions": "unknown",
            "term_time_only": "false",
            "sessions_from": "09:00",
            "sessions_until": "15:30",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.partner_a.refresh_from_db()
    assert not world.partner_a.in_term_only
    assert world.partner_a.session_hours == (datetime.time(9), datetime.time(15, 30))
    with pytest.raises(ApplicationError, match="between 09:00 and 15:30"):
        scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=_on(_next_weekday_in_term(3), hour=15),
            count=1,
            is_online=True,
        )
    assert not MentoringSession.objects.exists()
    page = client.get(world.partner_a.get_absolute_url()).text
    assert "09:00 to 15:30" in page and "Monday to Friday" in page


def test_a_university_has_no_default_hours_or_terms(world):
    world.partner_a.kind = "university"
    assert world.partner_a.session_hours == (None, None)
    assert not world.partner_a.in_term_only and not world.partner_a.weekdays_only


def test_one_mentor_is_never_booked_into_two_sessions_at_once(world):
    other = RelationshipFactory(mentor=world.mentor, cohort=world.relationship_under_16.cohort)
    when = _on(_next_weekday_in_term(5))
    MentoringSessionFactory(relationship=other, number=1, starts_at=when)
    with pytest.raises(ApplicationError, match="already has another session"):
        scheduling.sessions_schedule_run(
            actor=world.coordinator_a,
            relationship=world.relationship_under_16,
            first_starts_at=when + datetime.timedelta(minutes=30),
            count=1,
            is_online=True,
        )
    (session,) = scheduling.sessions_schedule_run(
        actor=world.coordinator_a,
        relationship=world.relationship_under_16,
        first_starts_at=when + datetime.timedelta(hours=1),
        count=1,
        is_online=True,
    ).sessions
    with pytest.raises(ApplicationError, match="already has another session"):
        scheduling.session_reschedule(
            actor=world.coordinator_a, session=session, starts_at=when, reason="Earlier suits"
        )


def test_the_coordinator_records_a_session_that_was_not_scheduled(world, client_for):
    relationship = world.relationship_under_16
    Relationship.objects.filter(pk=relationship.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60), status="introduced"
    )
    client = client_for(world.coordinator_a)
    assert "Record a session that was not scheduled" in client.get(relationship.get_absolute_url()).text
    when = timezone.localtime(timezone.now() - datetime.timedelta(days=2)).replace(
        minute=0, second=0, microsecond=0
    )
    response = client.post(
        reverse("mentoring:session_record", args=[relationship.pk]),
        {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60, "is_online": "on"},
    )
    assert response.status_code == 302
    assert MentoringSession.objects.filter(relationship=relationship, starts_at=when).exists()
    assert AuditEvent.objects.filter(action="session.record", actor=world.coordinator_a).exists()
    # A mentor's other session at that moment makes the record refused.
    other = RelationshipFactory(mentor=world.mentor, cohort=relationship.cohort)
    MentoringSessionFactory(relationship=other, number=1, starts_at=when - datetime.timedelta(days=1))
    with pytest.raises(ApplicationError, match="another session then"):
        journal.session_record_past(
            actor=world.coordinator_a,
            relationship=relationship,
            starts_at=when - datetime.timedelta(days=1, minutes=-15),
            duration_minutes=60,
            is_online=True,
        )
    # Someone else's coordinator may not.
    assert (
        client_for(world.coordinator_b)
        .get(reverse("mentoring:session_record", args=[relationship.pk]))
        .status_code
        == 404
    )
