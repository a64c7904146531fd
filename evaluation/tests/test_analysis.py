"""The paired analysis against figures worked out by hand (and scipy for the tests' p-values); the tests
over six shared pairs are in test_analysis_six_pairs.py."""

import math

import pytest
from scipy import stats

from .. import analysis, selectors
from ..content import MENTEE_PRE
from .factories import mentee_in, pair, submit


def wilson(successes, total, z=1.959963984540054):
    share = successes / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return centre - half, centre + half


def test_mcnemar_stays_exact_with_many_discordant_pairs():
    # 10 against 30: the mid-p from the binomial, not the chi-square approximation (0.0028).
    exact = stats.binomtest(10, 40, 0.5).pvalue
    expected = exact - stats.binom.pmf(10, 40, 0.5)
    assert analysis.mcnemar_p(10, 30) == pytest.approx(expected)
    assert analysis.mcnemar_p(10, 30) != pytest.approx(
        stats.chi2.sf((abs(10 - 30) - 1) ** 2 / 40, 1), rel=0.05
    )
    # Far out in the tail, still the binomial (the chi-square would give a different order of magnitude).
    assert analysis.mcnemar_p(300, 500) == pytest.approx(
        stats.binomtest(300, 800).pvalue - stats.binom.pmf(300, 800, 0.5), rel=1e-9
    )
    assert analysis.mcnemar_p(7, 7) == 1.0
    assert analysis.mcnemar_p(0, 0) is None


def newcombe_by_hand(e, f, g, h):
    """Newcombe (1998) method 10, written out from the paper: e both, f first only, g second only."""
    n = e + f + g + h
    p1, p2 = (e + f) / n, (e + g) / n
    l1, u1 = wilson(e + f, n)
    l2, u2 = wilson(e + g, n)
    phi = (e * h - f * g) / math.sqrt((e + f) * (g + h) * (e + g) * (f + h))
    delta = math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    epsilon = math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    return p1 - p2 - delta, p1 - p2 + epsilon


def test_the_change_interval_is_newcombes_paired_interval():
    # Newcombe's worked example (36 both, 12 after only, 2 before only, 0 neither): 0.0569 to 0.3404.
    low, high = analysis.paired_difference_ci(36, 12, 2, 0)
    assert (round(low, 4), round(high, 4)) == (0.0569, 0.3404)
    assert analysis.paired_difference_ci(20, 15, 5, 10) == pytest.approx(newcombe_by_hand(20, 15, 5, 10))
    # No change at all still has an interval around zero, inside -1 to 1.
    low, high = analysis.paired_difference_ci(0, 0, 0, 6)
    assert -1 < low < 0 < high < 1


def test_items_with_fewer_than_five_pairs_are_suppressed(world):
    for _ in range(4):
        pair(mentee_in(world.cohort_a), {"positive_future": 2}, {"positive_future": 5})
    item = selectors.paired_items(selectors.AggregateFilter())[0]
    assert item.n == 4 and item.suppressed
    assert item.share_after is None and item.ci_after is None and item.mcnemar_p is None


def test_a_small_cell_and_the_next_smallest_are_hidden():
    rows = analysis.suppress_cells([{"n": 12}, {"n": 3}, {"n": 9}, {"n": 20}])
    assert [row["suppressed"] for row in rows] == [False, True, True, False]


def test_hidden_cells_are_widened_until_they_sum_to_five():
    rows = analysis.suppress_cells([{"n": 2}, {"n": 2}, {"n": 30}, {"n": 40}])
    assert [row["suppressed"] for row in rows] == [True, True, True, False]


def test_nothing_is_hidden_when_every_cell_has_five():
    assert not any(row["suppressed"] for row in analysis.suppress_cells([{"n": 5}, {"n": 8}]))


@pytest.mark.slow_ok(reason="submits paired surveys for a cohort through the services, then reads them")
def test_breakdown_by_age_band_groups_people(world):
    for _ in range(5):
        pair(mentee_in(world.cohort_a, age=14), {"positive_future": 2}, {"positive_future": 4})
    for _ in range(5):
        pair(mentee_in(world.cohort_a, age=19), {"positive_future": 4}, {"positive_future": 4})
    result = selectors.breakdown(
        selectors.AggregateFilter(), dimension="age_band", question_code="positive_future"
    )
    rows = {row["label"]: row for row in result["rows"]}
    assert rows["Under 16"]["share_before"] == 0 and rows["Under 16"]["share_after"] == 1
    assert rows["18 and over"]["n"] == 5


def test_theme_scores_and_nps_come_from_the_tallies(world):
    for _ in range(5):
        pair(
            mentee_in(world.cohort_a),
            {"positive_future": 1, "cope_pressure": 1},
            {"positive_future": 5, "cope_pressure": 5, "mentee_recommend": 10},
        )
    themes = {theme["theme"]: theme for theme in selectors.theme_scores(selectors.AggregateFilter())}
    assert themes["wellbeing"]["pre"] == 0.0
    assert themes["wellbeing"]["post"] == 100.0
    nps = selectors.nps(selectors.AggregateFilter(), "mentee_post")
    assert nps["score"] == 100 and nps["n"] == 5


def test_what_young_people_want_ranks_needs_and_hides_small_counts(world):
    for index in range(6):
        submit(mentee_in(world.cohort_a), MENTEE_PRE, help_wanted=[1, 4] if index < 5 else [2])
    ranked = selectors.what_young_people_want(selectors.AggregateFilter())
    help_rows = [row for row in ranked if row["question"].startswith("What would you most like")]
    assert [(row["option"], row["n"], row["suppressed"]) for row in help_rows] == [
        ("Writing applications and CVs", 5, False),
        ("Finding work experience", 5, False),
        ("Practising for interviews", 1, True),
    ]


def test_wilcoxon_from_counts_matches_scipy_on_a_large_sample():
    counts = {-3: 40, -1: 310, 1: 520, 2: 480, 3: 150, 4: 60, -2: 90}
    differences = [difference for difference, count in counts.items() for _ in range(count)]
    expected = stats.wilcoxon(differences, method="approx").pvalue
    assert analysis.wilcoxon_normal_p(counts) == pytest.approx(expected, rel=1e-9)
    assert analysis.wilcoxon_p({0: 5}) is None


@pytest.mark.parametrize(
    "counts",
    [
        {1: 1},
        {-2: 1, 3: 1, 4: 1},  # no ties: scipy's exact distribution
        {1: 2},
        {1: 5, -1: 3, 2: 4, -3: 1},  # 13 tied differences: scipy's test over every assignment of signs
        {2: 6, -1: 1, 4: 2},
        {-4: 3, -1: 2, 3: 4},
        {1: 7, -1: 7},  # 14: the normal approximation from here on
        {1: 20, 2: 15, -1: 9, -3: 6},  # 50
        {1: 30, -2: 21},
    ],
)
def test_wilcoxon_from_counts_is_scipys_test_at_every_size(counts):
    differences = [difference for difference, count in counts.items() for _ in range(count)]
    expected = stats.wilcoxon(differences).pvalue
    assert analysis.wilcoxon_p(counts) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    "counts",
    [
        {1: 2},
        {-1: 1, 1: 2, 2: 2},
        {-2: 2, -1: 1, 1: 3, 3: 2},
        {-4: 1, -1: 2, 1: 2, 2: 3, 4: 2},
        {-3: 2, -2: 1, 1: 3, 2: 2, 3: 2},
        {-4: 1, -2: 2, -1: 2, 1: 3, 2: 1, 4: 2},
    ],
)
def test_tied_small_samples_get_scipys_exact_permutation_p(counts):
    """Up to 13 differences with tied sizes scipy runs an exact permutation test over every sign flip;
    the p counted from the rank sums is the same number, to the last bit. (Up to 11 here: scipy itself
    takes about a second of CPU time at 13.)"""
    differences = [difference for difference, count in counts.items() for _ in range(count)]
    assert analysis.wilcoxon_p(counts) == float(stats.wilcoxon(differences).pvalue)


@pytest.mark.parametrize("total", [1, 2, 5, 9, 40, 137, 5_000, 1_000_000])
def test_the_wilson_interval_and_mcnemar_p_agree_with_scipy_at_every_count(total):
    for successes in sorted({0, 1, total // 3, total // 2, total - 1, total}):
        expected = stats.binomtest(successes, total).proportion_ci(confidence_level=0.95, method="wilson")
        assert analysis.proportion_ci(successes, total) == pytest.approx(
            (expected.low, expected.high), rel=1e-9, abs=1e-12
        )
        smaller = min(successes, total - successes)
        mid_p = 2 * stats.binom.cdf(smaller, total, 0.5) - stats.binom.pmf(smaller, total, 0.5)
        assert analysis.mcnemar_p(successes, total - successes) == pytest.approx(
            min(1.0, mid_p), rel=1e-9, abs=1e-300
        )
