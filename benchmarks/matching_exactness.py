"""Is the round the optimum over every eligible pair, and is every reason true? On an issue-style pool.

    nice -n 10 timeout 900 .venv/bin/python benchmarks/matching_exactness.py [--mentees 3000 --mentors 2000]

Builds a pool shaped like the one the exactness issue was found on: 13 regions with skew (mentees
and mentors concentrated in different regions), 43% of mentees under 18, a quarter meeting only in
person, shared schools and employers, and declared conflicts. Runs the round with the default 50
candidates per mentee, once pricing every left-out pair (the default) and once on the candidates
alone, and compares both with the optimum over ALL eligible pairs from SciPy's
`linear_sum_assignment` (mentors with two places as two columns; weights are score plus a bonus per
pair, so the most mentees are matched first). Then checks every "closer fit" reason against every
eligible pair. Prints the figures and the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.matching import random_tables  # noqa: E402
from matching import engine  # noqa: E402
from matching.engine import Exclusions, Reason, RoundRules, Weights  # noqa: E402


def issue_pool(n_mentees: int, n_mentors: int, seed: int = 19):
    mentees, mentors = random_tables(n_mentees, n_mentors, seed=seed)
    rng = np.random.default_rng(seed)
    mentee_skew = np.array([18, 9, 8, 4, 6, 7, 6, 5, 9, 7, 8, 7, 6], float)
    mentor_skew = np.array([30, 8, 6, 2, 4, 6, 5, 4, 12, 6, 7, 6, 4], float)
    age = np.where(
        rng.random(n_mentees) < 0.43, rng.integers(14, 18, n_mentees), rng.integers(18, 26, n_mentees)
    )
    schools = rng.integers(0, 120, n_mentees)
    mentees = dataclasses.replace(
        mentees,
        region=rng.choice(13, n_mentees, p=mentee_skew / mentee_skew.sum()).astype(np.int16),
        remote_ok=rng.random(n_mentees) >= 0.25,
        outside_region_ok=rng.random(n_mentees) < 0.12,
        age=age.astype(np.int16),
        under_18=age < 18,
        under_16=age < 16,
        organisation=schools.astype(np.int64),
    )
    # Most mentors at 400 employers; one in twenty works at one of the mentees' schools.
    employer = np.where(
        rng.random(n_mentors) < 0.05, rng.integers(0, 120, n_mentors), rng.integers(1000, 1400, n_mentors)
    )
    capacity = np.where(rng.random(n_mentors) < 0.3, 2, 1)
    mentors = dataclasses.replace(
        mentors,
        capacity=capacity.astype(np.int8),
        open_to_one_to_two=(capacity == 2) & (rng.random(n_mentors) < 0.3),
        region=rng.choice(13, n_mentors, p=mentor_skew / mentor_skew.sum()).astype(np.int16),
        remote_ok=rng.random(n_mentors) >= 0.3,
        enhanced_check=rng.random(n_mentors) < 0.6,
        organisation=employer.astype(np.int64),
    )
    conflicts = np.stack([rng.integers(0, n_mentees, 200), rng.integers(0, n_mentors, 200)], axis=1)
    return mentees, mentors, Exclusions(conflicts=conflicts)


def all_pair_scores(mentees, mentors, exclusions):
    """Every pair's score, -1 where a rule (person or pair) forbids it."""
    me = np.repeat(np.arange(len(mentees)), len(mentors))
    mo = np.tile(np.arange(len(mentors)), len(mentees))
    reasons = engine.pair_reasons(mentees, mentors, me, mo, rules=RoundRules(), exclusions=exclusions)
    scores = engine.pair_scores(mentees, mentors, me, mo, Weights()).astype(np.int64)
    scores[reasons != 0] = -1
    return scores.reshape(len(mentees), len(mentors))


def optimum_over_all_pairs(scores, places):
    from scipy.optimize import linear_sum_assignment

    columns = np.repeat(np.arange(scores.shape[1]), places)
    bonus = int(scores.max()) * min(scores.shape[0], len(columns)) + 1
    weight = np.where(scores[:, columns] >= 0, scores[:, columns] + bonus, 0).astype(np.float64)
    rows, slots = linear_sum_assignment(weight, maximize=True)
    keep = weight[rows, slots] > 0
    chosen = scores[rows[keep], columns[slots[keep]]]
    return len(chosen), int(chosen.sum())


def false_closer_fit(result, scores, places):
    """Reasons claiming others were a closer fit that are not true over every eligible pair."""
    n_mentors = scores.shape[1]
    load = np.zeros(n_mentors, np.int64)
    lowest = np.full(n_mentors, np.iinfo(np.int64).max)
    partner = np.full(scores.shape[0], -1, np.int64)
    for proposal in result.proposals:
        score = round(proposal.score * engine.SCALE)
        load[proposal.mentor_row] += 1
        lowest[proposal.mentor_row] = min(lowest[proposal.mentor_row], score)
        partner[proposal.mentee_row] = score
    false = said = 0
    closer = (Reason.OUTMATCHED, Reason.OUTMATCHED_AMONG_COMPARED)
    for person in result.unmatched_mentees:
        if person.reason in closer:
            said += 1
            eligible = scores[person.row] >= 0
            ok = ((load >= places) & (lowest >= scores[person.row]))[eligible].all()
            false += not ok
    for person in result.unchosen_mentors:
        if person.reason in (Reason.NOT_CHOSEN, Reason.NOT_CHOSEN_AMONG_COMPARED):
            said += 1
            eligible = scores[:, person.row] >= 0
            false += not (partner[eligible] >= scores[eligible, person.row]).all()
    return said, false


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mentees", type=int, default=3000)
    parser.add_argument("--mentors", type=int, default=2000)
    options = parser.parse_args()
    mentees, mentors, exclusions = issue_pool(options.mentees, options.mentors)
    places = np.clip(mentors.capacity.astype(np.int64), 0, 2)
    scores = all_pair_scores(mentees, mentors, exclusions)
    started = time.process_time()
    best_count, best_total = optimum_over_all_pairs(scores, places)
    print(
        f"SciPy over all {int((scores >= 0).sum()):,} eligible pairs: {best_count} matched, total "
        f"{best_total / engine.SCALE:.2f} ({time.process_time() - started:.1f} s of CPU time)"
    )
    for label, limit in (("candidates only", 0), ("priced (default)", None)):
        for protect in (False, True):
            started, wall = time.process_time(), time.perf_counter()
            result = engine.run_round(
                mentees,
                mentors,
                exclusions=exclusions,
                explain=False,
                exact_limit=limit,
                protect_worst_off=protect,
            )
            cpu, wall = time.process_time() - started, time.perf_counter() - wall
            m = result.metrics
            said, false = false_closer_fit(result, scores, places)
            share = m.total * engine.SCALE / best_total
            proven = " (proven)" if m.worst_off_proven else ""
            print(
                f"{label}{', protecting the worst-off' if protect else ''}: {m.matched} matched, "
                f"total {m.total:.2f} ({share:.4%} of the optimum over all pairs), "
                f"lowest {m.lowest_score:.1f}{proven}; proven optimal {m.proven_optimal}, "
                f"{m.pairs_added} pairs added in {m.pricing_passes} passes ({m.pricing_seconds:.2f} s of CPU "
                f"time); 'closer fit' reasons {said}, false {false}; whole round {cpu:.2f} s of CPU time "
                f"({wall:.2f} s wall)"
            )
    print("load average: " + ", ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
