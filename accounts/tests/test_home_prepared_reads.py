"""The mentor's profile panel reads the profile with a query compiled once per process (core.prepared):
the same profile the person's own `mentor_profile` gives."""

import pytest
from django.test import RequestFactory

from accounts.models import MentorProfile, User
from accounts.panels import mentor_profile_panel

pytestmark = pytest.mark.django_db


def test_the_profile_panel_shows_the_persons_own_profile(world):
    for person in (world.mentor, world.other_mentor, world.staff):
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=person.pk)
        shown = mentor_profile_panel(request).context["profile"]
        expected = MentorProfile.objects.filter(user=person).first()
        if expected is None:
            assert shown is None
            continue
        fields = [field.attname for field in MentorProfile._meta.concrete_fields]
        assert [getattr(shown, name) for name in fields] == [getattr(expected, name) for name in fields]
        assert shown.get_region_display() == expected.get_region_display()
