"""The safeguarding lead's home lists built by safeguarding_tags give the markup of the template loops
they replaced, names and references escaped, for empty and full lists."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from accounts.models import MenteeProfile, User
from accounts.tests.factories import MenteeProfileFactory
from programmes.models import YouthPartner
from safeguarding.models import Concern

pytestmark = pytest.mark.django_db

CONCERN_LOOP = (
    "{% for concern in concerns %}\n"
    '          <li class="list-group-item d-flex justify-content-between flex-wrap gap-2">\n'
    '            <a href="{{ concern.get_absolute_url }}">{{ concern.reference }}</a>\n'
    "            <span>{% if concern.immediate_danger %}"
    '<span class="badge text-bg-danger">Immediate danger</span> {% endif %}'
    'acknowledge by {{ concern.acknowledge_by|date:"j M, H:i" }}</span>\n'
    "          </li>\n"
    "        {% endfor %}"
)
YOUNG_MENTEE_LOOP = (
    "{% for profile in profiles %}\n"
    "      <li><a href=\"{% url 'mentoring:mentee_detail' profile.user_id %}\">"
    "{{ profile.user.get_full_name }}</a>, {{ profile.age_band }}, {{ profile.youth_partner }}</li>\n"
    "    {% empty %}\n"
    "      <li>No mentees under 18.</li>\n"
    "    {% endfor %}"
)


def _both(loop: str, tag: str, **context) -> tuple[str, str]:
    return (
        Template(loop).render(Context(context)),
        Template("{% load safeguarding_tags %}" + tag).render(Context(context)),
    )


def test_the_waiting_concerns_are_the_loops_markup(settings):
    settings.TIME_ZONE = "Europe/London"
    now = timezone.now()
    concerns = [
        Concern(pk=7, immediate_danger=True, acknowledge_by=now + datetime.timedelta(hours=3)),
        Concern(pk=123456, immediate_danger=False, acknowledge_by=now.replace(month=7, day=1)),
    ]
    for listed in (concerns, concerns[:1], []):
        loop, tag = _both(CONCERN_LOOP, "{% waiting_concern_items concerns %}", concerns=listed)
        assert tag == loop
    assert "SG-00007" in loop or not listed


def test_the_young_people_are_the_loops_markup(world):
    partner = YouthPartner.objects.create(name="St <Mary> & Joseph's", kind=YouthPartner.Kind.SCHOOL)
    for age, first_name in ((12, "Amy"), (16, "<b>Bo</b>"), (17, "O'Neil")):
        MenteeProfileFactory(age=age, youth_partner=partner, user__first_name=first_name)
    profiles = list(
        MenteeProfile.objects.filter(youth_partner=partner).select_related("user", "youth_partner")
    )
    assert len(profiles) == 3
    for listed in (profiles, []):
        loop, tag = _both(YOUNG_MENTEE_LOOP, "{% young_mentee_items profiles %}", profiles=listed)
        assert tag == loop
    assert "&lt;b&gt;Bo&lt;/b&gt;" in Template(
        "{% load safeguarding_tags %}{% young_mentee_items p %}"
    ).render(Context({"p": profiles}))
    assert User.objects.filter(first_name="<b>Bo</b>").exists()
