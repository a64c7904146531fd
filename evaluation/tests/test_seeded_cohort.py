"""The dashboard on a seeded cohort whose true shares are worked out here from the answers given: what
a funder reads is what the young people said."""

import random

import pytest
from django.apps import apps
from django.urls import reverse

from ..content import load_instruments
from .factories import mentee_in, pair

SEED = 2026
PEOPLE = 20


@pytest.mark.slow_ok(reason="twenty young people's before and after surveys, submitted through the services")
def test_the_dashboard_shows_the_true_shares_of_a_seeded_cohort(world, client_for):
    load_instruments(apps)
    rng = random.Random(SEED)
    answers = [(rng.randint(1, 5), rng.randint(1, 5)) for _ in range(PEOPLE)]
    for before, after in answers:
        pair(mentee_in(world.cohort_a), {"positive_future": before}, {"positive_future": after})
    agree_before = sum(1 for before, _after in answers if before >= 4)
    agree_after = sum(1 for _before, after in answers if after >= 4)
    print(
        f"seed {SEED}: {PEOPLE} pairs, {agree_before} agreeing before "
        f"({agree_before / PEOPLE:.0%}), {agree_after} after ({agree_after / PEOPLE:.0%})"
    )

    page = client_for(world.staff).get(reverse("evaluation:dashboard"))
    positive = next(item for item in page.context["data"]["items"] if item.code == "positive_future")
    assert (positive.n, positive.agree_before, positive.agree_after) == (PEOPLE, agree_before, agree_after)
    headers, rows = page.context["tables"][0].screen()
    shown = dict(
        zip(headers, next(row for row in rows if row[0] == "I feel positive about my future."), strict=True)
    )
    assert shown["People (pairs)"] == str(PEOPLE)
    assert shown["Agreed before"] == f"{agree_before / PEOPLE:.0%}"
    assert shown["Agreed after"] == f"{agree_after / PEOPLE:.0%}"
    html = page.content.decode()
    assert (
        f"{agree_before / PEOPLE:.0%} before, {agree_after / PEOPLE:.0%} after" in html
    )  # the chart's words
