import datetime

import factory
from django.utils import timezone

from accounts.models import DiversityAnswers, MenteeProfile, MentorProfile, Region, Role, RoleAssignment, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.PROGRAMME_STAFF


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    bio = "Fifteen years in civil engineering; happy to help with applications, interviews and confidence."
    sector = "Engineering"
    job_title = "Senior engineer"
    employer_name = "Northway Consulting"
    region = Region.GREATER_MANCHESTER
    phone = "07700 900123"
    capacity = 1

    @factory.post_generation
    def with_role(obj, create, extracted, **kwargs):
        if create:
            RoleAssignment.objects.get_or_create(
                user=obj.user, role=Role.MENTOR, youth_partner=None, programme=None
            )


def date_of_birth_for_age(years: int, days_past_birthday: int = 30) -> datetime.date:
    """A date of birth making someone `years` old today, a little after their birthday."""
    today = timezone.localdate()
    birthday = today - datetime.timedelta(days=days_past_birthday)
    try:
        return birthday.replace(year=birthday.year - years)
    except ValueError:
        return birthday.replace(year=birthday.year - years, day=28)


class MenteeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeProfile
        skip_postgeneration_save = True

    class Params:
        age = 15

    user = factory.SubFactory(UserFactory)
    date_of_birth = factory.LazyAttribute(lambda o: date_of_birth_for_age(o.age))
    youth_partner = factory.SubFactory("mentoring.tests.factories.YouthPartnerFactory")
    cohort = None
    stage = MenteeProfile.Stage.SECONDARY
    region = Region.GREATER_MANCHESTER
    phone = "07700 900456"
    address = "1 Example Street, Salford"

    @factory.post_generation
    def with_role(obj, create, extracted, **kwargs):
        if create:
            RoleAssignment.objects.get_or_create(
                user=obj.user, role=Role.MENTEE, youth_partner=None, programme=None
            )


class DiversityAnswersFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiversityAnswers

    user = factory.SubFactory(UserFactory)
    ethnicity = DiversityAnswers.Ethnicity.UNDISCLOSED
    consented_at = factory.LazyFunction(timezone.now)
