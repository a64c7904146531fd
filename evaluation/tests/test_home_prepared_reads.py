"""The surveys panel of the mentor's and young person's homes reads the surveys waiting with a query
compiled once per process (core.prepared): it gives what the policy-scoped queryset gives for each
person, and the panel shows them."""

import pytest
from django.urls import reverse

from .. import selectors, services
from ..content import EXIT, MENTEE_PRE, MENTOR_POST, MENTOR_PRE, MIDPOINT, PULSE, TRAINING, WORKSHOP
from ..models import SurveyResponse
from .factories import submit

pytestmark = pytest.mark.django_db

PEOPLE = ("mentor", "other_mentor", "mentee_over_18", "mentee_under_16", "staff")


def _shown(rows):
    return [
        (row.pk, row.status, row.mandatory, row.instance.version.instrument.name, row.get_absolute_url())
        for row in rows
    ]


def test_waiting_surveys_are_the_policy_scoped_queryset_rows(world):
    # The mentor: more waiting than the panel shows, one started, one required and one submitted.
    for slug in (MENTOR_PRE, TRAINING, WORKSHOP, MIDPOINT, PULSE, EXIT):
        services.survey_issue(instrument_slug=slug, user=world.mentor, mandatory=slug == PULSE)
    SurveyResponse.objects.filter(respondent=world.mentor, instance__version__instrument__slug=EXIT).update(
        status=SurveyResponse.Status.IN_PROGRESS
    )
    submit(world.mentor, MENTOR_POST)
    services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)
    submit(world.mentee_under_16, MENTEE_PRE)
    for name in PEOPLE:
        person = getattr(world, name)
        expected = list(selectors.outstanding_responses_for(user=person)[: selectors.WAITING_SURVEYS_SHOWN])
        assert _shown(selectors.waiting_surveys(user=person)) == _shown(expected), name
    assert len(selectors.waiting_surveys(user=world.mentor)) == 5
    assert selectors.waiting_surveys(user=world.mentee_under_16) == []


def test_the_home_panel_lists_the_surveys_waiting(world, client_for):
    response = services.survey_issue(instrument_slug=MENTOR_PRE, user=world.mentor, mandatory=True)
    html = client_for(world.mentor).get(reverse("home")).content.decode()
    assert "Surveys waiting for you" in html
    name = response.instance.version.instrument.name
    assert f'<li><a href="{response.get_absolute_url()}">{name}</a>' in html
    assert '<span class="badge text-bg-warning">Required</span>' in html
    other = client_for(world.other_mentor).get(reverse("home")).content.decode()
    assert "Surveys waiting for you" not in other
