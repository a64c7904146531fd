"""The engine's faster paths give exactly what the plain ones give.

Candidate scoring by group (`engine._GroupScorer`), the optimum as one maximum flow with minimum
cost (`solver.solve_optimal(most_matched=True)`), the best-first baseline that skips pairs
already out of reach (`solver.solve_greedy`), the weights' common divisor found by counting and
explanations worded once per distinct set of values (`explain.explain_pairs`) are each checked
against a plain version of the same thing, on random pools shaped like a programme's (many ties,
people left unmatched)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from matching import engine, solver
from matching.explain import Labels, explain_pair, explain_pairs

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "matching.py"


def random_tables(n_mentees, n_mentors, seed):
    spec = importlib.util.spec_from_file_location("matching_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.random_tables(n_mentees, n_mentors, seed=seed)


class PlainScorer:
    """pair_scores and _pair_blocked over the whole block, as candidates were scored before."""

    def __init__(self, mentees, mentors, weights, lead, pool, exclusion_keys, exclusion_codes, **_shortcuts):
        # The shortcuts the group scorer is given (who shares an organisation, the mentors' kinds)
        # are not needed: every pair is checked.
        self.arguments = (mentees, mentors, weights, pool, exclusion_keys, exclusion_codes)

    def scores(self, block):
        mentees, mentors, weights, pool, keys, codes = self.arguments
        me, mo = block[:, None], pool[None, :]
        blocked = engine._pair_blocked(mentees, mentors, me, mo, keys, codes)
        scores = engine.pair_scores(mentees, mentors, me, mo, weights)
        np.putmask(scores, blocked, -1)
        return scores


def plain_greedy(mentee, mentor, score, places):
    """Best pair first, every pair looked at in turn (ties: mentee row, then mentor row)."""
    order = np.lexsort((mentor, mentee, -np.asarray(score, np.int64)))
    left = np.asarray(places, np.int64).copy()
    taken = np.zeros(int(np.max(mentee)) + 1, bool)
    chosen = []
    for index in order:
        if not taken[mentee[index]] and left[mentor[index]] > 0:
            taken[mentee[index]] = True
            left[mentor[index]] -= 1
            chosen.append(index)
    return np.sort(np.asarray(chosen, np.int64))


def exclusions_for(n_mentees, n_mentors, seed):
    rng = np.random.default_rng(seed)
    pairs = np.stack([rng.integers(0, n_mentees, 200), rng.integers(0, n_mentors, 200)], axis=1)
    return engine.Exclusions(conflicts=pairs[:100], rejected=pairs[100:])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("pool_size", [150, 1500])
def test_group_scoring_keeps_exactly_the_candidates_of_plain_scoring(seed, pool_size, monkeypatch):
    mentees, mentors = random_tables(1_500, 1_050, seed)
    arguments = dict(
        rules=engine.RoundRules(),
        weights=engine.Weights(industry=20, interests=17, availability=7.5),
        exclusions=exclusions_for(1_500, 1_050, seed),
        top_k=20,
        pool_size=pool_size,
        block_size=64,
    )
    fast = engine.generate_candidates(mentees, mentors, **arguments)
    monkeypatch.setattr(engine, "_GroupScorer", PlainScorer)
    plain = engine.generate_candidates(mentees, mentors, **arguments)
    for name in ("mentee", "mentor", "score", "mentee_reason", "mentor_reason"):
        assert np.array_equal(getattr(fast, name), getattr(plain, name)), name
    assert fast.exhaustive == plain.exhaustive
    assert len(fast) > 1_000


@pytest.mark.parametrize("seed", range(3))
def test_group_scores_are_pair_scores_with_blocked_pairs_at_minus_one(seed):
    # Every mentee against every mentor, a group at a time: each group shares what the scorer
    # works out once (region, reach, first need), as generate_candidates' groups do.
    mentees, mentors = random_tables(600, 400, seed)
    exclusions = exclusions_for(600, 400, seed)
    keys, codes = exclusions.keys(len(mentors))
    weights = engine.Weights()
    reach = mentees.remote_ok | mentees.outside_region_ok
    group = np.stack([reach, mentees.region, mentees.first_need], axis=1)
    everyone = np.arange(len(mentors))
    checked = 0
    for key in np.unique(group, axis=0):
        block = np.flatnonzero((group == key).all(axis=1))
        scorer = engine._GroupScorer(mentees, mentors, weights, block[0], everyone, keys, codes)
        expected = PlainScorer(mentees, mentors, weights, block[0], everyone, keys, codes).scores(block)
        got = scorer.scores(block)
        assert got.dtype == expected.dtype and np.array_equal(got, expected)
        checked += len(block)
    assert checked == len(mentees)


@pytest.mark.parametrize("seed", range(6))
def test_one_max_flow_with_min_cost_matches_as_many_with_the_same_total_as_a_bonus_per_pair(seed):
    # Realistic scores (whole points in a narrow band, many ties) over a pool where places run
    # short, so that some mentees stay unmatched and the number matched is itself decided.
    mentees, mentors = random_tables(2_000, int(1_000 + 200 * seed), seed)
    places = np.clip(mentors.capacity.astype(np.int64), 0, 2)
    candidates = engine.generate_candidates(
        mentees, mentors, rules=engine.RoundRules(), weights=engine.Weights(), top_k=10, mentor_places=places
    )
    mentee, mentor, score = candidates.mentee, candidates.mentor, candidates.score.astype(np.int64)
    most = solver.solve_optimal(mentee, mentor, score, places, most_matched=True)
    bonus = solver.lexicographic_bonus(score, places, len(mentees))
    with_bonus = solver.solve_optimal(mentee, mentor, score, places, match_bonus=bonus)
    assert len(most) == len(with_bonus) == solver.max_matched(mentee, mentor, places)
    assert int(score[most].sum()) == int(score[with_bonus].sum())
    assert len(np.unique(mentee[most])) == len(most)
    assert (np.bincount(mentor[most], minlength=len(places)) <= places).all()
    if seed == 0:
        assert len(most) < len(np.unique(mentee))  # places ran short: not everyone could be matched


@pytest.mark.parametrize("seed", range(4))
def test_nodes_numbered_by_region_give_an_optimum_as_good(seed, monkeypatch):
    # Tied scores, places running short, and the tie-broken path forced (it runs from a million
    # pairs): numbered by region, the solver matches as many with the same total.
    mentees, mentors = random_tables(2_000, int(1_000 + 300 * seed), seed)
    places = np.clip(mentors.capacity.astype(np.int64), 0, 2)
    candidates = engine.generate_candidates(
        mentees, mentors, rules=engine.RoundRules(), weights=engine.Weights(), top_k=15, mentor_places=places
    )
    mentee, mentor, score = candidates.mentee, candidates.mentor, candidates.score.astype(np.int64)
    monkeypatch.setattr(solver, "TIE_BREAK_FROM", 0 if seed % 2 else solver.TIE_BREAK_FROM)
    plain = solver.solve_optimal(mentee, mentor, score, places, most_matched=True)
    keys = (mentees.region, mentors.region)
    by_region = solver.solve_optimal(mentee, mentor, score, places, most_matched=True, node_keys=keys)
    assert len(by_region) == len(plain) == solver.max_matched(mentee, mentor, places)
    assert int(score[by_region].sum()) == int(score[plain].sum())
    assert len(np.unique(mentee[by_region])) == len(by_region)
    assert (np.bincount(mentor[by_region], minlength=len(places)) <= places).all()
    # The nodes themselves: every row in use once, by region and then row.
    rows, node = solver._compact(mentor, 5, mentors.region)
    used = np.unique(mentor)
    assert np.array_equal(rows, used[np.lexsort((used, mentors.region[used]))])
    assert np.array_equal(rows[node - 5], mentor)


@pytest.mark.parametrize("seed", range(200))
def test_greedy_takes_exactly_the_pairs_of_looking_at_every_pair(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    n_mentees, n_mentors, n_pairs = (int(value) for value in rng.integers(1, [40, 30, 300]))
    mentee = rng.integers(0, n_mentees, n_pairs)
    mentor = rng.integers(0, n_mentors, n_pairs)
    score = rng.integers(0, 6, n_pairs) * 100
    places = rng.integers(0, 3, n_mentors)
    monkeypatch.setattr(solver, "GREEDY_PART", int(rng.integers(1, 40)))
    assert np.array_equal(
        solver.solve_greedy(mentee, mentor, score, places), plain_greedy(mentee, mentor, score, places)
    )


@pytest.mark.parametrize("seed", range(40))
def test_greedy_on_pairs_in_candidate_order_takes_exactly_the_pairs_of_looking_at_every_pair(seed):
    # Candidates come by mentee, best score first, then mentor: the greedy then sorts by score only.
    rng = np.random.default_rng(seed)
    n_mentees, n_mentors, n_pairs = (int(value) for value in rng.integers(1, [40, 30, 300]))
    mentee = rng.integers(0, n_mentees, n_pairs)
    mentor = rng.integers(0, n_mentors, n_pairs)
    score = rng.integers(0, 6, n_pairs) * 100 + int(rng.integers(0, 10_000))
    order = np.lexsort((mentor, -score, mentee))
    mentee, mentor, score = mentee[order], mentor[order], score[order]
    places = rng.integers(0, 3, n_mentors)
    assert solver._by_mentee_best_first(mentee, mentor, score)
    assert np.array_equal(
        solver.solve_greedy(mentee, mentor, score, places), plain_greedy(mentee, mentor, score, places)
    )
    if n_pairs > 1 and len(np.unique(mentee)) > 1:
        # Out of that order, the pairs are sorted in full.
        shuffled = rng.permutation(n_pairs)
        assert np.array_equal(
            solver.solve_greedy(mentee[shuffled], mentor[shuffled], score[shuffled], places),
            plain_greedy(mentee[shuffled], mentor[shuffled], score[shuffled], places),
        )


@pytest.mark.slow_ok(reason="scores and solves a whole round twice, on the fast paths and on the plain ones")
@pytest.mark.parametrize("seed", range(3))
def test_a_whole_round_is_the_same_with_the_plain_paths(seed, monkeypatch):
    mentees, mentors = random_tables(3_000, 2_000, seed)
    arguments = dict(exclusions=exclusions_for(3_000, 2_000, seed), pool_size=400, exact_limit=0)
    fast = engine.run_round(mentees, mentors, **arguments).metrics

    def bonus_solve(mentee, mentor, score, places, *, match_bonus=0, most_matched=False, node_keys=None):
        # Nodes in row order, as before they were numbered by region.
        bonus = solver.lexicographic_bonus(np.asarray(score), places, int(np.max(mentee)) + 1)
        return plain_solve(mentee, mentor, score, places, match_bonus=bonus if most_matched else match_bonus)

    plain_solve = solver.solve_optimal
    monkeypatch.setattr(engine, "_GroupScorer", PlainScorer)
    monkeypatch.setattr(solver, "solve_optimal", bonus_solve)
    monkeypatch.setattr(solver, "solve_greedy", plain_greedy)
    plain = engine.run_round(mentees, mentors, **arguments).metrics
    assert (fast.candidates, fast.matched, fast.total) == (plain.candidates, plain.matched, plain.total)
    assert (fast.greedy_matched, fast.greedy_total) == (plain.greedy_matched, plain.greedy_total)
    assert fast.matched > 2_000


@pytest.mark.parametrize("seed", range(30))
def test_common_divisor_by_counting_is_the_divisor_of_every_weight(seed):
    rng = np.random.default_rng(seed)
    factor = int(rng.choice([1, 2, 3, 7, 100, 640]))
    low = int(rng.choice([0, 0, -50, 1 << 23]))  # negative and large weights take the plain way
    weight = (rng.integers(low, low + 300, int(rng.integers(0, 400))) * factor).astype(np.int64)
    expected = int(np.gcd.reduce(weight)) if len(weight) else 0
    assert solver._common_divisor(weight) == expected
    if expected > 1:
        assert np.array_equal(solver._reduced_weights(weight, 0), weight // expected)


def test_tie_key_is_the_hash_of_the_pair_rows():
    rng = np.random.default_rng(5)
    mentee, mentor = rng.integers(0, 10**6, 1_000), rng.integers(0, 10**6, 1_000)
    for row, (who, by) in enumerate(zip(mentee.tolist(), mentor.tolist(), strict=True)):
        key = (who * 0x9E3779B97F4A7C15 ^ by * 0xC2B2AE3D27D4EB4F) % 2**64
        key ^= key >> 29
        key = (key * 0xBF58476D1CE4E5B9) % 2**64
        assert solver._tie_key(mentee, mentor)[row] == key >> 63


@pytest.mark.parametrize("seed", range(4))
def test_explanations_worded_by_distinct_values_are_those_of_each_pair(seed):
    rng = np.random.default_rng(seed)
    count = 3_000
    labels = Labels(
        regions=("North East", "London", "Wales"), industries=tuple(f"industry {bit}" for bit in range(64))
    )

    def masks(bits, width=64):
        # A few bits each, some pairs with none, and the highest bits of 64 too.
        chosen = rng.integers(0, width, (count, bits))
        values = np.bitwise_or.reduce(np.left_shift(np.uint64(1), chosen.astype(np.uint64)), axis=1)
        values[rng.random(count) < 0.1] = 0
        return values

    mentee = {
        "industries": masks(2),
        "needs": masks(3, 13),
        "first_need": rng.integers(-1, 13, count).astype(np.int16),
        "interests": masks(3, 26),
        "region": rng.integers(0, 5, count).astype(np.int16),
        "outside_region_ok": rng.random(count) < 0.3,
        "availability": masks(4, 28).astype(np.uint32),
        "prefers_one_to_two": rng.random(count) < 0.3,
    }
    mentor = {
        "industries": masks(1),
        "offers": masks(4, 13),
        "interests": masks(3, 26),
        "region": rng.integers(0, 5, count).astype(np.int16),
        "availability": masks(4, 28).astype(np.uint32),
        "group_mode": rng.random(count) < 0.3,
        "job_industry": rng.integers(-1, 64, count),
    }
    titles = [
        str(title)
        for title in rng.choice(["", "Engineer", " UX designer ", "HR Adviser", "Solicitor"], count)
    ]
    expected = [
        explain_pair(
            mentee={name: column[pair].item() for name, column in mentee.items()},
            mentor={name: column[pair].item() for name, column in mentor.items()},
            labels=labels,
            mentor_job_title=titles[pair],
        )
        for pair in range(count)
    ]
    assert explain_pairs(mentee, mentor, titles, labels) == expected
    assert explain_pairs({name: column[:0] for name, column in mentee.items()}, mentor, [], labels) == []


def test_points_divided_at_once_are_the_points_rounded_one_at_a_time():
    # Proposals take their points as hundredths / SCALE for all pairs at once.
    hundredths = np.concatenate(
        [np.arange(-1_000, 200_001), np.random.default_rng(3).integers(0, 10**12, 10_000)]
    )
    assert (hundredths / engine.SCALE).tolist() == [
        round(value / engine.SCALE, 2) for value in hundredths.tolist()
    ]
