"""Pools and their results as files, for rounds too large for the database (a national pool).

A pool file holds the engine's two tables, the declared conflicts and rejected pairs, the
programme's rules and weights and, optionally, each mentor's job title (NumPy's `.npz`, no
pickled objects). `matching.tasks.pool_file_run` matches one in the background and writes:

- the result file: each proposal's mentee and mentor ids, score, whether it was locked, whether
  the first-priority need is met, and its explanation; the reason code for each mentee and mentor
  left out; and the round's figures (`metrics`, as JSON);
- beside it, `<result>.progress.json`: the stage the run is at (percent and what it is doing), with
  every earlier stage and the CPU seconds when it started, rewritten as each stage starts;
- and `<result>.claim`, made before anything else: a run that finds it does nothing, so a task
  delivered twice writes once. A run that fails removes it; after a worker died, remove it by hand
  and queue the task again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import time
from pathlib import Path

import numpy as np

from matching import engine

_MENTEE, _MENTOR = "mentee__", "mentor__"


def save_pool(
    path,
    mentees: engine.MenteeTable,
    mentors: engine.MentorTable,
    *,
    exclusions: engine.Exclusions | None = None,
    rules: engine.RoundRules | None = None,
    weights: engine.Weights | None = None,
    mentor_job_titles=None,
) -> None:
    exclusions = exclusions or engine.Exclusions()
    arrays = {_MENTEE + f.name: getattr(mentees, f.name) for f in dataclasses.fields(mentees)}
    arrays |= {_MENTOR + f.name: getattr(mentors, f.name) for f in dataclasses.fields(mentors)}
    if np.asarray(mentees.ids).dtype == object or np.asarray(mentors.ids).dtype == object:
        raise ValueError("ids must be numbers or strings to be saved in a pool file")
    arrays["conflicts"] = np.asarray(exclusions.conflicts, np.int64).reshape(-1, 2)
    arrays["rejected"] = np.asarray(exclusions.rejected, np.int64).reshape(-1, 2)
    arrays["settings"] = np.array(
        json.dumps(
            {
                "rules": dataclasses.asdict(rules or engine.RoundRules()),
                "weights": dataclasses.asdict(weights or engine.Weights()),
            }
        )
    )
    if mentor_job_titles is not None:
        arrays["mentor_job_titles"] = np.asarray(mentor_job_titles, str)
    np.savez(path, **arrays)


@dataclasses.dataclass(frozen=True)
class Pool:
    mentees: engine.MenteeTable
    mentors: engine.MentorTable
    exclusions: engine.Exclusions
    rules: engine.RoundRules
    weights: engine.Weights
    mentor_job_titles: list[str] | None


def load_pool(path) -> Pool:
    with np.load(path, allow_pickle=False) as data:
        mentees = engine.make_table(
            engine.MenteeTable,
            **{f.name: data[_MENTEE + f.name] for f in dataclasses.fields(engine.MenteeTable)},
        )
        mentors = engine.make_table(
            engine.MentorTable,
            **{f.name: data[_MENTOR + f.name] for f in dataclasses.fields(engine.MentorTable)},
        )
        settings = json.loads(str(data["settings"]))
        titles = data["mentor_job_titles"].tolist() if "mentor_job_titles" in data.files else None
        exclusions = engine.Exclusions(conflicts=data["conflicts"], rejected=data["rejected"])
    return Pool(
        mentees,
        mentors,
        exclusions,
        engine.RoundRules(**settings["rules"]),
        engine.Weights(**settings["weights"]),
        titles,
    )


def _text_arrays(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and the offsets where each ends (no fixed-width padding)."""
    encoded = [text.encode() for text in texts]
    ends = np.cumsum([len(item) for item in encoded], dtype=np.int64)
    return np.frombuffer(b"".join(encoded), np.uint8), ends


def explanations_from(data) -> list[str]:
    raw, ends = data["explanation_bytes"].tobytes(), data["explanation_ends"]
    starts = np.concatenate([[0], ends[:-1]]).tolist()
    return [raw[start:end].decode() for start, end in zip(starts, ends.tolist(), strict=True)]


def save_result(path, result: engine.RoundResult) -> None:
    proposals, unmatched, unchosen = result.proposals, result.unmatched_mentees, result.unchosen_mentors
    raw, ends = _text_arrays([proposal.explanation for proposal in proposals])
    np.savez(
        path,
        mentee_id=np.asarray([proposal.mentee_id for proposal in proposals]),
        mentor_id=np.asarray([proposal.mentor_id for proposal in proposals]),
        score=np.asarray([proposal.score for proposal in proposals], np.float64),
        locked=np.asarray([proposal.locked for proposal in proposals], bool),
        first_need_met=np.asarray([proposal.first_need_met for proposal in proposals], bool),
        explanation_bytes=raw,
        explanation_ends=ends,
        unmatched_mentee_id=np.asarray([person.id for person in unmatched]),
        unmatched_mentee_reason=np.asarray(
            [int(person.reason) for person in result.unmatched_mentees], np.int16
        ),
        unchosen_mentor_id=np.asarray([person.id for person in unchosen]),
        unchosen_mentor_reason=np.asarray(
            [int(person.reason) for person in result.unchosen_mentors], np.int16
        ),
        metrics=np.array(json.dumps(dataclasses.asdict(result.metrics))),
    )


def progress_path(result_path) -> Path:
    return Path(f"{result_path}.progress.json")


class ProgressFile:
    """Writes each stage (percent, message, CPU seconds since the run started) to a JSON file."""

    def __init__(self, path):
        self.path = Path(path)
        self.stages: list[dict] = []
        self.started = _cpu_seconds()

    def __call__(self, percent: int, message: str) -> None:
        self.stages.append(
            {
                "percent": int(percent),
                "message": message,
                "cpu_seconds": round(_cpu_seconds() - self.started, 3),
            }
        )
        state = {"percent": int(percent), "message": message, "stages": self.stages}
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(state))
        os.replace(partial, self.path)


def _cpu_seconds() -> float:
    """User and system time of this process and any it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_file(pool_path, result_path, *, top_k: int = 50, protect_worst_off: bool = False) -> dict | None:
    """Match the pool file into the result file (a path ending `.npz`), reporting progress beside
    it; returns the round's figures, or None when another run has claimed this result file."""
    if not str(result_path).endswith(".npz"):
        raise ValueError("the result file's name must end with .npz")
    # One run per result file: a second delivery of the same task (Redis hands a task that is not
    # acknowledged after its visibility timeout to another worker) finds the claim and stops.
    claim = claim_path(result_path)
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return None
    try:
        return _run_claimed(pool_path, result_path, top_k=top_k, protect_worst_off=protect_worst_off)
    except BaseException:
        claim.unlink(missing_ok=True)  # a failed run may be queued again
        raise


def claim_path(result_path) -> Path:
    return Path(f"{result_path}.claim")


def _run_claimed(pool_path, result_path, *, top_k: int, protect_worst_off: bool) -> dict:
    progress = ProgressFile(progress_path(result_path))
    progress(0, "Reading the pool.")
    pool = load_pool(pool_path)
    started = time.perf_counter()
    result = engine.run_round(
        pool.mentees,
        pool.mentors,
        rules=pool.rules,
        weights=pool.weights,
        exclusions=pool.exclusions,
        mentor_job_titles=pool.mentor_job_titles,
        protect_worst_off=protect_worst_off,
        top_k=top_k,
        progress=lambda percent, message: progress(1 + percent * 97 // 100, message),
    )
    progress(98, f"Writing {len(result.proposals):,} proposals.")
    save_result(result_path, result)
    metrics = dataclasses.asdict(result.metrics) | {"seconds": round(time.perf_counter() - started, 3)}
    progress(100, "Finished.")
    return metrics
