import numpy as np
import pytest

from matching import solver


def arrays(edges):
    """(mentee, mentor, score) rows to the solver's three arrays."""
    mentee, mentor, score = zip(*edges, strict=True)
    return np.array(mentee, np.int32), np.array(mentor, np.int32), np.array(score, np.int32)


def chosen_pairs(mentee, mentor, chosen):
    return {(int(mentee[index]), int(mentor[index])) for index in chosen}


def test_optimum_gives_up_the_best_single_pair_when_the_whole_round_gains():
    # Best-first takes A-X (90) and leaves B with Y (10): 100. The optimum is A-Y + B-X: 165.
    mentee, mentor, score = arrays([(0, 0, 90), (0, 1, 80), (1, 0, 85), (1, 1, 10)])
    places = np.array([1, 1])
    optimal = solver.solve_optimal(mentee, mentor, score, places)
    greedy = solver.solve_greedy(mentee, mentor, score, places)
    assert chosen_pairs(mentee, mentor, optimal) == {(0, 1), (1, 0)}
    assert chosen_pairs(mentee, mentor, greedy) == {(0, 0), (1, 1)}
    assert score[optimal].sum() == 165 and score[greedy].sum() == 100


def test_a_mentor_with_two_places_takes_two_mentees_and_no_more():
    mentee, mentor, score = arrays([(0, 0, 50), (1, 0, 50), (2, 0, 50), (2, 1, 10)])
    optimal = solver.solve_optimal(mentee, mentor, score, np.array([2, 1]))
    assert chosen_pairs(mentee, mentor, optimal) == {(0, 0), (1, 0), (2, 1)}
    one_place = solver.solve_optimal(mentee, mentor, score, np.array([1, 1]))
    assert len(one_place) == 2 and score[one_place].sum() == 60


def test_a_mentor_with_no_places_left_gets_nobody():
    mentee, mentor, score = arrays([(0, 0, 50), (1, 1, 40)])
    optimal = solver.solve_optimal(mentee, mentor, score, np.array([0, 1]))
    assert chosen_pairs(mentee, mentor, optimal) == {(1, 1)}


def test_protecting_the_worst_off_raises_the_lowest_score_and_reports_its_cost():
    # Optimum: A-X + B-Y = 120 with a lowest score of 20. Protected: A-Y + B-X = 110, lowest 50.
    mentee, mentor, score = arrays([(0, 0, 100), (0, 1, 50), (1, 0, 60), (1, 1, 20)])
    result = solver.solve_protecting_worst_off(mentee, mentor, score, np.array([1, 1]))
    assert chosen_pairs(mentee, mentor, result.optimal_chosen) == {(0, 0), (1, 1)}
    assert chosen_pairs(mentee, mentor, result.chosen) == {(0, 1), (1, 0)}
    assert result.threshold == 50
    assert result.cost == 10


def test_protecting_the_worst_off_never_leaves_a_mentee_unmatched_to_raise_the_minimum():
    # Dropping B would lift the minimum to 95, but B would lose a mentor: the answer stays put.
    mentee, mentor, score = arrays([(0, 0, 100), (0, 1, 95), (1, 0, 10)])
    result = solver.solve_protecting_worst_off(mentee, mentor, score, np.array([1, 1]))
    assert chosen_pairs(mentee, mentor, result.chosen) == {(0, 1), (1, 0)}
    assert result.cost == 0


def test_max_matched_counts_the_largest_possible_matching():
    mentee, mentor, _score = arrays([(0, 0, 1), (1, 0, 1), (2, 0, 1), (2, 1, 1)])
    assert solver.max_matched(mentee, mentor, np.array([1, 1])) == 2
    assert solver.max_matched(mentee, mentor, np.array([2, 1])) == 3


def test_empty_candidates_give_an_empty_answer():
    empty = np.zeros(0, np.int32)
    assert len(solver.solve_optimal(empty, empty, empty, np.array([1]))) == 0
    assert len(solver.solve_greedy(empty, empty, empty, np.array([1]))) == 0
    assert solver.solve_protecting_worst_off(empty, empty, empty, np.array([1])).cost == 0


@pytest.mark.parametrize("seed", range(3))
def test_the_same_input_gives_the_same_answer(seed):
    rng = np.random.default_rng(seed)
    mentee = np.repeat(np.arange(300, dtype=np.int32), 8)
    mentor = rng.integers(0, 200, len(mentee)).astype(np.int32)
    keys = np.unique(mentee.astype(np.int64) * 200 + mentor)
    mentee, mentor = (keys // 200).astype(np.int32), (keys % 200).astype(np.int32)
    # Few distinct scores, so that many optima tie and only a deterministic solver repeats itself.
    score = rng.integers(0, 4, len(mentee)).astype(np.int32)
    places = rng.integers(1, 3, 200)
    first = solver.solve_optimal(mentee, mentor, score, places)
    for _ in range(3):
        assert np.array_equal(solver.solve_optimal(mentee, mentor, score, places), first)


def brute_force_best(mentee, mentor, score, places, match_bonus=0):
    """The largest total over every matching, by trying each mentee with each of its candidates or nobody."""
    options: dict[int, list[int]] = {}
    for index, who in enumerate(mentee.tolist()):
        options.setdefault(who, []).append(index)
    best = 0
    left = places.astype(int).tolist()

    def walk(people, total):
        nonlocal best
        if not people:
            best = max(best, total)
            return
        walk(people[1:], total)
        for index in options[people[0]]:
            by = int(mentor[index])
            if left[by] > 0:
                left[by] -= 1
                walk(people[1:], total + int(score[index]) + match_bonus)
                left[by] += 1

    walk(sorted(options), 0)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_whole_point_scores_with_many_ties_still_reach_the_brute_force_optimum(seed):
    # Profile scores are whole points held as hundredths (few distinct values, many ties), which
    # the solver divides down before solving: the answer must still be optimal for the scores given.
    rng = np.random.default_rng(seed)
    n_mentees, n_mentors = int(rng.integers(2, 7)), int(rng.integers(1, 5))
    pairs = [(a, b) for a in range(n_mentees) for b in range(n_mentors) if rng.random() < 0.7]
    if not pairs:
        pairs = [(0, 0)]
    points = rng.choice([60, 70, 70, 80, 80, 80, 100], len(pairs))
    mentee, mentor, score = arrays([(a, b, int(p) * 100) for (a, b), p in zip(pairs, points, strict=True)])
    places = rng.integers(0, 3, n_mentors)
    chosen = solver.solve_optimal(mentee, mentor, score, places)
    assert int(score[chosen].sum()) == brute_force_best(mentee, mentor, score, places)
    # A valid matching: each mentee at most once, no mentor over its places.
    assert len(set(mentee[chosen].tolist())) == len(chosen)
    assert (np.bincount(mentor[chosen], minlength=n_mentors) <= places).all()
    bonus = int(score.max()) * n_mentees + 1
    with_bonus = solver.solve_optimal(mentee, mentor, score, places, match_bonus=bonus)
    assert len(with_bonus) == solver.max_matched(mentee, mentor, places)
    assert int(score[with_bonus].sum()) + bonus * len(with_bonus) == brute_force_best(
        mentee, mentor, score, places, match_bonus=bonus
    )
    # The same order of priorities without the bonus: a max flow, then the best total over that many.
    most = solver.solve_optimal(mentee, mentor, score, places, most_matched=True)
    assert len(most) == len(with_bonus)
    assert int(score[most].sum()) == int(score[with_bonus].sum())
    assert len(set(mentee[most].tolist())) == len(most)
    assert (np.bincount(mentor[most], minlength=n_mentors) <= places).all()


def test_scores_sharing_a_factor_give_the_same_choice_as_the_scores_divided_by_it():
    rng = np.random.default_rng(4)
    mentee = np.repeat(np.arange(60, dtype=np.int32), 6)
    mentor = rng.integers(0, 40, len(mentee)).astype(np.int32)
    keys = np.unique(mentee.astype(np.int64) * 40 + mentor)
    mentee, mentor = (keys // 40).astype(np.int32), (keys % 40).astype(np.int32)
    points = rng.integers(55, 101, len(mentee)).astype(np.int32)
    places = rng.integers(1, 3, 40)
    in_hundredths = solver.solve_optimal(mentee, mentor, points * 100, places)
    in_points = solver.solve_optimal(mentee, mentor, points, places)
    assert np.array_equal(in_hundredths, in_points)


def test_row_numbers_are_compacted_as_unique_would():
    rows = np.array([7, 3, 3, 12, 7, 0], np.int32)
    distinct, position = solver._compact(rows)
    expected_distinct, expected_position = np.unique(rows, return_inverse=True)
    assert np.array_equal(distinct, expected_distinct)
    assert np.array_equal(position, expected_position)
