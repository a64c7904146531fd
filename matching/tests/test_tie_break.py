"""Ties broken exactly: the solver's faster answer on tied scores is kept only when it is proven optimal.

`solver.solve_optimal(most_matched=True)` first solves with each weight times `TIE_SCALE` plus a
key of 0 or 1 per pair, then keeps that answer only when `solver.proven_optimal` proves it (dual
prices whose total equals its own); otherwise it solves the plain scores. These tests force that
path on small pools (it normally starts at `TIE_BREAK_FROM` pairs) and compare it with SciPy's
optimum over the same pairs: as many mentees matched, the same total."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching import solver


def optimum(mentee, mentor, score, places):
    """(number matched, total) of the best matching by SciPy: most mentees first, then the total."""
    n_mentees = int(mentee.max()) + 1
    slots = [(by, copy) for by in range(len(places)) for copy in range(int(places[by]))]
    if not slots:
        return 0, 0
    bonus = int(score.max()) * n_mentees + 1
    gain = np.zeros((n_mentees, len(slots)), np.int64)
    for index, (by, _copy) in enumerate(slots):
        here = mentor == by
        # Duplicate pairs keep their best score.
        np.maximum.at(gain[:, index], mentee[here], score[here] + bonus)
    rows, columns = linear_sum_assignment(gain, maximize=True)
    used = gain[rows, columns] > 0
    return int(used.sum()), int((gain[rows, columns][used] - bonus).sum())


@st.composite
def tied_pools(draw):
    n_mentees = draw(st.integers(1, 9))
    n_mentors = draw(st.integers(1, 6))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_mentees - 1), st.integers(0, n_mentors - 1)),
            min_size=1,
            max_size=30,
            unique=True,
        )
    )
    # Whole points in a narrow band, as profile scores are: many pairs tie.
    points = draw(
        st.lists(st.sampled_from([60, 70, 70, 80, 80, 80, 90, 100]), min_size=len(pairs), max_size=len(pairs))
    )
    places = draw(st.lists(st.integers(0, 2), min_size=n_mentors, max_size=n_mentors))
    mentee = np.array([a for a, _ in pairs], np.int64)
    mentor = np.array([b for _, b in pairs], np.int64)
    return mentee, mentor, np.array(points, np.int64) * 100, np.array(places, np.int64)


def solve_with_ties_broken(monkeypatch, pool, scale=solver.TIE_SCALE):
    """solve_optimal(most_matched=True) with the tie-break forced, and whether its answer was proven."""
    monkeypatch.setattr(solver, "TIE_BREAK_FROM", 0)
    monkeypatch.setattr(solver, "TIE_SCALE", scale)
    proofs = []
    plain_proof = solver.proven_optimal

    def recording_proof(*arguments, **options):
        proofs.append(plain_proof(*arguments, **options))
        return proofs[-1]

    monkeypatch.setattr(solver, "proven_optimal", recording_proof)
    chosen = solver.solve_optimal(*pool, most_matched=True)
    return chosen, proofs


def assert_valid(pool, chosen):
    mentee, mentor, _score, places = pool
    assert len(np.unique(mentee[chosen])) == len(chosen)
    assert (np.bincount(mentor[chosen], minlength=len(places)) <= places).all()


@settings(max_examples=300, deadline=None)
@given(pool=tied_pools())
def test_ties_broken_give_the_optimum_of_the_scores_themselves(pool):
    with pytest.MonkeyPatch.context() as monkeypatch:
        chosen, proofs = solve_with_ties_broken(monkeypatch, pool)
    mentee, mentor, score, places = pool
    assert_valid(pool, chosen)
    assert (len(chosen), int(score[chosen].sum())) == optimum(mentee, mentor, score, places)


@settings(max_examples=300, deadline=None)
@given(pool=tied_pools())
def test_a_key_that_outweighs_the_scores_is_caught_and_the_plain_solve_used(pool):
    # Scale 1: a key of 1 weighs as much as a whole point, so the tie-broken answer is often not
    # the optimum of the scores; the proof must refuse it and the plain solve take over.
    with pytest.MonkeyPatch.context() as monkeypatch:
        chosen, proofs = solve_with_ties_broken(monkeypatch, pool, scale=1)
    mentee, mentor, score, places = pool
    assert_valid(pool, chosen)
    assert (len(chosen), int(score[chosen].sum())) == optimum(mentee, mentor, score, places)


def test_the_plain_solve_takes_over_when_a_tie_broken_answer_is_not_proven(monkeypatch):
    # Mentees 0 and 1, mentors 0 and 1 with one place each. The best round is 0-0 and 1-1 (150
    # points); keys of 1 on 0-1 and 1-0 at scale 1 outweigh the point between the rounds, so the
    # tie-broken solve picks 0-1 and 1-0 (140): the proof must refuse it.
    mentee = np.array([0, 0, 1, 1], np.int64)
    mentor = np.array([0, 1, 0, 1], np.int64)
    score = np.array([8_000, 7_000, 7_000, 7_000], np.int64)
    places = np.array([1, 1], np.int64)
    monkeypatch.setattr(solver, "_tie_key", lambda mentee, mentor: np.array([0, 1, 1, 0], np.int64))
    chosen, proofs = solve_with_ties_broken(monkeypatch, (mentee, mentor, score, places), scale=1)
    assert proofs == [False]
    assert chosen.tolist() == [0, 3]
    # At the solver's own scale the same keys cannot outweigh a point: proven at once.
    chosen, proofs = solve_with_ties_broken(monkeypatch, (mentee, mentor, score, places))
    assert proofs == [True]
    assert chosen.tolist() == [0, 3]


@pytest.mark.parametrize("seed", range(30))
def test_the_proof_accepts_the_optimum_and_refuses_any_worse_matching(seed):
    rng = np.random.default_rng(seed)
    n_mentees, n_mentors = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    keys = np.unique(rng.integers(0, n_mentees * n_mentors, int(rng.integers(2, 25))))
    mentee, mentor = keys // n_mentors, keys % n_mentors
    score = rng.choice([60, 70, 80, 80, 100], len(keys)).astype(np.int64)
    places = rng.integers(0, 3, n_mentors)
    best = optimum(mentee, mentor, score, places)
    plain = solver.solve_optimal(mentee, mentor, score, places, most_matched=True)
    assert solver.proven_optimal(mentee, mentor, score, places, plain)
    # Random valid matchings, best pair first in a random order: proven exactly when optimal.
    for _ in range(20):
        left, taken, chosen = places.copy(), set(), []
        for index in rng.permutation(len(keys)).tolist():
            if mentee[index] not in taken and left[mentor[index]] > 0 and rng.random() < 0.8:
                taken.add(int(mentee[index]))
                left[mentor[index]] -= 1
                chosen.append(index)
        chosen = np.sort(np.asarray(chosen, np.int64))
        is_best = (len(chosen), int(score[chosen].sum())) == best
        assert solver.proven_optimal(mentee, mentor, score, places, chosen) == is_best


def test_a_proof_that_runs_out_of_steps_proves_nothing():
    mentee = np.array([0, 0, 1, 1, 2], np.int64)
    mentor = np.array([0, 1, 0, 1, 1], np.int64)
    score = np.array([80, 70, 80, 90, 60], np.int64)
    places = np.array([1, 1], np.int64)
    chosen = solver.solve_optimal(mentee, mentor, score, places, most_matched=True)
    assert solver.proven_optimal(mentee, mentor, score, places, chosen)
    assert not solver.proven_optimal(mentee, mentor, score, places, chosen, max_steps=0)
