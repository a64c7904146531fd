import datetime

import factory
from django.utils import timezone

from accounts.models import Region
from mentoring.models import (
    BlackoutDate,
    Cohort,
    Goal,
    MentoringSession,
    Programme,
    Relationship,
    SessionLog,
    SupportCheckIn,
    Venue,
    YouthPartner,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Youth Mentoring Programme {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    summary = "One hour a month for twelve months with a trained volunteer mentor."
    contact_email = "programmes@example.org"


class YouthPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YouthPartner
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner School {n}")
    kind = YouthPartner.Kind.SCHOOL
    region = Region.GREATER_MANCHESTER


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    youth_partner = factory.SubFactory(YouthPartnerFactory)
    start_date = factory.Sequence(lambda n: timezone.localdate().replace(day=1) - datetime.timedelta(days=n))


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    mentor = factory.SubFactory("accounts.tests.factories.UserFactory")
    mentee = factory.SubFactory("accounts.tests.factories.UserFactory")
    cohort = factory.SubFactory(CohortFactory)
    status = Relationship.Status.ACTIVE
    started_on = factory.LazyFunction(timezone.localdate)


class MentoringSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSession

    relationship = factory.SubFactory(RelationshipFactory)
    number = factory.Sequence(lambda n: n + 1)
    # A microsecond apart, so two sessions made for one pair in the same instant (frozen time) never
    # share a start, which the one-session-per-pair-at-a-time constraint refuses.
    starts_at = factory.Sequence(lambda n: timezone.now() + datetime.timedelta(days=7, microseconds=n))
    duration_minutes = 60
    is_online = True


class SessionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionLog

    session = factory.SubFactory(
        MentoringSessionFactory,
        starts_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2)),
        status=MentoringSession.Status.HELD,
    )
    author = factory.LazyAttribute(lambda o: o.session.relationship.mentor)
    held = True
    duration_minutes = 60
    format = SessionLog.Format.IN_PERSON
    topics = factory.LazyFunction(lambda: ["options"])
    summary = "Looked at sixth-form options and what each leads to."
    next_time_notes = "Bring the college prospectus and two questions for the open evening."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    relationship = factory.SubFactory(RelationshipFactory)
    title = factory.Sequence(lambda n: f"Apply for {n + 1} work-experience placements")
    measure = "Applications sent"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class SupportCheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportCheckIn

    relationship = factory.SubFactory(RelationshipFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("youth_partner", "name")

    youth_partner = factory.SubFactory(YouthPartnerFactory)
    name = "Careers room"
    details = "Sign in at reception; the room is on the first floor."


class BlackoutDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlackoutDate

    youth_partner = factory.SubFactory(YouthPartnerFactory)
    label = "Mock exams"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=37))
