"""The round is the optimum over every eligible pair, whatever the candidate cut, and every reason
it gives for someone left without a pair is true: checked against brute force on small random pools."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from matching import engine, solver
from matching.engine import Reason, Weights, run_round
from matching.tests.test_properties import allowed, rounds

POOLS = 300  # random pools per property


def brute_force(mentees, mentors, exclusions, fixed, *, floor=None):
    """Every feasible assignment, best first by (number matched, total); pairs below `floor` not allowed
    (locked pairs always are)."""
    n_mentees, n_mentors = len(mentees), len(mentors)
    score = {
        (i, j): int(engine.pair_scores(mentees, mentors, np.array([i]), np.array([j]), Weights())[0])
        for i in range(n_mentees)
        for j in range(n_mentors)
        if allowed(mentees, mentors, exclusions, i, j)
    }
    options = [
        [fixed[i]]
        if i in fixed
        else [None]
        + [j for j in range(n_mentors) if (i, j) in score and (floor is None or score[i, j] >= floor)]
        for i in range(n_mentees)
    ]
    best = None
    for assignment in itertools.product(*options):
        load = np.bincount([j for j in assignment if j is not None], minlength=n_mentors)
        if (load > np.clip(mentors.capacity, 0, 2)).any():
            continue
        pairs = [(i, j) for i, j in enumerate(assignment) if j is not None]
        key = (len(pairs), sum(score[pair] for pair in pairs))
        if best is None or key > best:
            best = key
    return best, score


def check_reasons(result, mentees, mentors, exclusions, score, kept):
    """No reason claims more than is true over every eligible pair."""
    partner = {p.mentee_row: (p.mentor_row, round(p.score * engine.SCALE)) for p in result.proposals}
    occupants: dict[int, list[tuple[int, bool]]] = {}
    for p in result.proposals:
        occupants.setdefault(p.mentor_row, []).append((round(p.score * engine.SCALE), p.locked))
    places = np.clip(mentors.capacity, 0, 2)
    false = 0
    for person in result.unmatched_mentees:
        eligible = [j for j in range(len(mentors)) if (person.row, j) in score]
        full = {j: len(occupants.get(j, [])) >= places[j] for j in eligible}
        if person.reason == Reason.OUTMATCHED:
            ok = all(full[j] and all(s >= score[person.row, j] for s, _ in occupants[j]) for j in eligible)
            false += not (ok and eligible)
        elif person.reason == Reason.TAKEN_BY_CLOSER_OR_APPROVED:
            ok = all(
                full[j] and all(locked or s >= score[person.row, j] for s, locked in occupants[j])
                for j in eligible
            )
            false += not (ok and eligible)
        elif person.reason in engine.PAIR_REASONS or person.reason == Reason.NO_MENTOR_IN_ROUND:
            false += bool(eligible)  # "no eligible mentor" said of someone who had one
    for person in result.unchosen_mentors:
        eligible = [i for i in range(len(mentees)) if (i, person.row) in score]
        if person.reason == Reason.NOT_CHOSEN:
            ok = all(i in partner and partner[i][1] >= score[i, person.row] for i in eligible)
            false += not (ok and eligible)
        elif person.reason == Reason.NO_ELIGIBLE_MENTEE:
            false += bool(eligible)
    return false


@pytest.mark.slow_ok(reason="a property test: 300 random pools, each checked against brute force")
@settings(max_examples=POOLS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_a_cut_to_one_candidate_still_reaches_the_optimum_over_all_pairs_with_true_reasons(instance):
    mentees, mentors, exclusions, locked = instance
    result = run_round(
        mentees,
        mentors,
        exclusions=exclusions,
        locked=np.array(locked, np.int64).reshape(-1, 2),
        top_k=1,
        pool_size=1,
    )
    kept = {(i, j) for i, j in locked if allowed(mentees, mentors, exclusions, i, j)}
    (count, total), score = brute_force(mentees, mentors, exclusions, dict(kept))
    assert result.metrics.matched == count
    assert round(result.metrics.total * engine.SCALE) == total
    assert result.metrics.proven_optimal
    assert check_reasons(result, mentees, mentors, exclusions, score, kept) == 0


@pytest.mark.slow_ok(
    reason="a property test: 150 random pools, each checked against brute force at every floor"
)
@settings(max_examples=POOLS // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_protecting_the_worst_off_reaches_the_highest_floor_over_all_pairs(instance):
    mentees, mentors, exclusions, _locked = instance
    result = run_round(mentees, mentors, exclusions=exclusions, protect_worst_off=True, top_k=1, pool_size=1)
    (count, _total), score = brute_force(mentees, mentors, exclusions, {})
    assert result.metrics.matched == count
    if not count:
        return
    floors = sorted({value for value in score.values()}, reverse=True)
    best_floor = next(
        f for f in floors if brute_force(mentees, mentors, exclusions, {}, floor=f)[0][0] == count
    )
    (_count, best_total), _score = brute_force(mentees, mentors, exclusions, {}, floor=best_floor)
    assert round(result.metrics.lowest_score * engine.SCALE) >= best_floor
    assert round(result.metrics.total * engine.SCALE) == best_total
    assert result.metrics.worst_off_proven
    assert check_reasons(result, mentees, mentors, exclusions, score, set()) == 0


def test_duals_prove_the_optimum_of_random_rounds():
    rng = np.random.default_rng(5)
    for _trial in range(200):
        n_mentees, n_mentors = int(rng.integers(1, 8)), int(rng.integers(1, 5))
        pairs = [(i, j) for i in range(n_mentees) for j in range(n_mentors) if rng.random() < 0.6]
        if not pairs:
            continue
        mentee = np.array([i for i, _ in pairs])
        mentor = np.array([j for _, j in pairs])
        weight = rng.integers(1, 10, len(pairs))
        places = rng.integers(0, 3, n_mentors)
        chosen = solver.solve_optimal(mentee, mentor, weight, places)
        u, v = solver.duals(mentee, mentor, weight, places, chosen, n_mentees=n_mentees, n_mentors=n_mentors)
        assert (u >= 0).all() and (v >= 0).all()
        assert (u[mentee] + v[mentor] >= weight).all()
        # Complementary slackness: the prices' total is the matching's total, which proves it optimal.
        assert u.sum() + (places * v).sum() == weight[chosen].sum()


def test_duals_refuse_a_matching_that_is_not_optimal():
    mentee, mentor, weight = np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([5, 4, 9])
    try:
        solver.duals(mentee, mentor, weight, np.array([1, 1]), np.array([0]), n_mentees=2, n_mentors=2)
    except solver.SolverError:
        return
    raise AssertionError("a matching leaving 9 + 4 on the table was priced as optimal")


def test_a_round_too_large_to_price_says_it_compared_only_the_best_candidates():
    tables = records_tables()
    result = run_round(*tables, top_k=1, pool_size=1, exact_limit=0)
    assert not result.metrics.proven_optimal
    reasons = {person.reason for person in result.unmatched_mentees}
    assert Reason.OUTMATCHED not in reasons
    assert reasons <= {Reason.OUTMATCHED_AMONG_COMPARED, Reason.NO_PLACE_FOUND}
    exact_result = run_round(*tables, top_k=1, pool_size=1)
    assert exact_result.metrics.proven_optimal
    assert {person.reason for person in exact_result.unmatched_mentees} == {Reason.OUTMATCHED}


def records_tables():
    """Three mentees wanting law and one lawyer with one place: two are left out by closer fits."""
    from matching.tests.factories import build, mentee, mentor

    built = build(
        [mentee(f"m{index}", industries=["law"]) for index in range(3)],
        [mentor("lawyer", industries=["law"]), mentor("banker", industries=["finance"], capacity=1)],
    )
    return built.mentees, built.mentors
