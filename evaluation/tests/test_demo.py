import random
from types import SimpleNamespace

from ..demo import extend_demo
from ..models import PairTally, SurveyResponse
from .factories import mentee_in


def test_demo_creates_paired_evaluations_and_is_idempotent(world):
    mentees = [mentee_in(world.cohort_a) for _ in range(12)]
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
    )
    extend_demo(context)
    responses = SurveyResponse.objects.count()
    pairs = sum(PairTally.objects.values_list("pairs", flat=True))
    assert SurveyResponse.objects.filter(status="submitted").count() == responses
    assert pairs > 0
    context.rng = random.Random(8)
    extend_demo(context)
    assert SurveyResponse.objects.count() == responses
    assert sum(PairTally.objects.values_list("pairs", flat=True)) == pairs
