import random
from types import SimpleNamespace

import pytest

from demo.relationships import extend_demo
from mentoring.models import AgreementTemplate, BlackoutDate, Goal, MentoringSession, SessionLog, Venue

pytestmark = pytest.mark.django_db


def _context(world, lines):
    return SimpleNamespace(
        rng=random.Random(7),
        seed=7,
        programmes=[world.programme],
        partners=[world.partner_a, world.partner_b],
        cohorts=[world.cohort_a, world.cohort_b],
        mentor_ids=[world.mentor.pk, world.other_mentor.pk],
        mentee_ids=[world.mentee_under_16.pk, world.mentee_over_18.pk, world.mentee_b.pk],
        logins={"mentor": world.mentor},
        password="demo",
        log=lines.append,
    )


def test_demo_extension_adds_sessions_logs_and_goals_and_running_it_again_adds_nothing(world):
    lines = []
    extend_demo(_context(world, lines))
    counts = [
        model.objects.count()
        for model in (Venue, BlackoutDate, AgreementTemplate, MentoringSession, SessionLog, Goal)
    ]
    assert MentoringSession.objects.filter(relationship=world.relationship_under_16).count() == 12
    assert Goal.objects.filter(relationship__mentor=world.mentor).exists()
    assert Venue.objects.filter(youth_partner=world.partner_a).count() == 3
    assert "3 relationships" in lines[-1]
    extend_demo(_context(world, lines))
    assert counts == [
        model.objects.count()
        for model in (Venue, BlackoutDate, AgreementTemplate, MentoringSession, SessionLog, Goal)
    ]
