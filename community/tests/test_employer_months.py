"""Each employer's months (EmployerMonth: its mentors' held logs, minutes, mentors and young people per
month) stay equal to a count made from scratch from the session logs and memberships after every kind
of write: a session logged, edited, missed, moved and deleted; logs written in bulk; a mentor joining,
leaving and changing employer (through the service, the model and in bulk); a relationship's status
changed, given to another mentor or young person, and deleted; an employer deleted. The migration's
fill counts the same."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.tests.factories import UserFactory
from community import services
from community.models import EmployerMembership, EmployerMonth
from mentoring.journal import session_log_save
from mentoring.models import MentoringSession, Relationship, SessionLog
from mentoring.receivers import deletions_refreshed_at_end
from mentoring.tests.factories import MentoringSessionFactory, RelationshipFactory, SessionLogFactory

from .factories import EmployerMembershipFactory, EmployerPartnerFactory, mentor_user

pytestmark = pytest.mark.django_db


def _from_scratch() -> list[tuple]:
    """(employer, month, held logs, minutes, mentors, young people), counted here in Python from every
    held log and the memberships."""
    employer_of = dict(EmployerMembership.objects.values_list("mentor_id", "employer_id"))
    groups: dict[tuple, list] = {}
    for log in SessionLog.objects.filter(held=True).select_related("session__relationship"):
        relationship = log.session.relationship
        employer = employer_of.get(relationship.mentor_id)
        if employer is None:
            continue
        month = timezone.localtime(log.session.starts_at).date().replace(day=1)
        group = groups.setdefault((employer, month), [0, 0, set(), set()])
        group[0] += 1
        group[1] += log.duration_minutes or 0
        group[2].add(relationship.mentor_id)
        group[3].add(relationship.mentee_id)
    return sorted(
        (employer, month, logs, minutes, len(mentors), len(mentees))
        for (employer, month), (logs, minutes, mentors, mentees) in groups.items()
    )


def _kept() -> list[tuple]:
    fields = ("employer_id", "month", "held_logs", "held_minutes", "mentors", "mentees")
    return sorted(EmployerMonth.objects.values_list(*fields))


def _equal() -> list[tuple]:
    kept = _kept()
    assert kept == _from_scratch()
    return kept


def _months():
    now = timezone.localtime()
    this_month = now.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    return last_month, this_month


@pytest.fixture
def world():
    """Two employers; four mentors at the first (two sharing a young person) and two at the second; a
    mentor at neither; held logs over two months."""
    first, second = EmployerPartnerFactory(), EmployerPartnerFactory()
    ours = [EmployerMembershipFactory(employer=first).mentor for _ in range(4)]
    theirs = [EmployerMembershipFactory(employer=second).mentor for _ in range(2)]
    loner = mentor_user()
    shared = UserFactory()
    relationships = [
        RelationshipFactory(mentor=ours[0], mentee=shared),
        RelationshipFactory(mentor=ours[1], mentee=shared),
        RelationshipFactory(mentor=ours[2]),
        RelationshipFactory(mentor=ours[3], status=Relationship.Status.PAUSED),
        RelationshipFactory(mentor=theirs[0]),
        RelationshipFactory(mentor=theirs[1]),
        RelationshipFactory(mentor=loner),
    ]
    last_month, this_month = _months()
    for index, relationship in enumerate(relationships):
        SessionLogFactory(
            session__relationship=relationship, session__starts_at=this_month, duration_minutes=30 + index
        )
        if index % 2 == 0:
            SessionLogFactory(
                session__relationship=relationship, session__starts_at=last_month, duration_minutes=45
            )
    return {"first": first, "second": second, "ours": ours, "theirs": theirs, "loner": loner}


def test_the_months_are_counted_per_employer_from_its_mentors_logs(world):
    kept = _equal()
    last_month, this_month = _months()
    first = world["first"].pk
    # The first employer's four mentors held sessions this month with three young people between them.
    assert [row for row in kept if row[:2] == (first, this_month.date())] == [
        (first, this_month.date(), 4, 30 + 31 + 32 + 33, 4, 3)
    ]
    assert {row[0] for row in kept} == {first, world["second"].pk}


def test_logging_editing_missing_and_deleting_a_session_log_keep_the_months_true(world):
    mentor = world["ours"][2]
    relationship = Relationship.objects.get(mentor=mentor)
    last_month, _this_month = _months()
    session = MentoringSessionFactory(
        relationship=relationship, starts_at=last_month + datetime.timedelta(hours=2)
    )
    before = _equal()

    log = session_log_save(actor=mentor, session=session, held=True, duration_minutes=50, format="online")
    assert _equal() != before
    session_log_save(actor=mentor, session=session, held=True, duration_minutes=20, format="online")
    _equal()
    session_log_save(actor=mentor, session=session, held=False, missed_by="mentee")
    assert _equal() == before
    session_log_save(actor=mentor, session=session, held=True, duration_minutes=40, format="online")
    _equal()
    SessionLog.objects.get(pk=log.pk).delete()
    assert _equal() == before

    # A log edited outside the service, a session rescheduled into another month, a session deleted.
    edited = SessionLog.objects.filter(session__relationship=relationship).first()
    edited.duration_minutes = 90
    edited.save()
    _equal()
    moved = MentoringSession.objects.get(pk=edited.session_id)
    moved.starts_at = last_month - datetime.timedelta(days=40)
    moved.save()
    _equal()
    moved.delete()
    _equal()


def test_logs_written_in_bulk_count_once_the_summary_is_refreshed(world):
    relationship = Relationship.objects.get(mentor=world["theirs"][0])
    last_month, _this_month = _months()
    session = MentoringSessionFactory(
        relationship=relationship, status="held", starts_at=last_month + datetime.timedelta(hours=3)
    )
    SessionLog.objects.bulk_create(
        [SessionLog(session=session, author=relationship.mentor, held=True, duration_minutes=70)]
    )
    Relationship.objects.filter(pk=relationship.pk).refresh_held_sessions()
    _equal()
    SessionLog.objects.filter(session=session).update(duration_minutes=None)
    Relationship.objects.filter(pk=relationship.pk).refresh_held_sessions()
    _equal()


def test_mentors_joining_leaving_and_changing_employer_keep_the_months_true(world):
    first, second, loner = world["first"], world["second"], world["loner"]
    start = _equal()

    services.employer_membership_set(actor=loner, mentor=loner, employer=first)
    _equal()
    services.employer_membership_set(actor=loner, mentor=loner, employer=second)
    _equal()
    services.employer_membership_set(actor=loner, mentor=loner, employer=None)
    assert _equal() == start

    # Through the model, as the admin does: an employer changed on the row, a row deleted.
    membership = EmployerMembership.objects.get(mentor=world["ours"][0])
    membership.employer = second
    membership.save()
    _equal()
    membership.delete()
    _equal()
    # In bulk: the writer recounts.
    EmployerMembership.objects.bulk_create([EmployerMembership(mentor=world["ours"][0], employer=first)])
    EmployerMonth.recount(employer_ids={first.pk})
    assert _equal() == start


def test_relationships_changed_given_to_others_and_deleted_keep_the_months_true(world):
    ours, theirs, loner = world["ours"], world["theirs"], world["loner"]
    start = _equal()
    relationship = Relationship.objects.get(mentor=ours[2])

    relationship.status = Relationship.Status.PAUSED
    relationship.save()
    assert _equal() == start  # the months count every relationship, whatever its status

    relationship.mentor = theirs[0]  # to another employer's mentor
    relationship.save()
    _equal()
    relationship.mentor = loner  # to a mentor at no employer
    relationship.save()
    _equal()
    relationship.mentee = Relationship.objects.get(mentor=ours[1]).mentee  # a young person already counted
    relationship.save()
    _equal()
    relationship.mentor = theirs[0]
    relationship.save()
    _equal()
    # Saved from a copy read without its mentor: the mentor it had (at the other employer) comes from
    # the row.
    stale = Relationship.objects.only("pk", "status").get(pk=relationship.pk)
    stale.mentor_id = ours[2].pk
    stale.save()
    _equal()

    Relationship.objects.get(mentor=ours[3]).delete()
    _equal()
    with deletions_refreshed_at_end():
        Relationship.objects.get(mentor=theirs[1]).delete()
    _equal()


def test_an_employer_deleted_takes_its_months_along(world):
    first = world["first"]
    first.delete()
    assert not EmployerMonth.objects.filter(employer_id=first.pk).exists()
    assert _equal()


def test_the_migration_fills_the_months_as_they_are_kept(world):
    kept = _equal()
    EmployerMonth.objects.all().delete()
    migration = importlib.import_module("community.migrations.0002_employer_months")
    migration.count_months(apps, None)
    assert _kept() == kept
