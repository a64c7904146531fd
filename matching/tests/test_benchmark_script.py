import importlib.util
from pathlib import Path

import numpy as np

from matching import solver

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "matching.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("matching_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_pools_are_valid_engine_input_and_its_cases_run():
    benchmark = load_benchmark()
    mentees, mentors = benchmark.random_tables(300, 200, seed=1)
    assert (np.bitwise_count(mentees.needs) >= 1).all()
    assert set(np.unique(mentors.capacity)) <= {1, 2}
    figures = benchmark.case_engine(300, 200)
    assert 0 < figures["matched_share"] <= 1
    assert 0 < figures["greedy_share_of_optimum"] <= 1
    solver_figures = benchmark.case_solver(300, 200, per_mentee=5)
    assert solver_figures["greedy_share_of_optimum"] <= 1
    # The bare solver works on the engine's own candidates (the engine may then add priced pairs).
    graph_figures = benchmark.case_solver_on_engine_graph(300, 200)
    assert graph_figures["candidates"] == figures["candidates"]
    assert abs(graph_figures["total"] - figures["total"]) <= 0.01 * figures["total"]
    assert {"candidates_cpu_seconds", "max_flow_and_solve_cpu_seconds", "explanations_cpu_seconds"} <= set(
        figures
    )
    task_figures = benchmark.case_engine_task(300, 200)
    assert task_figures["total"] == figures["total"]
    assert task_figures["progress_reports"] >= 6


def test_the_bare_solver_reaches_the_engine_solvers_optimum():
    benchmark = load_benchmark()
    rng = np.random.default_rng(3)
    mentee = np.repeat(np.arange(200), 6)
    mentor = rng.integers(0, 120, len(mentee))
    keys = np.unique(mentee * 120 + mentor)
    mentee, mentor = keys // 120, keys % 120
    score = rng.integers(0, 50, len(mentee))
    places = rng.integers(1, 3, 120)
    bare = benchmark.bare_min_cost_flow(mentee, mentor, score, places)
    assert score[bare].sum() == score[solver.solve_optimal(mentee, mentor, score, places)].sum()
