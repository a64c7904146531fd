import datetime
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import User
from demo.evaluation import extend_demo
from mentoring.models import Relationship
from mentoring.tests.factories import RelationshipFactory

from .. import selectors
from ..models import PairTally, ResponseTally, SurveyResponse
from .factories import mentee_in


@pytest.mark.slow_ok(reason="submits paired surveys for a cohort through the services, then reads them")
def test_demo_surveys_follow_a_programme_year_and_rerunning_adds_nothing(world):
    today = timezone.localdate()
    mentees = [mentee_in(world.cohort_a) for _ in range(16)]
    ended = set()
    for index, mentee in enumerate(mentees):
        signed_up = today - datetime.timedelta(days=400 - 20 * index)
        User.objects.filter(pk=mentee.pk).update(
            date_joined=timezone.make_aware(datetime.datetime.combine(signed_up, datetime.time(10)))
        )
        started = signed_up + datetime.timedelta(weeks=10)
        finished = index < 10
        RelationshipFactory(
            mentor=world.mentor,
            mentee=mentee,
            cohort=world.cohort_a,
            status=Relationship.Status.COMPLETED if finished else Relationship.Status.ACTIVE,
            started_on=started,
            ended_on=started + datetime.timedelta(days=120) if finished else None,
        )
        if finished:
            ended.add(mentee.pk)
    context = SimpleNamespace(
        rng=random.Random(7),
        seed=7,
        programmes=[world.programme],
        partners=[world.partner_a],
        cohorts=[world.cohort_a],
        mentor_ids=[world.mentor.pk],
        mentee_ids=[m.pk for m in mentees],
        logins={"mentee": mentees[0]},
        password="demo",
        log=lambda message: None,
        today=today,
    )
    extend_demo(context)
    submitted = SurveyResponse.objects.filter(status="submitted", respondent__in=mentees)
    # Before surveys on the day each young person signed up, spread over more than a year.
    pre_days = {
        timezone.localdate(moment)
        for moment in submitted.filter(instance__version__instrument__purpose="mentee_pre").values_list(
            "submitted_at", flat=True
        )
    }
    joined = {timezone.localdate(user.date_joined) for user in User.objects.filter(pk__in=context.mentee_ids)}
    assert pre_days <= joined and (max(pre_days) - min(pre_days)).days > 250
    # After surveys only for relationships that have ended, on or after the end.
    posts = SurveyResponse.objects.filter(instance__version__instrument__purpose="mentee_post")
    assert posts.exists() and set(posts.values_list("respondent_id", flat=True)) <= ended
    ends = dict(Relationship.objects.values_list("mentee_id", "ended_on"))
    for person, moment in posts.filter(status="submitted").values_list("respondent_id", "submitted_at"):
        assert ends[person] <= timezone.localdate(moment) <= today
    # The summaries count by those days, and not everyone sent a survey answered it.
    pairs = sum(PairTally.objects.values_list("pairs", flat=True))
    assert pairs > 0 and set(PairTally.objects.values_list("day", flat=True)) <= {
        timezone.localdate(moment) for moment in posts.values_list("submitted_at", flat=True) if moment
    }
    rates = selectors.response_rates(selectors.AggregateFilter())
    assert sum(row["issued"] for row in rates) == SurveyResponse.objects.count()
    assert any(row["submitted"] < row["issued"] for row in rates)
    assert sum(ResponseTally.objects.values_list("submitted", flat=True)) == (
        SurveyResponse.objects.filter(status="submitted").count()
    )
    responses = SurveyResponse.objects.count()
    context.rng = random.Random(8)
    extend_demo(context)
    assert SurveyResponse.objects.count() == responses
    assert sum(PairTally.objects.values_list("pairs", flat=True)) == pairs
