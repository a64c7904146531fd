"""The figures scripts/load.py prints from locust's files and its memory samples."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_script():
    spec = importlib.util.spec_from_file_location("load_script", ROOT / "scripts" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("load_script", module)
    spec.loader.exec_module(module)
    return module


load = _load_script()

STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
STATS = f"""{STATS_HEADER}
GET,survey form,40,0,120,130.5,80,400,20000,1.33,0.0,120,130,140,150,200,310,380,390,400,400,400
POST,proposal decide,0,0,0,0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
GET,home (mentor),100,2,90,95.0,40,900,15000,3.33,0.07,90,100,110,120,150,240,600,870,900,900,900
,Aggregated,140,2,100,104.1,40,900,16000,4.67,0.07,100,110,120,130,170,260.4,500,800,900,900,900
"""
FAILURES = """Method,Name,Error,Occurrences
GET,home (mentor),500 on home (mentor),1
POST,session log save,403 on session log save,3
GET,home (mentor),ConnectionRefusedError(111),1
"""


def _rows(text, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(text)
    return load.read_csv(path)


def test_pages_come_with_their_percentiles_in_milliseconds_and_the_total_last(tmp_path):
    pages = load.page_figures(_rows(STATS, tmp_path))
    assert [page["page"] for page in pages] == [
        "home (mentor)",
        "proposal decide",
        "survey form",
        "all pages",
    ]
    total = pages[-1]
    assert (total["requests"], total["failures"], total["rps"]) == (140, 2, 4.67)
    assert (total["p50"], total["p95"], total["p99"]) == (100, 260, 800)


def test_a_page_without_requests_has_no_percentiles(tmp_path):
    decide = next(
        page for page in load.page_figures(_rows(STATS, tmp_path)) if page["page"] == "proposal decide"
    )
    assert (decide["requests"], decide["p50"], decide["p95"], decide["p99"]) == (0, None, None, None)


def test_failure_reasons_are_listed_most_frequent_first(tmp_path):
    reasons = load.failure_reasons(_rows(FAILURES, tmp_path))
    assert [(reason["count"], reason["page"]) for reason in reasons] == [
        (3, "session log save"),
        (1, "home (mentor)"),
        (1, "home (mentor)"),
    ]


def test_missing_locust_files_give_no_rows(tmp_path):
    assert load.read_csv(tmp_path / "absent_stats.csv") == []


def test_memory_that_settles_after_warming_up_shows_no_trend():
    growth = load.memory_growth([600.0] * 30)
    assert growth["growth"] == 0 and growth["per_10_minutes"] == 0


def test_memory_growth_is_the_change_and_the_trend_per_ten_minutes():
    growth = load.memory_growth([600.0 + minute for minute in range(31)], every=60)
    assert growth["first"] == 600 and growth["last"] == 630
    assert growth["growth"] == 30 and round(growth["growth_percent"], 1) == 5.0
    assert round(growth["per_10_minutes"], 6) == 10
    # The same samples taken every 30 s grow twice as fast.
    assert (
        round(load.memory_growth([600.0 + sample for sample in range(31)], every=30)["per_10_minutes"]) == 20
    )


def test_no_samples_means_no_figures():
    assert load.memory_growth([])["growth"] is None


def test_the_printed_step_names_the_load_average_errors_and_memory(tmp_path):
    step = {
        "users": 20,
        "duration": 30,
        "sample_every": 10,
        "mentees": 2000,
        "pace": "stress",
        "load_average": {"before": 3.1, "highest": 4.5, "after": 4.2},
        "memory_mb": {"gunicorn": [300.0, 310.0], "worker": [120.0, 120.0]},
        "pages": load.page_figures(_rows(STATS, tmp_path)),
        "failure_reasons": load.failure_reasons(_rows(FAILURES, tmp_path)),
    }
    text = load.format_step(step)
    assert "20 users for 30 s (stress pace) on 2,000 mentees" in text
    assert "before 3.1, highest 4.5, after 4.2" in text
    assert "errors: 2 of 140 requests" in text
    assert "3 x session log save: 403 on session log save" in text
    assert "gunicorn RSS: 300 -> 310 MB over 2 samples (+10 MB, +3.3%)" in text  # no trend from 2
    assert "proposal decide" in text and "      -       -       -" in text


def test_a_long_run_prints_its_memory_trend(tmp_path):
    step = {
        "users": 100,
        "duration": 1800,
        "sample_every": 60,
        "mentees": 100000,
        "load_average": {"before": 1.0, "highest": 2.0, "after": 1.5},
        "memory_mb": {"gunicorn": [700.0 + minute for minute in range(31)], "worker": [430.0] * 31},
        "pages": [],
        "failure_reasons": [],
    }
    text = load.format_step(step)
    assert (
        "gunicorn RSS: 700 -> 730 MB over 31 samples (+30 MB, +4.3%; trend +10.0 MB per 10 minutes; "
        "second half +15 MB, trend +10.0 MB per 10 minutes)" in text
    )
    assert (
        "worker RSS: 430 -> 430 MB over 31 samples (+0 MB, +0.0%; trend +0.0 MB per 10 minutes; "
        "second half +0 MB, trend +0.0 MB per 10 minutes)" in text
    )


def test_a_long_run_tells_warm_up_from_growth(tmp_path):
    # Memory that rises in the first minutes and then stays is a filled cache, not a leak.
    warm_then_flat = [700.0 + min(minute, 8) * 2 for minute in range(31)]
    step = {
        "users": 100,
        "duration": 1800,
        "sample_every": 60,
        "mentees": 100000,
        "load_average": {"before": 1.0, "highest": 2.0, "after": 1.5},
        "memory_mb": {"gunicorn": warm_then_flat, "worker": [430.0] * 31},
        "pages": [],
        "failure_reasons": [],
    }
    text = load.format_step(step)
    assert "gunicorn RSS: 700 -> 716 MB over 31 samples (+16 MB, +2.3%;" in text
    assert "second half +0 MB, trend +0.0 MB per 10 minutes)" in text
