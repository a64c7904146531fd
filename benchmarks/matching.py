"""Matching benchmark on random pools.

    .venv/bin/python benchmarks/matching.py            # the national pool and a 500-mentee round
    .venv/bin/python benchmarks/matching.py --million  # also 1,000,000 mentees
    .venv/bin/python benchmarks/matching.py --case round-500   # one case

Each case runs in its own process so that its peak memory (maximum resident set size, from
getrusage) is its own. Cases:

- solver-*: the bare min-cost flow on a random candidate graph (each mentee 50 random mentors,
  random scores), as the issue's reference figures measure it.
- engine-*: end to end from the engine's tables: eligibility, candidate generation and scoring
  (top 50 per mentee), the optimal assignment, and the greedy baseline on the same candidates.
- round-500: a whole 500-mentee round from records, including explanations for every proposal.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import engine, solver, taxonomy  # noqa: E402

N_REGIONS = 13


def _random_bits(rng: np.random.Generator, count: int, width: int, low: int, high: int) -> np.ndarray:
    """`count` bitmasks with between low and high distinct bits set out of `width`."""
    keys = rng.random((count, width))
    ranks = np.argsort(keys, axis=1)
    how_many = rng.integers(low, high + 1, count)
    chosen = np.arange(width)[None, :] < how_many[:, None]
    weights = np.left_shift(np.uint64(1), ranks.astype(np.uint64))
    return np.bitwise_or.reduce(np.where(chosen, weights, np.uint64(0)), axis=1), ranks[:, 0]


def random_tables(n_mentees: int, n_mentors: int, seed: int = 7):
    """A random pool shaped like a national programme: mostly eligible, a few missing facts."""
    rng = np.random.default_rng(seed)
    n_support, n_industries, n_interests = (
        len(taxonomy.SUPPORT),
        len(taxonomy.INDUSTRIES),
        len(taxonomy.INTERESTS),
    )
    needs, first_need = _random_bits(rng, n_mentees, n_support, 1, 3)
    industries, _ = _random_bits(rng, n_mentees, n_industries, 1, 2)
    interests, _ = _random_bits(rng, n_mentees, n_interests, 2, 5)
    availability, _ = _random_bits(rng, n_mentees, 28, 3, 10)
    age = rng.integers(14, 26, n_mentees)
    accepts = rng.random(n_mentees) < 0.4
    mentees = engine.make_table(
        engine.MenteeTable,
        ids=np.arange(n_mentees),
        region=rng.integers(0, N_REGIONS, n_mentees),
        remote_ok=rng.random(n_mentees) < 0.7,
        outside_region_ok=rng.random(n_mentees) < 0.1,
        needs=needs,
        first_need=first_need,
        industries=industries,
        interests=interests,
        availability=availability.astype(np.uint32),
        accepts_one_to_two=accepts,
        prefers_one_to_two=accepts & (rng.random(n_mentees) < 0.3),
        age=age,
        under_18=age < 18,
        under_16=age < 16,
        consent=rng.random(n_mentees) < 0.98,
        parental_consent=rng.random(n_mentees) < 0.95,
        induction_done=rng.random(n_mentees) < 0.97,
        organisation=rng.integers(0, max(1, n_mentees // 50), n_mentees),
    )
    offers, _ = _random_bits(rng, n_mentors, n_support, 2, 5)
    mentor_industries, _ = _random_bits(rng, n_mentors, n_industries, 1, 1)
    mentor_interests, _ = _random_bits(rng, n_mentors, n_interests, 2, 5)
    mentor_availability, _ = _random_bits(rng, n_mentors, 28, 3, 10)
    capacity = rng.integers(1, 3, n_mentors)
    mentors = engine.make_table(
        engine.MentorTable,
        ids=np.arange(n_mentors),
        region=rng.integers(0, N_REGIONS, n_mentors),
        remote_ok=rng.random(n_mentors) < 0.7,
        offers=offers,
        industries=mentor_industries,
        interests=mentor_interests,
        availability=mentor_availability.astype(np.uint32),
        capacity=capacity,
        open_to_one_to_two=(capacity == 2) & (rng.random(n_mentors) < 0.3),
        approved=rng.random(n_mentors) < 0.98,
        fully_trained=rng.random(n_mentors) < 0.96,
        enhanced_check=rng.random(n_mentors) < 0.85,
        organisation=rng.integers(
            max(1, n_mentees // 80), max(2, n_mentees // 80) + n_mentors // 3, n_mentors
        ),
    )
    return mentees, mentors


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def case_solver(n_mentees: int, n_mentors: int, per_mentee: int = 50) -> dict:
    rng = np.random.default_rng(11)
    mentee = np.repeat(np.arange(n_mentees, dtype=np.int64), per_mentee)
    mentor = rng.integers(0, n_mentors, len(mentee))
    keys = np.unique(mentee * n_mentors + mentor)
    mentee, mentor = (keys // n_mentors).astype(np.int32), (keys % n_mentors).astype(np.int32)
    score = rng.integers(0, 10_000, len(mentee)).astype(np.int32)
    places = rng.integers(1, 3, n_mentors)
    started, cpu_started = time.perf_counter(), time.process_time()
    chosen = solver.solve_optimal(mentee, mentor, score, places)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    greedy = solver.solve_greedy(mentee, mentor, score, places)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_gib": _peak_gib(),
        "candidates": len(mentee),
        "matched_share": len(chosen) / n_mentees,
        "greedy_share_of_optimum": int(score[greedy].sum()) / int(score[chosen].sum()),
        "greedy_unmatched_share": 1 - len(greedy) / n_mentees,
    }


def case_engine(n_mentees: int, n_mentors: int) -> dict:
    mentees, mentors = random_tables(n_mentees, n_mentors)
    rules, weights = engine.RoundRules(), engine.Weights()
    started, cpu_started = time.perf_counter(), time.process_time()
    candidates = engine.generate_candidates(mentees, mentors, rules=rules, weights=weights, top_k=50)
    generated, cpu_generated = time.perf_counter(), time.process_time()
    places = mentors.capacity.astype(np.int64)
    chosen = solver.solve_optimal(candidates.mentee, candidates.mentor, candidates.score, places)
    solved, cpu_solved = time.perf_counter(), time.process_time()
    greedy = solver.solve_greedy(candidates.mentee, candidates.mentor, candidates.score, places)
    greedy_seconds = time.perf_counter() - solved
    first_met = engine.pair_components(
        mentees, mentors, candidates.mentee[chosen], candidates.mentor[chosen]
    )["first_need"]
    optimum = int(candidates.score[chosen].sum())
    return {
        "candidate_seconds": generated - started,
        "candidate_cpu_seconds": cpu_generated - cpu_started,
        "solve_seconds": solved - generated,
        "solve_cpu_seconds": cpu_solved - cpu_generated,
        "seconds": solved - started,
        "cpu_seconds": cpu_solved - cpu_started,
        "greedy_seconds": greedy_seconds,
        "peak_gib": _peak_gib(),
        "candidates": len(candidates),
        "eligible_mentees": int((candidates.mentee_reason == 0).sum()),
        "matched_share": len(chosen) / n_mentees,
        "first_need_met_share": float(np.sum(first_met)) / n_mentees,
        "greedy_share_of_optimum": int(candidates.score[greedy].sum()) / optimum if optimum else 1.0,
        "greedy_matched_share": len(greedy) / n_mentees,
        "mean_score": optimum / max(1, len(chosen)) / engine.SCALE,
    }


def case_round_500() -> dict:
    mentees, mentors = random_tables(500, 350, seed=3)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = engine.run_round(mentees, mentors, mentor_job_titles=["Engineer"] * len(mentors))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    metrics = result.metrics
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_gib": _peak_gib(),
        "candidates": metrics.candidates,
        "matched_share": metrics.share_matched,
        "first_need_met_share": metrics.share_first_need_met,
        "greedy_share_of_optimum": metrics.greedy_share_of_optimum,
        "mean_score": metrics.mean_score,
        "lowest_score": metrics.lowest_score,
    }


CASES = {
    "round-500": case_round_500,
    "solver-100k": lambda: case_solver(100_000, 70_000),
    "engine-100k": lambda: case_engine(100_000, 70_000),
    "engine-300k": lambda: case_engine(300_000, 210_000),
    "solver-1m": lambda: case_solver(1_000_000, 700_000),
    "engine-1m": lambda: case_engine(1_000_000, 700_000),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--million", action="store_true", help="also run 1,000,000 mentees and 700,000 mentors"
    )
    parser.add_argument("--case", choices=sorted(CASES), help="run one case in this process and print JSON")
    arguments = parser.parse_args()
    if arguments.case:
        print(json.dumps(CASES[arguments.case]()))
        return
    names = ["round-500", "solver-100k", "engine-100k"]
    if arguments.million:
        names += ["solver-1m", "engine-1m"]
    print(f"{os.cpu_count()} CPUs; each case in its own process")
    for name in names:
        output = subprocess.run(  # noqa: S603 - runs this same script with a fixed argument
            [sys.executable, __file__, "--case", name], check=True, capture_output=True, text=True
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        shown = ", ".join(
            f"{key} {value:.3f}" if isinstance(value, float) else f"{key} {value}"
            for key, value in figures.items()
        )
        print(f"{name}: {shown}", flush=True)


if __name__ == "__main__":
    main()
