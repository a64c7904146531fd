"""The paired analysis over six young people's before-and-after answers, built once for the module (each
test's changes are rolled back). Tests that need no such answers, or other ones, are in test_analysis.py."""

import copy

import pytest
from scipy import stats

from accounts.tests.factories import DiversityAnswersFactory

from .. import selectors
from ..content import MENTEE_PRE
from .factories import mentee_in, pair, submit
from .test_analysis import newcombe_by_hand, wilson

BEFORE = [2, 2, 3, 4, 5, 1]
AFTER = [4, 5, 4, 4, 3, 2]


@pytest.fixture(scope="module")
def shared_six_pairs(shared_world, django_db_blocker):
    """Six young people's before-and-after answers at partner A, and one before answer alone."""
    assert shared_world is not None, "the pairs are built once per module, inside its transaction"
    with django_db_blocker.unblock():
        people = [mentee_in(shared_world.cohort_a) for _ in BEFORE]
        for person, before, after in zip(people, BEFORE, AFTER, strict=True):
            pair(person, {"positive_future": before}, {"positive_future": after})
        submit(mentee_in(shared_world.cohort_a), MENTEE_PRE, positive_future=1)  # no post: must not count
    return people


@pytest.fixture
def six_pairs(shared_six_pairs, world):
    """The module's six people, a fresh copy for each test (whose changes are rolled back)."""
    return copy.deepcopy(shared_six_pairs)


def test_paired_share_agreeing_counts_only_people_who_answered_both(six_pairs):
    item = next(i for i in selectors.paired_items(selectors.AggregateFilter()) if i.code == "positive_future")
    assert item.n == 6
    assert (item.agree_before, item.agree_after) == (2, 4)
    assert item.share_before == pytest.approx(2 / 6)
    assert item.share_after == pytest.approx(4 / 6)
    assert item.change_points == pytest.approx(33.3)
    assert item.text == "I feel positive about my future."


def test_confidence_intervals_are_wilson_intervals(six_pairs):
    item = next(i for i in selectors.paired_items(selectors.AggregateFilter()) if i.code == "positive_future")
    assert item.ci_before == pytest.approx(wilson(2, 6))
    assert item.ci_after == pytest.approx(wilson(4, 6))
    scipy_ci = stats.binomtest(4, 6).proportion_ci(method="wilson")
    assert item.ci_after == pytest.approx((scipy_ci.low, scipy_ci.high))


def test_mcnemar_is_the_exact_binomial_mid_p(six_pairs):
    item = next(i for i in selectors.paired_items(selectors.AggregateFilter()) if i.code == "positive_future")
    # One person stopped agreeing, three started: exact p = 2 * P(X <= 1 | n=4, 1/2) = 2 * 5/16;
    # the mid-p takes off P(X = 1) = 4/16 once: 6/16.
    assert (item.agree_before_only, item.agree_after_only) == (1, 3)
    assert item.mcnemar_p == pytest.approx(6 / 16)


def test_wilcoxon_matches_scipy_on_the_paired_differences(six_pairs):
    item = next(i for i in selectors.paired_items(selectors.AggregateFilter()) if i.code == "positive_future")
    differences = [after - before for before, after in zip(BEFORE, AFTER, strict=True)]
    assert item.wilcoxon_p == pytest.approx(stats.wilcoxon(differences).pvalue)


def test_every_item_has_an_interval_for_its_change(six_pairs):
    item = next(i for i in selectors.paired_items(selectors.AggregateFilter()) if i.code == "positive_future")
    # Before 2 of 6, after 4 of 6: one both, three after only, one before only, one neither.
    assert item.change == pytest.approx(2 / 6)
    assert item.ci_change == pytest.approx(newcombe_by_hand(1, 3, 1, 1))
    assert item.ci_change[0] < item.change < item.ci_change[1]


def test_breakdown_by_partner_hides_the_small_partner_and_its_neighbour(six_pairs, world):
    for _ in range(2):
        pair(mentee_in(world.cohort_b), {"positive_future": 2}, {"positive_future": 4})
    result = selectors.breakdown(
        selectors.AggregateFilter(), dimension="youth_partner", question_code="positive_future"
    )
    assert result["total"] == 8
    assert all(row["suppressed"] and row["n"] is None for row in result["rows"])


def test_breakdown_by_ethnicity_uses_only_consented_diversity_answers(six_pairs, world):
    for person in six_pairs[:5]:
        DiversityAnswersFactory(user=person, ethnicity="asian")
    # The grouped summary files a pair under the groups the person had when it was made: answers given
    # later count once the summaries are recounted.
    from django.apps import apps

    from ..tallies import rebuild

    rebuild(apps)
    result = selectors.breakdown(
        selectors.AggregateFilter(), dimension="ethnicity", question_code="positive_future"
    )
    shown = [row for row in result["rows"] if not row["suppressed"]]
    assert [row["label"] for row in result["rows"]] == ["Asian or Asian British", "Not given"]
    # One person gave no answers: that cell is hidden, and so must the other be.
    assert shown == []
