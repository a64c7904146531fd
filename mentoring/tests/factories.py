import datetime

import factory
from django.utils import timezone

from accounts.models import Region
from mentoring.models import Cohort, Programme, Relationship, YouthPartner


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
