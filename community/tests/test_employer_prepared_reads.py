"""The employer figures' reads, compiled once per process (core.prepared): the employer is the one the
policy lets each person see, and its figures count what the session logs, relationships, memberships
and certificates say (counted here through the ORM), for each employer."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from community.models import EmployerPartner
from core import policy
from mentoring.models import Relationship, SessionLog
from mentoring.tests.factories import CohortFactory, RelationshipFactory, SessionLogFactory
from training.models import Certificate

from .. import selectors
from .factories import EmployerContactFactory, EmployerMembershipFactory, EmployerPartnerFactory

pytestmark = pytest.mark.django_db

UNDER_WAY = [status for status in Relationship.Status if status != Relationship.Status.APPROVED]


def _log(relationship, *, days_ago: int, minutes: int, held: bool = True):
    SessionLogFactory(
        session__relationship=relationship,
        session__starts_at=timezone.now() - timedelta(days=days_ago, hours=1),
        held=held,
        duration_minutes=minutes if held else None,
    )


def _certificate(mentor, status, programme=None):
    Certificate.objects.create(
        user=mentor,
        programme=programme,
        holder_name=mentor.get_full_name(),
        title="Level One",
        completed_on="2026-01-01",
        status=status,
    )


def _two_employers():
    """Two employers whose mentors share programmes and youth partners, with relationships in every
    status, young people mentored by two mentors, mentors with two relationships, held and missed
    sessions over two months, and certificates issued, pending and revoked."""
    first, second = EmployerPartnerFactory(), EmployerPartnerFactory()
    north = CohortFactory()
    north_second = CohortFactory(programme=north.programme)  # the same programme at another partner
    south = CohortFactory(youth_partner=north.youth_partner)  # another programme at the same partner
    mentors = [EmployerMembershipFactory(employer=first).mentor for _ in range(12)]
    others = [EmployerMembershipFactory(employer=second).mentor for _ in range(6)]
    shared_mentee = RelationshipFactory(mentor=mentors[0], cohort=north).mentee
    RelationshipFactory(mentor=mentors[1], mentee=shared_mentee, cohort=north)
    for mentor in mentors[2:6]:
        RelationshipFactory(mentor=mentor, cohort=north)
    for mentor in mentors[6:9]:
        RelationshipFactory(mentor=mentor, cohort=south, status=Relationship.Status.APPROVED)
    RelationshipFactory(mentor=mentors[0], cohort=south, status=Relationship.Status.APPROVED)
    RelationshipFactory(mentor=mentors[9], cohort=north_second, status=Relationship.Status.PAUSED)
    RelationshipFactory(mentor=mentors[9], cohort=north_second, status=Relationship.Status.COMPLETED)
    RelationshipFactory(mentor=mentors[10], cohort=north_second, status=Relationship.Status.ENDED_EARLY)
    RelationshipFactory(mentor=mentors[10], cohort=south, status=Relationship.Status.INTRODUCED)
    for mentor in others:
        RelationshipFactory(mentor=mentor, cohort=north)
    for index, relationship in enumerate(Relationship.objects.order_by("pk")):
        if relationship.status in (Relationship.Status.APPROVED, Relationship.Status.INTRODUCED):
            continue
        _log(relationship, days_ago=1, minutes=30 + 15 * (index % 4))
        if index % 3 == 0:
            _log(relationship, days_ago=40, minutes=50)
        if index % 4 == 0:
            _log(relationship, days_ago=3, minutes=0, held=False)
    for mentor in mentors[:6]:
        _certificate(mentor, Certificate.Status.ISSUED)
    _certificate(mentors[0], Certificate.Status.ISSUED, programme=north.programme)  # a second one
    _certificate(mentors[6], Certificate.Status.PENDING)
    _certificate(mentors[7], Certificate.Status.REVOKED)
    _certificate(others[0], Certificate.Status.ISSUED)
    return first, second


def _expected_figures(employer) -> list[selectors.Figure]:
    """The figures counted from the rows themselves (memberships, relationships, logs, certificates)."""
    linked = list(employer.memberships.values_list("mentor_id", flat=True))
    relationships = Relationship.objects.filter(mentor_id__in=linked)
    logs = SessionLog.objects.filter(session__relationship__in=relationships, held=True)
    minutes = logs.aggregate(total=Sum("duration_minutes"))["total"] or 0
    under_way = relationships.filter(status__in=UNDER_WAY)
    mentees = under_way.values("mentee_id").distinct().count()
    reach_mentors = under_way.values("mentor_id").distinct().count()
    held_by = logs.values("session__relationship__mentor_id").distinct().count()
    trained = (
        Certificate.objects.filter(user_id__in=linked, status=Certificate.Status.ISSUED)
        .values("user_id")
        .distinct()
        .count()
    )
    active = (
        relationships.filter(status__in=Relationship.OPEN_STATUSES).values("mentor_id").distinct().count()
    )
    return [
        selectors._figure("mentors_linked", "Mentors from your organisation", len(linked), len(linked)),
        selectors._share_figure(
            "mentors_active", "Mentors in an active mentoring relationship", active, len(linked)
        ),
        selectors._figure("sessions_held", "Mentoring sessions held", logs.count(), held_by),
        selectors._figure(
            "hours_volunteered", "Hours volunteered in sessions", round(minutes / 60, 1), held_by
        ),
        selectors._share_figure(
            "training_completed", "Mentors who completed their training", trained, len(linked)
        ),
        selectors._figure(
            "young_people_mentored",
            "Young people mentored",
            mentees,
            min(mentees, reach_mentors) if mentees else 0,
        ),
    ]


def _expected_groups(employer, group: str) -> list[tuple[str, list]]:
    """A breakdown's rows (`group` the path to the programme's or partner's name), from the rows."""
    linked = employer.memberships.values("mentor_id")
    relationships = Relationship.objects.filter(mentor_id__in=linked)
    rows = []
    names = set(relationships.filter(status__in=UNDER_WAY).values_list(group, flat=True))
    for name in sorted(names):
        in_group = relationships.filter(**{group: name})
        under_way = in_group.filter(status__in=UNDER_WAY)
        logs = SessionLog.objects.filter(session__relationship__in=in_group, held=True)
        minutes = logs.aggregate(total=Sum("duration_minutes"))["total"] or 0
        held_by = logs.values("session__relationship__mentor_id").distinct().count()
        people = selectors._cells(
            under_way.values("mentor_id").distinct().count(),
            under_way.values("mentee_id").distinct().count(),
            0,
            0,
        )
        rows.append((name, people[:2] + selectors._cells(held_by, 0, logs.count(), minutes)[2:]))
    return rows


def _expected_months(employer) -> list[tuple[str, list]]:
    linked = employer.memberships.values("mentor_id")
    logs = SessionLog.objects.filter(session__relationship__mentor_id__in=linked, held=True)
    months = sorted({timezone.localtime(log.session.starts_at).date().replace(day=1) for log in logs})
    rows = []
    for month in months:
        in_month = [
            log
            for log in logs.select_related("session__relationship")
            if timezone.localtime(log.session.starts_at).date().replace(day=1) == month
        ]
        rows.append(
            (
                month.strftime("%B %Y"),
                selectors._cells(
                    len({log.session.relationship.mentor_id for log in in_month}),
                    len({log.session.relationship.mentee_id for log in in_month}),
                    len(in_month),
                    sum(log.duration_minutes for log in in_month),
                ),
            )
        )
    return rows


def test_the_figures_and_breakdowns_are_what_the_rows_say_for_each_employer():
    first, second = _two_employers()
    for employer in (first, second):
        read = selectors.employer_relationships(employer)
        assert selectors.employer_figures(employer, read) == _expected_figures(employer)
        assert selectors.employer_figures(employer) == _expected_figures(employer)
        breakdowns = selectors.employer_breakdowns(employer, read)
        assert breakdowns == selectors.employer_breakdowns(employer)
        expected = [
            selectors._breakdown(
                "By month", "Month", _expected_months(employer), "No sessions held in the last twelve months."
            ),
            selectors._breakdown(
                "By programme", "Programme", _expected_groups(employer, "cohort__programme__name")
            ),
            selectors._breakdown(
                "By youth partner", "Youth partner", _expected_groups(employer, "cohort__youth_partner__name")
            ),
        ]
        assert breakdowns == expected
    # The world is varied enough to show figures, hide some, and break down into several groups.
    figures = selectors.employer_figures(first)
    assert {figure.key for figure in figures if figure.shown} >= {"mentors_linked", "sessions_held"}
    assert [len(breakdown.rows) for breakdown in selectors.employer_breakdowns(first)] == [2, 2, 2]


def test_an_employer_with_no_mentors_or_few_shows_nothing():
    empty = EmployerPartnerFactory()
    small = EmployerPartnerFactory()
    for _ in range(4):
        RelationshipFactory(mentor=EmployerMembershipFactory(employer=small).mentor)
    for employer in (empty, small):
        assert not any(figure.shown for figure in selectors.employer_figures(employer))
        assert selectors.employer_breakdowns(employer) == []


def test_one_employers_read_is_not_used_for_another():
    first, second = _two_employers()
    read = selectors.employer_relationships(first)
    with pytest.raises(ValueError, match="another's read"):
        selectors.employer_figures(second, read)
    with pytest.raises(ValueError, match="another's read"):
        selectors.employer_breakdowns(second, read)


PEOPLE = ("staff", "funder", "coordinator_a", "dsl_a", "mentor", "mentee_under_16")


def test_the_employer_shown_is_the_policys_for_each_person_and_employer(world):
    first, second = EmployerPartnerFactory(), EmployerPartnerFactory()
    EmployerMembershipFactory(employer=first, mentor=world.mentor)
    people = [getattr(world, name) for name in PEOPLE]
    people += [EmployerContactFactory(employer=employer).user for employer in (first, second, first)]
    for person in people:
        for pk in (first.pk, second.pk, 0, 2**31, 2**63 - 1):
            expected = list(
                policy.scope(person, policy.VIEW, EmployerPartner).filter(pk=pk).values_list("pk", "name")
            )
            shown = selectors.employer_shown_to(user=person, pk=pk)
            assert ([(shown.pk, shown.name)] if shown else []) == expected, (person, pk)
    # Each contact sees their own employer and no other; staff see both.
    contact = people[-3]
    assert selectors.employer_shown_to(user=contact, pk=first.pk) == first
    assert selectors.employer_shown_to(user=contact, pk=second.pk) is None
    assert selectors.employer_shown_to(user=world.staff, pk=second.pk) == second


def test_an_employer_number_too_large_for_any_row_is_not_found(client, world):
    from django.urls import reverse

    contact = EmployerContactFactory()
    client.force_login(world.staff)
    for pk in (2**63, 10**30):
        assert selectors.employer_shown_to(user=world.staff, pk=pk) is None
        assert selectors.employer_shown_to(user=contact.user, pk=pk) is None
        for name in ("community:employer_dashboard", "community:employer_figures_csv"):
            assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404
