"""Matching benchmark on random pools, each engine case beside the bare solver on the same instance.

    .venv/bin/python benchmarks/matching.py            # 100,000 mentees and the 500-mentee rounds
    .venv/bin/python benchmarks/matching.py --million  # also 1,000,000 mentees
    .venv/bin/python benchmarks/matching.py --million --random-million  # and the random 1M graph
    .venv/bin/python benchmarks/matching.py --case engine-100k   # one case, JSON out

Run it under `flock /tmp/bench.lock` on a shared machine. Each case runs in its own process so
that its peak memory (maximum resident set size, from getrusage) is its own; CPU time is user plus
system time of the process and its children over the timed part only. The engine and the bare
solvers of one size run at the same time (two CPUs), so that they share the machine's other load
alike. The load average is printed before and after every group. Cases:

- solver-100k, solver-1m: the bare OR-tools min-cost flow (SimpleMinCostFlow called directly) on a
  random candidate graph (each mentee 50 random mentors, random scores), as the issue's reference
  figures measure it (solver-1m only with --random-million).
- engine-100k: the engine end to end on a random pool (`random_tables`): eligibility, candidates
  (best 50 per mentee), the max flow and optimal assignment, the greedy baseline, explanations for
  every proposal and the checked reasons for everyone left out (`engine.run_round`).
- engine-1m: the same at 1,000,000 mentees, run as the Celery task `matching.tasks.pool_file_run`
  (in this process, as an eager task) on the pool saved as a file, with its progress file; timed
  from reading the pool to the result written.
- solver-100k-graph, solver-1m-graph: the bare min-cost flow on the engine's own candidate graph
  for the same pool (the candidates are generated first, untimed), with the scores in whole points.
- round-500: a 500-mentee round from tables (eligibility to explained proposals).
- round-500-db: `benchmarks/matching_round.py`: a 500-mentee round from the database to saved
  proposals, median of three runs (it writes its people with bulk_create first, untimed);
  also until the "not matched" emails are sent, which tasks do in this process once the round commits.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from ortools.graph.python import min_cost_flow

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


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare_min_cost_flow(mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, places: np.ndarray):
    """OR-tools' min-cost flow called directly: source -> mentee -> mentor (places) -> sink, each
    pair's cost minus its score, and an arc from source to sink for mentees left out. Nothing else:
    no max flow first, no checks. Returns the chosen pairs' indices."""
    n_mentees, n_mentors = int(mentee.max()) + 1, len(places)
    source, sink = 0, 1 + n_mentees + n_mentors
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        (mentee + 1).astype(np.int32),
        (mentor + 1 + n_mentees).astype(np.int32),
        np.ones(len(mentee), np.int64),
        -np.asarray(score, np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n_mentees, np.int32),
        np.arange(1, 1 + n_mentees, dtype=np.int32),
        np.ones(n_mentees, np.int64),
        np.zeros(n_mentees, np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(1 + n_mentees, 1 + n_mentees + n_mentors, dtype=np.int32),
        np.full(n_mentors, sink, np.int32),
        np.asarray(places, np.int64),
        np.zeros(n_mentors, np.int64),
    )
    flow.add_arc_with_capacity_and_unit_cost(source, sink, n_mentees, 0)
    flow.set_node_supply(source, n_mentees)
    flow.set_node_supply(sink, -n_mentees)
    if flow.solve() != flow.OPTIMAL:
        raise solver.SolverError("the bare min-cost flow found no optimum")
    return np.flatnonzero(flow.flows(np.arange(len(mentee), dtype=np.int32)) > 0)


def case_solver(n_mentees: int, n_mentors: int, per_mentee: int = 50) -> dict:
    rng = np.random.default_rng(11)
    mentee = np.repeat(np.arange(n_mentees, dtype=np.int64), per_mentee)
    mentor = rng.integers(0, n_mentors, len(mentee))
    keys = np.unique(mentee * n_mentors + mentor)
    mentee, mentor = (keys // n_mentors).astype(np.int32), (keys % n_mentors).astype(np.int32)
    score = rng.integers(0, 10_000, len(mentee)).astype(np.int32)
    places = rng.integers(1, 3, n_mentors)
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    chosen = bare_min_cost_flow(mentee, mentor, score, places)
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    greedy = solver.solve_greedy(mentee, mentor, score, places)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_gib": _peak_gib(),
        "candidates": len(mentee),
        "matched_share": len(chosen) / n_mentees,
        "greedy_share_of_optimum": int(score[greedy].sum()) / int(score[chosen].sum()),
    }


def case_solver_on_engine_graph(n_mentees: int, n_mentors: int) -> dict:
    """The bare min-cost flow on the candidates the engine keeps for this pool (scores in points)."""
    mentees, mentors = random_tables(n_mentees, n_mentors)
    places = np.clip(mentors.capacity.astype(np.int64), 0, 2)
    candidates = engine.generate_candidates(
        mentees, mentors, rules=engine.RoundRules(), weights=engine.Weights(), top_k=50, mentor_places=places
    )
    divisor = int(np.gcd.reduce(candidates.score.astype(np.int64)))
    score = candidates.score.astype(np.int64) // divisor
    mentee, mentor = candidates.mentee, candidates.mentor
    del candidates
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    chosen = bare_min_cost_flow(mentee, mentor, score, places)
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_gib": _peak_gib(),
        "candidates": len(mentee),
        "matched": len(chosen),
        "total": int(score[chosen].sum()) * divisor / engine.SCALE,
    }


def case_engine(n_mentees: int, n_mentors: int) -> dict:
    """engine.run_round end to end, with each stage's CPU time from its progress reports."""
    mentees, mentors = random_tables(n_mentees, n_mentors)
    titles = ["Engineer"] * n_mentors
    stages = []
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = engine.run_round(
        mentees,
        mentors,
        mentor_job_titles=titles,
        progress=lambda percent, message: stages.append((message, _cpu_seconds() - cpu_started)),
    )
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return _engine_figures(dataclasses.asdict(result.metrics), n_mentees, seconds, cpu_seconds, stages)


def _engine_figures(metrics, n_mentees, seconds, cpu_seconds, stages) -> dict:
    figures = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_gib": _peak_gib(),
        "candidates": metrics["candidates"],
        "matched": metrics["matched"],
        "total": metrics["total"],
        "matched_share": metrics["matched"] / n_mentees,
        "first_need_met_share": metrics["share_first_need_met"],
        "greedy_share_of_optimum": metrics["greedy_share_of_optimum"],
        "mean_score": metrics["mean_score"],
    }
    # CPU seconds from each stage's start to the next one's.
    for (message, at), (_next, until) in zip(stages, stages[1:], strict=False):
        name = next((name for words, name in STAGES if words in message), None)
        if name:
            figures[f"{name}_cpu_seconds"] = until - at
    return figures


# Words in each progress message (engine.run_round, pool_files.run_file) and the stage they start.
STAGES = (
    ("Reading the pool", "read_pool"),
    ("best mentors", "candidates"),
    ("candidate pairs", "max_flow_and_solve"),
    ("best-first", "greedy"),
    ("Explaining", "explanations"),
    ("reason for everyone", "reasons"),
    ("Writing", "write_result"),
)


def case_engine_task(n_mentees: int, n_mentors: int) -> dict:
    """The engine as the Celery task over a pool file (eager, in this process), with its progress."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    django.setup()
    from matching import pool_files, tasks

    mentees, mentors = random_tables(n_mentees, n_mentors)
    with tempfile.TemporaryDirectory(prefix="matching-bench-") as folder:
        pool_path, result_path = Path(folder) / "pool.npz", Path(folder) / "result.npz"
        pool_files.save_pool(pool_path, mentees, mentors, mentor_job_titles=["Engineer"] * n_mentors)
        del mentees, mentors
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        task = tasks.pool_file_run.apply(args=(str(pool_path), str(result_path)))
        metrics = task.get()
        seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
        progress = json.loads(pool_files.progress_path(result_path).read_text())
    stages = [(stage["message"], stage["cpu_seconds"]) for stage in progress["stages"]]
    figures = _engine_figures(metrics, n_mentees, seconds, cpu_seconds, stages)
    figures["progress_reports"] = len(stages)
    return figures


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


def case_round_500_db() -> dict:
    """benchmarks/matching_round.py: the median of three rounds from the database to saved proposals."""
    output = subprocess.run(  # noqa: S603 - the project's own script with fixed arguments
        [sys.executable, str(Path(__file__).with_name("matching_round.py")), "--runs", "3"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    runs = re.findall(r"run \d+: ([0-9.]+) s, proposals saved after ([0-9.]+) s", output)
    median = re.search(r"Median over \d+ runs: ([0-9.]+) s .*, proposals saved after ([0-9.]+) s", output)
    return {
        "seconds": float(median.group(1)),
        "saved_seconds": float(median.group(2)),
        "runs": ", ".join(f"{float(total):.2f} (saved {float(saved):.2f})" for total, saved in runs),
    }


CASES = {
    "round-500": case_round_500,
    "round-500-db": case_round_500_db,
    "solver-100k": lambda: case_solver(100_000, 70_000),
    "solver-100k-graph": lambda: case_solver_on_engine_graph(100_000, 70_000),
    "engine-100k": lambda: case_engine(100_000, 70_000),
    "solver-1m": lambda: case_solver(1_000_000, 700_000),
    "solver-1m-graph": lambda: case_solver_on_engine_graph(1_000_000, 700_000),
    "engine-1m": lambda: case_engine_task(1_000_000, 700_000),
}

GIB_LIMIT = {"engine-100k": 2, "engine-1m": 12}


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--million", action="store_true", help="also run 1,000,000 mentees and 700,000 mentors"
    )
    parser.add_argument(
        "--random-million",
        action="store_true",
        help="also the bare solver on a random 1,000,000-mentee graph",
    )
    parser.add_argument("--case", choices=sorted(CASES), help="run one case in this process and print JSON")
    parser.add_argument("--skip", action="append", default=[], choices=sorted(CASES), help="leave a case out")
    arguments = parser.parse_args()
    if arguments.case:
        print(json.dumps(CASES[arguments.case]()))
        return
    # The engine and the bare solvers of one size run at the same time, each in its own process,
    # so that they share whatever else the machine is doing; CPU time and peak memory are each
    # process's own.
    groups = [["round-500"], ["round-500-db"], ["engine-100k", "solver-100k-graph", "solver-100k"]]
    if arguments.million:
        groups.append(["engine-1m", "solver-1m-graph"])
    if arguments.random_million:
        groups.append(["solver-1m"])
    groups = [[name for name in group if name not in arguments.skip] for group in groups]
    print(f"{os.cpu_count()} CPUs; each case in its own process; load average (1/5/15 min) {_load()}")
    results = {}
    for group in filter(None, groups):
        before = _load()
        running = {
            name: subprocess.Popen(  # noqa: S603 - runs this same script with a fixed argument
                [sys.executable, __file__, "--case", name], stdout=subprocess.PIPE, text=True
            )
            for name in group
        }
        for name, process in running.items():
            output, _ = process.communicate()
            if process.returncode:
                raise SystemExit(f"{name} failed with exit status {process.returncode}")
            figures = json.loads(output.strip().splitlines()[-1])
            figures["load_before"] = before
            results[name] = figures
        after = _load()
        for name in group:
            results[name]["load_after"] = after
            shown = ", ".join(
                f"{key} {value:.3f}" if isinstance(value, float) else f"{key} {value}"
                for key, value in results[name].items()
            )
            print(f"{name}: {shown}", flush=True)
    print()
    print("Targets:")
    for engine_case, bare_cases, ratio in (
        ("engine-100k", ("solver-100k", "solver-100k-graph"), 2.0),
        ("engine-1m", ("solver-1m-graph", "solver-1m"), 1.5),
    ):
        if engine_case not in results:
            continue
        figures = results[engine_case]
        for bare in bare_cases:
            if bare in results:
                times = figures["cpu_seconds"] / results[bare]["cpu_seconds"]
                verdict = "holds" if times <= ratio else "misses"
                print(
                    f"  {engine_case} {figures['cpu_seconds']:.1f} s CPU = {times:.2f}x {bare} "
                    f"{results[bare]['cpu_seconds']:.1f} s (aim: at most {ratio}x): {verdict}"
                )
        limit = GIB_LIMIT[engine_case]
        verdict = "holds" if figures["peak_gib"] <= limit else "misses"
        print(f"  {engine_case} peak {figures['peak_gib']:.2f} GiB (aim: at most {limit} GiB): {verdict}")
    if "round-500-db" in results:
        for key, what in (("saved_seconds", "to saved proposals"), ("seconds", "with the emails sent")):
            seconds = results["round-500-db"][key]
            print(
                f"  round-500-db median {seconds:.2f} s {what} (aim: under 1 s): "
                f"{'holds' if seconds < 1 else 'misses'}"
            )
    print(f"Load average at the end: {_load()}")


if __name__ == "__main__":
    main()
