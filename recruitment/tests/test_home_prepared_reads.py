"""The mentor's application panel reads the latest application's status with a query compiled once per
process (core.prepared): the same as the queryset."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import ApplicationFactory
from recruitment import selectors
from recruitment.models import Application

pytestmark = pytest.mark.django_db


def test_the_latest_mentor_application_status_is_the_querysets(world):
    now = timezone.now()
    for days, status in ((9, "approved"), (5, "submitted"), (2, "withdrawn")):
        application = ApplicationFactory(user=world.mentor, status=status)
        Application.objects.filter(pk=application.pk).update(created_at=now - datetime.timedelta(days=days))
    ApplicationFactory(user=world.other_mentor, status="withdrawn")
    for person in (world.mentor, world.other_mentor, world.staff):
        expected = (
            selectors._mentor_applications_latest_first(person).values_list("status", flat=True).first()
        )
        assert selectors.latest_mentor_application_status(person) == expected
    assert selectors.latest_mentor_application_status(world.mentor) == "submitted"
    assert selectors.latest_mentor_application_status(world.other_mentor) is None
