import importlib.util
from pathlib import Path

import numpy as np

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
