import json

import numpy as np

from matching import engine, pool_files, tasks
from matching.tests.test_benchmark_script import load_benchmark


def test_a_pool_file_run_as_a_task_writes_the_rounds_result_and_its_progress(tmp_path):
    mentees, mentors = load_benchmark().random_tables(400, 280, seed=4)
    conflicts = np.array([[0, 1], [5, 7]])
    weights = engine.Weights(industry=30)
    titles = [f"Engineer {row}" for row in range(len(mentors))]
    pool_path, result_path = tmp_path / "pool.npz", tmp_path / "result.npz"
    pool_files.save_pool(
        pool_path,
        mentees,
        mentors,
        exclusions=engine.Exclusions(conflicts=conflicts),
        weights=weights,
        mentor_job_titles=titles,
    )

    metrics = tasks.pool_file_run.delay(str(pool_path), str(result_path)).get()

    # The same round as the engine run on the tables directly.
    expected = engine.run_round(
        mentees,
        mentors,
        weights=weights,
        exclusions=engine.Exclusions(conflicts=conflicts),
        mentor_job_titles=titles,
    )
    assert metrics["matched"] == expected.metrics.matched
    assert metrics["total"] == expected.metrics.total
    with np.load(result_path) as data:
        assert data["mentee_id"].tolist() == [p.mentee_id for p in expected.proposals]
        assert data["mentor_id"].tolist() == [p.mentor_id for p in expected.proposals]
        assert data["score"].tolist() == [p.score for p in expected.proposals]
        assert pool_files.explanations_from(data) == [p.explanation for p in expected.proposals]
        assert data["unmatched_mentee_reason"].tolist() == [int(p.reason) for p in expected.unmatched_mentees]
        assert json.loads(str(data["metrics"]))["matched"] == expected.metrics.matched
    # No conflicted pair is proposed.
    assert not {(0, 1), (5, 7)} & {(p.mentee_row, p.mentor_row) for p in expected.proposals}

    # A second delivery of the same task finds the claim and writes nothing.
    written = result_path.stat().st_mtime_ns
    assert tasks.pool_file_run.delay(str(pool_path), str(result_path)).get() is None
    assert result_path.stat().st_mtime_ns == written

    progress = json.loads(pool_files.progress_path(result_path).read_text())
    assert progress["percent"] == 100
    percents = [stage["percent"] for stage in progress["stages"]]
    assert percents == sorted(percents) and len(percents) >= 6
    assert any("candidate pairs" in stage["message"] for stage in progress["stages"])


def test_a_round_reports_each_stage_in_order():
    mentees, mentors = load_benchmark().random_tables(200, 140, seed=2)
    seen = []
    engine.run_round(mentees, mentors, progress=lambda percent, message: seen.append((percent, message)))
    assert [percent for percent, _ in seen] == sorted(percent for percent, _ in seen)
    assert seen[0][0] == 0 and seen[-1][0] == 100
    assert any(message.startswith("Explaining") for _, message in seen)


def test_a_failed_pool_file_run_can_be_run_again(tmp_path):
    result_path = tmp_path / "result.npz"
    try:
        pool_files.run_file(tmp_path / "missing.npz", result_path)
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("a missing pool file was matched")
    assert not pool_files.claim_path(result_path).exists()
