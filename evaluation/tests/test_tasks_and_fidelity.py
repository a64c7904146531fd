import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from mentoring.models import Relationship
from mentoring.tests.factories import CohortFactory, RelationshipFactory

from .. import selectors, services
from ..content import MENTEE_PRE
from ..models import SurveyResponse
from ..tasks import send_survey_reminders
from .factories import mentee_in


def test_reminders_go_weekly_to_unfinished_surveys_only(world, mailoutbox, committing):
    old = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)  # sent today
    SurveyResponse.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    mailoutbox.clear()
    with committing():
        assert send_survey_reminders() == 1
    assert mailoutbox[0].to == [world.mentee_b.email] and "reminder" in mailoutbox[0].body.lower()
    with committing():
        assert send_survey_reminders() == 0  # not again within the week


def test_fidelity_counts_early_endings_and_time_to_start(world):
    cohort = CohortFactory(programme=world.programme, youth_partner=world.partner_a, start_date="2025-01-06")
    mentees = [mentee_in(cohort) for _ in range(6)]
    today = timezone.localdate()
    for index, mentee in enumerate(mentees):
        User.objects.filter(pk=mentee.pk).update(date_joined=timezone.now() - datetime.timedelta(weeks=20))
        RelationshipFactory(
            mentor=world.other_mentor,
            mentee=mentee,
            cohort=cohort,
            status=Relationship.Status.ENDED_EARLY if index < 2 else Relationship.Status.COMPLETED,
            # Four started ten weeks after sign-up, two eighteen weeks after.
            started_on=today - datetime.timedelta(weeks=10 if index < 4 else 2),
        )
    measures = {
        m["measure"]: m["value"]
        for m in selectors.fidelity(selectors.AggregateFilter(cohort_id=cohort.pk))["measures"]
    }
    assert measures["Ended early"] == 2
    assert measures["Early-ending rate (of closed relationships)"] == "33%"
    assert measures["Young people whose first relationship started within 12 weeks of signing up"] == "67%"


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Emails are recorded with the change and sent once it commits: run what waits for the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
