"""Database people for matching tests: eligible by default, override what a test is about."""

import datetime

from django.utils import timezone

from accounts.tests.factories import (
    ApplicationFactory,
    MenteeApplicationFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    UserFactory,
)
from recruitment.models import Application, ConsentRecord, Industry, Interest, ScreeningCheck
from training.tests.factories import WorkshopBookingFactory, WorkshopFactory


def valid_check(user, application, **overrides):
    values = {
        "background_check_status": ScreeningCheck.CheckStatus.CLEAR,
        "background_check_level": ScreeningCheck.CheckLevel.ENHANCED_BARRED,
        "barred_list_result": ScreeningCheck.BarredListResult.NOT_BARRED,
        "certificate_issued_on": timezone.localdate() - datetime.timedelta(days=100),
        "update_service": True,
    }
    values.update(overrides)
    return ScreeningCheck.objects.create(application=application, **values)


def trained(user):
    workshop = WorkshopFactory(starts_at=timezone.now() - datetime.timedelta(days=20))
    WorkshopBookingFactory(workshop=workshop, user=user, attended=True)


def mentor(
    programme,
    first_name,
    *,
    support=("careers_guidance",),
    industries=(),
    interests=(),
    status=Application.Status.APPROVED,
    check=True,
    is_trained=True,
    conflict_partners=(),
    **profile,
):
    """An approved, trained, checked mentor in Greater Manchester with one place."""
    user = UserFactory(first_name=first_name, email=f"{first_name.lower()}.mentor@example.org")
    MentorProfileFactory(user=user, employer_name=profile.pop("employer_name", "Acme Engineering"), **profile)
    application = ApplicationFactory(
        user=user,
        programme=programme,
        status=status,
        support_areas=list(support),
        region=profile.get("region", "greater_manchester"),
    )
    application.industries.set(Industry.objects.filter(slug__in=industries))
    application.interests.set(Interest.objects.filter(slug__in=interests))
    application.conflict_partners.set(conflict_partners)
    if check:
        valid_check(user, application)
    if is_trained:
        trained(user)
    return user


def mentee(
    cohort,
    first_name,
    *,
    age=19,
    support=("careers_guidance",),
    industries=(),
    interests=(),
    pairing="one_to_one",
    parental_consent=False,
    goals="Find out what working in engineering is like.",
    **profile,
):
    user = UserFactory(first_name=first_name, email=f"{first_name.lower()}.mentee@example.org")
    MenteeProfileFactory(user=user, age=age, youth_partner=cohort.youth_partner, cohort=cohort, **profile)
    application = MenteeApplicationFactory(
        user=user,
        programme=cohort.programme,
        status=Application.Status.APPROVED,
        support_areas=list(support),
        youth_partner=cohort.youth_partner,
        pairing_preference=pairing,
        goals=goals,
    )
    application.industries.set(Industry.objects.filter(slug__in=industries))
    application.interests.set(Interest.objects.filter(slug__in=interests))
    if parental_consent:
        ConsentRecord.objects.create(
            mentee=user,
            given_by_name="A Parent",
            given_by_email="parent@example.org",
            given_by_relationship="Parent",
            given_at=timezone.now(),
            text_version="test",
            text="I agree.",
        )
    return user
