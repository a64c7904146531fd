"""Each relationship's copy of its young person's dates (mentee_signed_up_on, mentee_first_started_on,
mentee_first_held_on), which the impact page's waits read, and of their youth partner
(mentee_partner), by which a coordinator's home finds their partners' relationships, equals what the
raw rows say after every kind of write: relationships created, started, given to another young person
and deleted, sessions held, moved and deleted, applications submitted, changed and deleted, a joining
day corrected, a profile created, moved to another partner, given to another person and deleted, and
bulk writes followed by `refresh_mentee_dates()`."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import MenteeProfile, Role, User
from accounts.tests.factories import (
    MenteeApplicationFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    UserFactory,
)
from evaluation import selectors
from mentoring.journal import session_log_save
from mentoring.lifecycle import relationship_create, relationship_transition
from mentoring.models import MentoringSession, Relationship
from mentoring.tests.factories import CohortFactory, MentoringSessionFactory, RelationshipFactory
from recruitment.models import Application

pytestmark = pytest.mark.django_db


def _from_raw_rows(mentee_id):
    """The three dates worked out from the rows themselves: applications, the account, every
    relationship of the young person and their sessions; and the youth partner of their profile."""
    submitted = [
        timezone.localdate(at)
        for at in Application.objects.filter(
            user_id=mentee_id, role=Role.MENTEE, submitted_at__isnull=False
        ).values_list("submitted_at", flat=True)
    ]
    joined = timezone.localdate(User.objects.get(pk=mentee_id).date_joined)
    starts = [
        day
        for day in Relationship.objects.filter(mentee_id=mentee_id).values_list("started_on", flat=True)
        if day
    ]
    held = [
        timezone.localdate(at)
        for at in MentoringSession.objects.filter(
            relationship__mentee_id=mentee_id, status=MentoringSession.Status.HELD
        ).values_list("starts_at", flat=True)
    ]
    partner = (
        MenteeProfile.objects.filter(user_id=mentee_id).values_list("youth_partner_id", flat=True).first()
    )
    return (
        min(submitted) if submitted else joined,
        min(starts, default=None),
        min(held, default=None),
        partner,
    )


def _check_everyone():
    """Every relationship's copy equals its young person's raw-row dates and partner."""
    rows = Relationship.objects.values_list(
        "pk",
        "mentee_id",
        "mentee_signed_up_on",
        "mentee_first_started_on",
        "mentee_first_held_on",
        "mentee_partner_id",
    )
    assert rows, "nothing to check"
    for pk, mentee_id, *stored in rows:
        assert tuple(stored) == _from_raw_rows(mentee_id), f"relationship {pk}"


def _noon(days_ago):
    return timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=days_ago
    )


def _mentor():
    return MentorProfileFactory(capacity=2).user


def test_the_young_persons_dates_follow_every_write(world):
    mentee = MenteeProfileFactory(age=19).user  # an adult: no background check needed for the match
    User.objects.filter(pk=mentee.pk).update(date_joined=_noon(300))  # before any relationship
    cohort = CohortFactory()

    first = relationship_create(actor=world.staff, mentor=_mentor(), mentee=mentee, cohort=cohort)
    _check_everyone()
    assert Relationship.objects.get(pk=first.pk).mentee_signed_up_on == timezone.localdate(_noon(300))

    relationship_transition(actor=world.staff, relationship=first, to_status=Relationship.Status.INTRODUCED)
    relationship_transition(actor=world.staff, relationship=first, to_status=Relationship.Status.ACTIVE)
    _check_everyone()
    assert Relationship.objects.get(pk=first.pk).mentee_first_started_on == timezone.localdate()

    session = MentoringSessionFactory(relationship=first, starts_at=_noon(20))
    session_log_save(actor=first.mentor, session=session, held=True, duration_minutes=60, format="online")
    _check_everyone()

    # A second, earlier relationship moves the first start and first held session on both.
    second = RelationshipFactory(
        mentor=_mentor(), mentee=mentee, started_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    MentoringSessionFactory(relationship=second, starts_at=_noon(80), status=MentoringSession.Status.HELD)
    _check_everyone()
    assert Relationship.objects.get(pk=first.pk).mentee_first_held_on == timezone.localdate(_noon(80))

    # Applications: a draft does not count, a submitted one does, an earlier one wins, and deleting
    # or changing them counts again.
    draft = MenteeApplicationFactory(user=mentee, submitted_at=None)
    _check_everyone()
    draft.submitted_at = _noon(200)
    draft.save()
    _check_everyone()
    earlier = MenteeApplicationFactory(user=mentee, submitted_at=_noon(250))
    _check_everyone()
    assert Relationship.objects.get(pk=second.pk).mentee_signed_up_on == timezone.localdate(_noon(250))
    earlier.delete()
    _check_everyone()
    as_mentor = Application.objects.get(pk=draft.pk)
    as_mentor.role = Role.MENTOR
    as_mentor.save()
    _check_everyone()

    # The held session moved to another day, then back to scheduled, then deleted.
    held = MentoringSession.objects.get(relationship=second)
    held.starts_at = _noon(60)
    held.save()
    _check_everyone()
    held.status = MentoringSession.Status.SCHEDULED
    held.save()
    _check_everyone()
    held.delete()
    _check_everyone()

    # A joining day corrected (an admin edit).
    person = User.objects.get(pk=mentee.pk)
    person.date_joined = _noon(310)
    person.save()
    _check_everyone()

    # A relationship given to another young person, then one deleted.
    other = UserFactory()
    moved = Relationship.objects.get(pk=second.pk)
    moved.mentee = other
    moved.save()
    _check_everyone()
    Relationship.objects.get(pk=second.pk).delete()
    _check_everyone()


def test_the_young_persons_partner_follows_their_profile(world):
    person = UserFactory()
    relationships = [RelationshipFactory(mentor=_mentor(), mentee=person) for _ in range(2)]
    # No profile yet: no partner; then a profile at one partner, moved to another, given to another
    # person, and deleted.
    Relationship.objects.filter(mentee=person).update(mentee_partner=world.partner_a)  # a stale copy
    Relationship.objects.filter(mentee=person).refresh_mentee_dates()
    _check_everyone()
    assert Relationship.objects.get(pk=relationships[0].pk).mentee_partner_id is None
    profile = MenteeProfileFactory(user=person, youth_partner=world.partner_a)
    _check_everyone()
    assert set(Relationship.objects.filter(mentee=person).values_list("mentee_partner", flat=True)) == {
        world.partner_a.pk
    }
    moved = MenteeProfile.objects.get(pk=profile.pk)
    moved.youth_partner = world.partner_b
    moved.save()
    _check_everyone()
    assert Relationship.objects.get(pk=relationships[1].pk).mentee_partner_id == world.partner_b.pk
    # Saved again unchanged, and saved from a copy read before the move: the partner stays true.
    moved.save()
    profile.phone = "07700 900999"
    profile.save()
    _check_everyone()
    someone_else = UserFactory()
    other_relationship = RelationshipFactory(mentor=_mentor(), mentee=someone_else)
    given = MenteeProfile.objects.get(pk=profile.pk)
    given.user = someone_else
    given.save()
    _check_everyone()
    assert Relationship.objects.get(pk=other_relationship.pk).mentee_partner_id == given.youth_partner_id
    assert Relationship.objects.get(pk=relationships[0].pk).mentee_partner_id is None
    given.delete()
    _check_everyone()
    assert Relationship.objects.get(pk=other_relationship.pk).mentee_partner_id is None


def test_bulk_writes_are_followed_by_a_refresh():
    mentee = UserFactory()
    cohort = CohortFactory()
    created = Relationship.objects.bulk_create(
        [
            Relationship(
                mentor=_mentor(),
                mentee=mentee,
                cohort=cohort,
                status=Relationship.Status.ACTIVE,
                started_on=timezone.localdate() - datetime.timedelta(days=days),
            )
            for days in (30, 10)
        ]
    )
    MentoringSession.objects.bulk_create(
        [
            MentoringSession(relationship=relationship, number=1, starts_at=_noon(5), status="held")
            for relationship in created
        ]
    )
    Application.objects.bulk_create(
        [Application(user=mentee, programme=cohort.programme, role=Role.MENTEE, submitted_at=_noon(45))]
    )
    Relationship.objects.filter(mentee=mentee).refresh_held_sessions()  # also refreshes the dates
    _check_everyone()
    Relationship.objects.filter(mentee=mentee).update(started_on=timezone.localdate())
    Relationship.objects.filter(mentee=mentee).refresh_mentee_dates()
    _check_everyone()


def _waits_from_raw_rows(relationships) -> dict[str, dict[int, int]]:
    """The waits histogram (days waited: young people) from the raw rows, each young person once."""
    waits: dict[str, dict[int, int]] = {"started": {}, "held": {}}
    for mentee_id in set(relationships.values_list("mentee_id", flat=True)):
        signed_up, started, held, _partner = _from_raw_rows(mentee_id)
        for event, day in (("started", started), ("held", held)):
            if day is not None:
                waits[event][(day - signed_up).days] = waits[event].get((day - signed_up).days, 0) + 1
    return waits


def test_the_waits_measure_equals_the_raw_rows(world):
    cohort = CohortFactory(programme=world.programme)
    elsewhere = CohortFactory()
    for index in range(12):
        mentee = UserFactory()
        User.objects.filter(pk=mentee.pk).update(date_joined=_noon(200 + index * 3))
        if index % 3:
            MenteeApplicationFactory(user=mentee, submitted_at=_noon(150 + index * 5))
        relationship = RelationshipFactory(
            mentor=_mentor(),
            mentee=mentee,
            cohort=cohort,
            started_on=timezone.localdate() - datetime.timedelta(days=100 - index * 4),
        )
        if index % 4:
            MentoringSessionFactory(relationship=relationship, starts_at=_noon(90 - index * 5), status="held")
        if index % 5 == 0:
            # A relationship in another programme counts for their first start, not for the slice.
            RelationshipFactory(
                mentor=_mentor(),
                mentee=mentee,
                cohort=elsewhere,
                status=Relationship.Status.COMPLETED,
                started_on=timezone.localdate() - datetime.timedelta(days=140),
            )
    in_programme = Relationship.objects.filter(cohort__programme=world.programme)
    expected = _waits_from_raw_rows(in_programme)
    assert expected["started"] and expected["held"]
    in_slice = selectors._DeliverySlice.of(selectors.AggregateFilter(programme_id=world.programme.pk))
    shown = {measure["measure"]: measure["value"] for measure in selectors.waits_from_sign_up(in_slice)}
    for event, noun in (("started", "relationship start"), ("held", "held session")):
        histogram = sorted(expected[event].items())
        total = sum(count for _days, count in histogram)
        median = round(selectors._median_days(histogram, total) / 7, 1)
        within = sum(count for days, count in histogram if days <= 84)
        assert shown[f"Weeks from signing up to the first {noun} (median; aim 8-12)"] == median
        label = "first relationship started" if event == "started" else "first session was held"
        assert shown[f"Young people whose {label} within 12 weeks of signing up"] == selectors._share(
            within, total
        )
