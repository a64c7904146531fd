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


# Recruitment ------------------------------------------------------------------------------------


class ApplicationWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruitment.ApplicationWindow"

    programme = factory.SubFactory("mentoring.tests.factories.ProgrammeFactory")
    role = Role.MENTOR
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=35))
    eligibility = "Adults with at least three years' experience of work, living in the UK."
    commitment = "One hour a month for twelve months, plus 90 minutes of online training and a workshop."
    what_happens_next = "We check your application, take up references and arrange a background check."
    contact_email = "volunteer@example.org"


class DeclineGroundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruitment.DeclineGround"
        django_get_or_create = ("programme", "label")

    programme = factory.SubFactory("mentoring.tests.factories.ProgrammeFactory")
    label = "Not enough time to commit"
    feedback = (
        "The programme asks for an hour every month for a year, and from your answers that looks hard to "
        "fit in right now. We would be glad to hear from you again when you have more time."
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruitment.Application"

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory("mentoring.tests.factories.ProgrammeFactory")
    role = Role.MENTOR
    region = Region.GREATER_MANCHESTER
    support_areas = factory.LazyFunction(lambda: ["careers_guidance", "cv_and_interviews"])
    background = MentorProfile.Background.EMPLOYED
    sector = "Engineering"
    job_title = "Project engineer"
    available_days = factory.LazyFunction(lambda: ["tue", "thu"])
    available_times = factory.LazyFunction(lambda: ["after_school"])
    preferred_settings = factory.LazyFunction(lambda: ["school", "college"])
    bio = "Twelve years in engineering; I can help with applications, interviews and finding work experience."


class MenteeApplicationFactory(ApplicationFactory):
    role = Role.MENTEE
    background = ""
    sector = ""
    job_title = ""
    available_days = factory.LazyFunction(list)
    available_times = factory.LazyFunction(list)
    preferred_settings = factory.LazyFunction(list)
    bio = ""
    support_areas = factory.LazyFunction(lambda: ["careers_guidance"])
    stage = MenteeProfile.Stage.SECONDARY
    youth_partner = factory.SubFactory("mentoring.tests.factories.YouthPartnerFactory")
    goals = "Find out what working in a hospital is like."
    pairing_preference = "either"


class ScreeningCheckFactory(factory.django.DjangoModelFactory):
    """A completed screening with a clear enhanced check including the children's barred list: what a
    mentor needs before working with anyone under 18."""

    class Meta:
        model = "recruitment.ScreeningCheck"

    application = factory.SubFactory(ApplicationFactory, status="approved")
    identity_status = "clear"
    background_check_status = "clear"
    background_check_level = "enhanced_barred"
    barred_list_result = "not_barred"
    check_decision = "suitable"
    certificate_last4 = "7890"
    certificate_issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    interview_status = "clear"
    code_of_conduct_accepted_at = factory.LazyFunction(timezone.now)
    safeguarding_policy_accepted_at = factory.LazyFunction(timezone.now)


def give_enhanced_check(user, **overrides):
    """Record a clear enhanced check with barred list for `user` (an approved mentor application)."""
    return ScreeningCheckFactory(application__user=user, **overrides)
