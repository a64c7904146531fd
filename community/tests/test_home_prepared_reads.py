"""The community panel's reads, compiled once per process (core.prepared), give what the querysets give
for each person."""

import datetime

import pytest
from django.utils import timezone

from community import selectors
from community.models import BuddyPairing, Event, EventRegistration
from community.tests.factories import (
    BuddyPairingFactory,
    EmployerMembershipFactory,
    EmployerPartnerFactory,
    EventFactory,
    EventRegistrationFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = ("staff", "coordinator_a", "mentor", "other_mentor", "mentee_under_16", "funder")


def test_the_next_events_with_own_status_are_the_querysets(world):
    now = timezone.now()
    employer = EmployerPartnerFactory()
    EmployerMembershipFactory(mentor=world.mentor, employer=employer)
    for days in (1, 2, 3, 5, 8):
        EventFactory(starts_at=now + datetime.timedelta(days=days))
    EventFactory(starts_at=now + datetime.timedelta(hours=6), employer=employer)
    EventFactory(starts_at=now - datetime.timedelta(days=3))
    EventFactory(starts_at=now + datetime.timedelta(days=4), status=Event.Status.CANCELLED)
    first = Event.objects.order_by("starts_at").first()
    EventRegistrationFactory(event=first, mentor=world.mentor, status=EventRegistration.Status.WAITING)
    for name in PEOPLE:
        person = getattr(world, name)
        expected = list(selectors.upcoming_events_for(user=person, limit=3, with_own_status=True))
        rows = selectors.next_events_with_own_status(user=person)
        assert [(e.pk, e.title, e.starts_at, e.format, e.own_status) for e in rows] == [
            (e.pk, e.title, e.starts_at, e.format, e.own_status) for e in expected
        ], name


def test_the_latest_open_pairing_is_the_querysets(world):
    BuddyPairingFactory(
        new_mentor=world.mentor, status=BuddyPairing.Status.PROPOSED, experienced_accepted_at=None
    )
    BuddyPairingFactory(experienced_mentor=world.mentor)
    for name in PEOPLE:
        person = getattr(world, name)
        expected = selectors.open_pairing_for(user=person)
        pairing = selectors.latest_open_pairing_shown(user=person)
        if expected is None:
            assert pairing is None
            continue
        assert (pairing.pk, pairing.status, pairing.new_accepted_at, pairing.experienced_accepted_at) == (
            expected.pk,
            expected.status,
            expected.new_accepted_at,
            expected.experienced_accepted_at,
        )
        assert pairing.buddy_of(person).get_full_name() == expected.buddy_of(person).get_full_name()
