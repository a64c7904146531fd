import datetime
import random
from types import SimpleNamespace

import pytest

from training import selectors
from training.loader import load_training_content
from training.models import Certificate, Course, Module, Question, Workshop


@pytest.mark.django_db
def test_level_one_has_seventeen_modules_in_six_sections_each_with_a_quiz():
    load_training_content()
    version = selectors.published_version(Course.objects.get(slug="level-one-heart-of-the-matter"))
    assert [section.title for section in version.sections.all()] == [
        "Introduction",
        "Your first meeting",
        "Key attributes",
        "Practical skills",
        "Social action",
        "Introduction to safeguarding",
    ]
    modules = list(version.ordered_modules())
    assert len(modules) == 17
    assert all(module.questions.exists() for module in modules)
    for question in Question.objects.filter(module__in=modules).prefetch_related("choices"):
        correct = sum(choice.is_correct for choice in question.choices.all())
        assert correct >= 1 and (question.kind == "multiple" or correct == 1), question.prompt


def time_machine_days(days):
    """Run the demo again a few days later: nothing new may appear."""
    from unittest import mock

    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(days=days)
    return mock.patch("django.utils.timezone.now", return_value=later)


@pytest.mark.django_db
def test_demo_extension_is_idempotent_and_trains_some_mentors(world):
    from demo.training import extend_demo

    lines = []
    context = SimpleNamespace(
        rng=random.Random(4),
        seed=4,
        programmes=[world.programme],
        partners=[world.partner_a, world.partner_b],
        cohorts=[world.cohort_a, world.cohort_b],
        mentor_ids=[world.mentor.pk, world.other_mentor.pk],
        mentee_ids=[world.mentee_under_16.pk],
        logins={"mentor": world.mentor, "programme_staff": world.staff},
        password="demo",
        log=lines.append,
    )
    extend_demo(context)
    counts = (Workshop.objects.count(), Certificate.objects.count(), Module.objects.count())
    context.rng = random.Random(4)
    with time_machine_days(3):
        extend_demo(context)
    assert (Workshop.objects.count(), Certificate.objects.count(), Module.objects.count()) == counts
    assert selectors.training_status(user=world.other_mentor, programme=world.programme).fully_trained
    # The demo mentor login is left with the workshop still to book, to show what is missing.
    assert selectors.training_status(user=world.mentor).missing == ["Core workshop attendance"]
    assert lines and "courses" in lines[-1]
