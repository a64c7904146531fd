import datetime

import factory
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MentorProfileFactory, RoleAssignmentFactory, UserFactory
from mentoring.tests.factories import RelationshipFactory

from ..models import (
    BuddyPairing,
    BuddyPreference,
    EmployerContact,
    EmployerMembership,
    EmployerPartner,
    Event,
    EventRegistration,
)


def mentor_user(**kwargs):
    """A mentor: user, mentor profile and the mentor role."""
    profile_fields = {key: kwargs.pop(key) for key in ("region", "sector", "employer_name") if key in kwargs}
    user = UserFactory(**kwargs)
    MentorProfileFactory(user=user, **profile_fields)  # which also gives the mentor role
    return user


def experienced_mentor(**kwargs):
    """A mentor whose first relationship started half a year ago."""
    user = mentor_user(**kwargs)
    RelationshipFactory(mentor=user, started_on=timezone.localdate() - datetime.timedelta(days=180))
    return user


class EmployerPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerPartner

    name = factory.Sequence(lambda n: f"Employer {n} Ltd")
    sector = "Engineering"


class EmployerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerMembership

    mentor = factory.LazyFunction(mentor_user)
    employer = factory.SubFactory(EmployerPartnerFactory)


class EmployerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerContact
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    employer = factory.SubFactory(EmployerPartnerFactory)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            RoleAssignmentFactory(user=self.user, role=Role.EMPLOYER_CONTACT)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Community of practice {n}")
    description = "Share what is working in your sessions."
    format = Event.Format.ONLINE
    location = "https://meet.example.org/community"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1, minutes=30))


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    mentor = factory.LazyFunction(mentor_user)


class BuddyPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuddyPreference

    mentor = factory.LazyFunction(mentor_user)
    wants = BuddyPreference.Wants.SEEKING


class BuddyPairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuddyPairing

    new_mentor = factory.LazyFunction(mentor_user)
    experienced_mentor = factory.LazyFunction(experienced_mentor)
    status = BuddyPairing.Status.ACTIVE
    new_accepted_at = factory.LazyFunction(timezone.now)
    experienced_accepted_at = factory.LazyFunction(timezone.now)
