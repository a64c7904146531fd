"""On random tiny rounds: no proposal breaks a hard rule, and the round is the brute-force optimum
(most mentees matched, then the largest total)."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import engine
from matching.engine import Exclusions, MenteeTable, MentorTable, RoundRules, Weights, make_table, run_round

RULES = RoundRules()


@st.composite
def rounds(draw):
    n_mentees = draw(st.integers(1, 5))
    n_mentors = draw(st.integers(1, 4))
    # Half the rounds have everyone eligible, so that mentees compete for the same mentors.
    clean = draw(st.booleans())

    def fact(strategy):
        return st.just(True) if clean else strategy

    def column(strategy, length):
        return draw(st.lists(strategy, min_size=length, max_size=length))

    ages = column(st.sampled_from([19, 22] if clean else [-1, 13, 14, 15, 16, 17, 18, 19, 25, 26]), n_mentees)
    # Flags mostly agree with the age; sometimes they do not, which must make the mentee ineligible.
    flip = column(st.just(False) if clean else st.sampled_from([False] * 9 + [True]), n_mentees)
    under_18 = [(0 <= age < 18) != flipped for age, flipped in zip(ages, flip, strict=True)]
    mentees = make_table(
        MenteeTable,
        ids=np.arange(n_mentees),
        region=column(st.sampled_from([0, 1] if clean else [-1, 0, 0, 1, 1]), n_mentees),
        remote_ok=column(st.booleans(), n_mentees),
        outside_region_ok=column(st.booleans(), n_mentees),
        needs=column(st.integers(0, 15), n_mentees),
        first_need=column(st.just(-1) if clean else st.integers(-1, 3), n_mentees),
        industries=column(st.integers(0, 7), n_mentees),
        interests=column(st.integers(0, 7), n_mentees),
        availability=column(st.integers(0, 31), n_mentees),
        accepts_one_to_two=column(st.booleans(), n_mentees),
        prefers_one_to_two=column(st.just(False) if clean else st.booleans(), n_mentees),
        age=ages,
        under_18=under_18,
        under_16=[0 <= age < 16 for age in ages],
        consent=column(fact(st.sampled_from([True, True, True, False])), n_mentees),
        parental_consent=column(st.booleans(), n_mentees),
        induction_done=column(fact(st.sampled_from([True, True, False])), n_mentees),
        organisation=column(st.sampled_from([-1, 0, 1]), n_mentees),
    )
    capacity = column(st.sampled_from([1, 1, 2] if clean else [1, 1, 2, 2, 3]), n_mentors)
    mentors = make_table(
        MentorTable,
        ids=np.arange(n_mentors),
        region=column(st.sampled_from([0, 1] if clean else [-1, 0, 0, 1, 1]), n_mentors),
        remote_ok=column(st.booleans(), n_mentors),
        offers=column(st.integers(0, 15), n_mentors),
        industries=column(st.integers(0, 7), n_mentors),
        interests=column(st.integers(0, 7), n_mentors),
        availability=column(st.integers(0, 31), n_mentors),
        capacity=capacity,
        open_to_one_to_two=column(st.just(False) if clean else st.booleans(), n_mentors),
        approved=column(fact(st.sampled_from([True, True, True, False])), n_mentors),
        fully_trained=column(fact(st.sampled_from([True, True, True, False])), n_mentors),
        enhanced_check=column(st.booleans(), n_mentors),
        organisation=column(st.sampled_from([-1, 1, 2]), n_mentors),
    )
    all_pairs = list(itertools.product(range(n_mentees), range(n_mentors)))
    conflicts = draw(st.lists(st.sampled_from(all_pairs), max_size=2, unique=True))
    rejected = draw(st.lists(st.sampled_from(all_pairs), max_size=2, unique=True))
    locked = draw(st.lists(st.sampled_from(all_pairs), max_size=1))
    exclusions = Exclusions(
        conflicts=np.array(conflicts, np.int64).reshape(-1, 2),
        rejected=np.array(rejected, np.int64).reshape(-1, 2),
    )
    return mentees, mentors, exclusions, locked


def allowed(mentees, mentors, exclusions, i, j) -> bool:
    """The hard rules, written out again pair by pair, independently of the engine's masks."""
    age = int(mentees.age[i])
    if age < 0 or bool(mentees.under_18[i]) != (age < 18) or bool(mentees.under_16[i]) != (age < 16):
        return False
    if not (RULES.mentee_min_age <= age <= RULES.mentee_max_age) or not mentees.consent[i]:
        return False
    if age < 16 and not mentees.parental_consent[i]:
        return False
    if age < 18 and not mentees.induction_done[i]:
        return False
    if mentees.region[i] < 0 or (mentees.prefers_one_to_two[i] and not mentees.accepts_one_to_two[i]):
        return False
    first = int(mentees.first_need[i])
    if first >= 0 and not (int(mentees.needs[i]) >> first) & 1:
        return False
    capacity = int(mentors.capacity[j])
    if (
        not (mentors.approved[j] and mentors.fully_trained[j])
        or capacity not in (1, 2)
        or mentors.region[j] < 0
    ):
        return False
    if mentors.open_to_one_to_two[j] and capacity == 1:
        return False
    if age < 18 and not mentors.enhanced_check[j]:
        return False
    if mentees.region[i] != mentors.region[j] and not (
        mentors.remote_ok[j] and (mentees.outside_region_ok[i] or mentees.remote_ok[i])
    ):
        return False
    if mentors.open_to_one_to_two[j] and capacity == 2 and not mentees.accepts_one_to_two[i]:
        return False
    if mentees.organisation[i] >= 0 and mentees.organisation[i] == mentors.organisation[j]:
        return False
    excluded = {tuple(pair) for pair in exclusions.conflicts.tolist()} | {
        tuple(pair) for pair in exclusions.rejected.tolist()
    }
    return (i, j) not in excluded


def brute_force_best(mentees, mentors, exclusions, fixed: dict[int, int]) -> int:
    n_mentees, n_mentors = len(mentees), len(mentors)
    score = {
        (i, j): int(engine.pair_scores(mentees, mentors, np.array([i]), np.array([j]), Weights())[0])
        for i in range(n_mentees)
        for j in range(n_mentors)
        if allowed(mentees, mentors, exclusions, i, j)
    }
    options = [
        [fixed[i]] if i in fixed else [None] + [j for j in range(n_mentors) if (i, j) in score]
        for i in range(n_mentees)
    ]
    best = (0, 0)
    for assignment in itertools.product(*options):
        load = np.bincount([j for j in assignment if j is not None], minlength=n_mentors)
        if (load > np.clip(mentors.capacity, 0, 2)).any():
            continue
        pairs = [(i, j) for i, j in enumerate(assignment) if j is not None]
        best = max(best, (len(pairs), sum(score[pair] for pair in pairs)))
    # The round matches as many mentees as can be matched, then maximises the total score.
    return best[1]


@pytest.mark.slow_ok(reason="a property test: 150 random pools, each checked against brute force")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_no_proposal_breaks_a_hard_rule_and_the_total_is_the_brute_force_optimum(instance):
    mentees, mentors, exclusions, locked = instance
    result = run_round(
        mentees, mentors, exclusions=exclusions, locked=np.array(locked, np.int64).reshape(-1, 2)
    )

    for proposal in result.proposals:
        assert allowed(mentees, mentors, exclusions, proposal.mentee_row, proposal.mentor_row), proposal
    mentee_rows = [proposal.mentee_row for proposal in result.proposals]
    assert len(mentee_rows) == len(set(mentee_rows))
    load = np.bincount([proposal.mentor_row for proposal in result.proposals], minlength=len(mentors))
    assert (load <= mentors.capacity).all()

    kept = {(i, j) for i, j in locked if allowed(mentees, mentors, exclusions, i, j)}
    assert kept == {(p.mentee_row, p.mentor_row) for p in result.proposals if p.locked}
    assert len(result.lock_problems) == len(locked) - len(kept)

    best = brute_force_best(mentees, mentors, exclusions, dict(kept))
    assert round(result.metrics.total * engine.SCALE) == best
    # Best-first never matches more, and with as many matched never scores more in total.
    assert result.metrics.greedy_matched <= result.metrics.matched
    if result.metrics.greedy_matched == result.metrics.matched:
        assert result.metrics.greedy_total <= result.metrics.optimal_total + 1e-9

    matched = set(mentee_rows)
    assert {person.row for person in result.unmatched_mentees} == set(range(len(mentees))) - matched
    assert all(person.reason != engine.Reason.OK for person in result.unmatched_mentees)


@pytest.mark.slow_ok(reason="a property test: 100 random pools, each solved with and without the protection")
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_protecting_the_worst_off_never_lowers_the_minimum_and_costs_exactly_what_it_reports(instance):
    mentees, mentors, exclusions, _locked = instance
    plain = run_round(mentees, mentors, exclusions=exclusions)
    protected = run_round(mentees, mentors, exclusions=exclusions, protect_worst_off=True)
    assert protected.metrics.matched >= plain.metrics.matched
    if plain.metrics.matched:
        assert protected.metrics.lowest_score >= plain.metrics.lowest_score
    assert protected.metrics.protection_cost >= 0
    assert abs(plain.metrics.total - protected.metrics.total - protected.metrics.protection_cost) < 1e-9
    for proposal in protected.proposals:
        assert allowed(mentees, mentors, exclusions, proposal.mentee_row, proposal.mentor_row)


@pytest.mark.slow_ok(reason="a property test: 100 random pools, each solved with pruned candidate lists")
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_pruned_candidate_pools_never_propose_a_pair_that_breaks_a_hard_rule(instance):
    mentees, mentors, exclusions, _locked = instance
    result = run_round(mentees, mentors, exclusions=exclusions, pool_size=1, top_k=1)
    for proposal in result.proposals:
        assert allowed(mentees, mentors, exclusions, proposal.mentee_row, proposal.mentor_row), proposal
    # A mentee left with no eligible mentor at all is told a rule, not that others fitted better.
    for person in result.unmatched_mentees:
        if not any(allowed(mentees, mentors, exclusions, person.row, j) for j in range(len(mentors))):
            assert person.reason != engine.Reason.OUTMATCHED
