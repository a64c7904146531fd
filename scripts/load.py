"""Load every role, signed in, against a private production stack on a 100,000-mentee database.

    .venv/bin/python scripts/load.py [--users 50,200,500] [--duration 60] [--mentees 100000]
                                     [--workers 3] [--pace person|stress] [--sample-every 60] [--soak]
                                     [--json FILE] [--keep]

It starts its own PostgreSQL (a copy of a migrated template, a free port), Redis, a Celery worker and
gunicorn (`--workers`, 3 by default as in the README and docker-compose.yml, DEBUG off, persistent
database connections) at 127.0.0.1, fills the database as benchmarks/home_pages.py does (100,000
mentees, or `--mentees`, at 20 youth partners; a mentor for every 20 mentees, each in two active
relationships with a year of sessions, logs, goals and check-ins), and adds what the mix needs:
surveys waiting for mentees, proposed matches for the coordinators to decide (one for every 5
mentees), the resource library, and signed-in sessions.

Then, for each number of users, locust (scripts/locustfile.py: mentors logging sessions and reading
resources, mentees answering surveys, coordinators deciding proposals and reading their home,
staff reading the impact dashboard; CSRF tokens taken from the forms; at a person's pace, 10-40 s
reading each page and 30-90 s writing each form, or `--pace stress`, a click every 1-5 s) runs headless for
`--duration` seconds, spawning up to 25 users a second, once every gunicorn worker has served each
page (a worker's first visit to a page imports its code, which no person pays twice). Every
`--sample-every` seconds the memory (RSS) of gunicorn (master and workers) and of the Celery worker
(with its pool) and the load average are sampled. Each step prints requests per second,
p50/p95/p99 and failures per page and in all, what the failures said, the load average before,
during (highest) and after, and the memory at the first and last sample with its growth and trend.
`--soak` is one step of 100 users for 30 minutes, sampled every minute. The load generator shares
the machine with the site. Only 127.0.0.1 is contacted; every step is bounded by --duration (locust
is stopped two minutes after it should have ended).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import BIN, ROOT, TEMPLATE_CACHE, Stack, cached_template  # noqa: E402

FULL_SIZE = 100_000
SIGNED_IN = {"mentor": 600, "mentee": 600, "coordinator": 20, "staff": 5}
SOAK_USERS, SOAK_SECONDS = 100, 30 * 60


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Figures (pure: tests/test_load_script.py) ------------------------------------------------------


def _milliseconds(value: str) -> int | None:
    """A locust percentile cell: a number of milliseconds, or N/A when the page had no request."""
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return None


def page_figures(rows: list[dict]) -> list[dict]:
    """Locust's `_stats.csv` rows as one entry per page, the total ("all pages") last."""
    pages = []
    for row in rows:
        pages.append(
            {
                "page": "all pages" if row["Name"] == "Aggregated" else row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": _milliseconds(row["50%"]),
                "p95": _milliseconds(row["95%"]),
                "p99": _milliseconds(row["99%"]),
            }
        )
    return sorted(pages, key=lambda page: (page["page"] == "all pages", page["page"]))


def failure_reasons(rows: list[dict]) -> list[dict]:
    """Locust's `_failures.csv` rows: what failed, on which page, how often; most frequent first."""
    reasons = [{"page": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])} for row in rows]
    return sorted(reasons, key=lambda reason: (-reason["count"], reason["page"]))


def memory_growth(samples: list[float], *, every: float = 60) -> dict:
    """How a process's memory moved over a run, from samples in MB taken `every` seconds: first and
    last sample, the growth between them, and the least-squares trend in MB per 10 minutes, which one
    late spike moves less than it moves the last sample."""
    if not samples:
        return {"first": None, "last": None, "growth": None, "growth_percent": None, "per_10_minutes": None}
    first, last = samples[0], samples[-1]
    count = len(samples)
    slope = 0.0
    if count > 1:
        mean_x, mean_y = (count - 1) / 2, sum(samples) / count
        spread = sum((index - mean_x) ** 2 for index in range(count))
        slope = sum((index - mean_x) * (value - mean_y) for index, value in enumerate(samples)) / spread
    return {
        "first": first,
        "last": last,
        "growth": last - first,
        "growth_percent": 100 * (last - first) / first if first else None,
        "per_10_minutes": slope * 600 / every,
    }


def format_step(step: dict) -> str:
    """The printed report of one step."""
    load = step["load_average"]
    lines = [
        "",
        f"{step['users']} users for {step['duration']} s ({step.get('pace', 'person')} pace) on "
        f"{step['mentees']:,} mentees; load average "
        f"(1 min) before {load['before']}, highest {load['highest']}, after {load['after']}",
        f"{'page':<28} {'requests':>9} {'failures':>9} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}",
    ]
    for page in step["pages"]:
        cells = [page[key] if page[key] is not None else "-" for key in ("p50", "p95", "p99")]
        lines.append(
            f"{page['page']:<28} {page['requests']:>9} {page['failures']:>9} {page['rps']:>7.1f} "
            f"{cells[0]:>7} {cells[1]:>7} {cells[2]:>7}"
        )
    total = next((page for page in step["pages"] if page["page"] == "all pages"), None)
    if total is not None:
        lines.append(f"errors: {total['failures']} of {total['requests']} requests")
    for reason in step["failure_reasons"][:10]:
        lines.append(f"  {reason['count']:>6} x {reason['page']}: {reason['error']}")
    for name in ("gunicorn", "worker"):
        growth = memory_growth(step["memory_mb"][name], every=step["sample_every"])
        if growth["first"] is None:
            continue
        samples = len(step["memory_mb"][name])
        # A trend drawn from a few samples over a short step says nothing about a long run.
        trend = f"; trend {growth['per_10_minutes']:+.1f} MB per 10 minutes" if samples >= 10 else ""
        if samples >= 20:
            # A worker fills its caches (templates, plans, connections) in its first minutes; whether
            # memory keeps growing shows in the second half of a long run.
            later = memory_growth(step["memory_mb"][name][samples // 2 :], every=step["sample_every"])
            trend += f"; second half {later['growth']:+.0f} MB, trend {later['per_10_minutes']:+.1f}"
            trend += " MB per 10 minutes"
        lines.append(
            f"{name} RSS: {growth['first']:.0f} -> {growth['last']:.0f} MB over {samples} samples "
            f"({growth['growth']:+.0f} MB, {growth['growth_percent']:+.1f}%{trend})"
        )
    return "\n".join(lines)


# The run ----------------------------------------------------------------------------------------


def session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(60 * 60 * 4)
    store.create()
    return store.session_key


def fill_for_the_mix(people_file: Path, *, mentees: int) -> None:
    """What the mix needs beyond benchmarks/home_pages.fill(), and a signed-in session per person."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Role, RoleAssignment, User
    from evaluation.content import MENTEE_PRE
    from evaluation.services import survey_issue
    from matching.models import Proposal
    from mentoring.models import MentoringSession, Relationship
    from programmes.models import Cohort, YouthPartner

    proposals, survey_mentees = mentees // 5, mentees // 50  # 20,000 and 2,000 at full size
    call_command("load_resources", verbosity=0)
    relationships = list(
        Relationship.objects.order_by("pk").values_list("pk", "mentor_id", "mentee_id")[: SIGNED_IN["mentor"]]
    )
    matched = Relationship.objects.count()  # the first mentees (home_pages.fill matches them in order)
    now = timezone.now()
    past_unlogged = dict(
        MentoringSession.objects.filter(
            relationship_id__in=[row[0] for row in relationships], status="scheduled", starts_at__lt=now
        ).values_list("relationship_id", "pk")
    )
    people: dict[str, list[dict]] = {"mentor": [], "mentee": [], "coordinator": [], "staff": []}
    users = User.objects.in_bulk([row[1] for row in relationships] + [row[2] for row in relationships])
    for relationship_id, mentor_id, _mentee_id in relationships:
        if relationship_id in past_unlogged:
            people["mentor"].append(
                {
                    "cookie": session_cookie(users[mentor_id]),
                    "relationship": relationship_id,
                    "session": past_unlogged[relationship_id],
                }
            )
    for _relationship_id, _mentor_id, mentee_id in relationships[: SIGNED_IN["mentee"]]:
        response = survey_issue(instrument_slug=MENTEE_PRE, user=users[mentee_id])
        people["mentee"].append({"cookie": session_cookie(users[mentee_id]), "survey": response.pk})
    all_mentees = User.objects.filter(email__startswith="mentee").order_by("pk")
    for extra in all_mentees[matched + proposals : matched + proposals + survey_mentees]:
        survey_issue(instrument_slug=MENTEE_PRE, user=extra)
    log(f"  surveys issued to {len(people['mentee']) + survey_mentees:,} mentees")

    # Proposals for mentees not yet matched, decided by their partners' coordinators.
    partners = list(YouthPartner.objects.order_by("pk"))
    cohort_of = {cohort.youth_partner_id: cohort.pk for cohort in Cohort.objects.all()}
    mentor_ids = list(
        User.objects.filter(email__startswith="mentor").order_by("pk").values_list("pk", flat=True)
    )
    unmatched = list(
        all_mentees.values_list("pk", "mentee_profile__youth_partner_id")[matched : matched + proposals]
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                mentor_id=mentor_ids[index % len(mentor_ids)],
                mentee_id=mentee_id,
                cohort_id=cohort_of[partner_id],
                score=0.7,
                explanation="Shares an interest in engineering; both free after school.",
            )
            for index, (mentee_id, partner_id) in enumerate(unmatched)
        ],
        batch_size=5000,
    )
    proposals_by_partner: dict[int, list[int]] = {}
    for proposal_id, partner_id in Proposal.objects.values_list(
        "pk", "mentee__mentee_profile__youth_partner_id"
    ):
        proposals_by_partner.setdefault(partner_id, []).append(proposal_id)
    log(f"  {len(unmatched):,} proposals to decide")
    for partner in partners[: SIGNED_IN["coordinator"]]:
        coordinator, _ = User.objects.get_or_create(
            email=f"coordinator{partner.pk}@bench.example", defaults={"first_name": "Coordinator"}
        )
        RoleAssignment.objects.get_or_create(user=coordinator, role=Role.COORDINATOR, youth_partner=partner)
        people["coordinator"].append(
            {"cookie": session_cookie(coordinator), "proposals": proposals_by_partner.get(partner.pk, [])}
        )
    for index in range(SIGNED_IN["staff"]):
        staff, _ = User.objects.get_or_create(
            email=f"staff{index}@bench.example", defaults={"first_name": "Staff"}
        )
        RoleAssignment.objects.get_or_create(user=staff, role=Role.PROGRAMME_STAFF)
        people["staff"].append({"cookie": session_cookie(staff)})
    people_file.write_text(json.dumps(people))
    log("  signed in: " + ", ".join(f"{len(rows)} {role}" for role, rows in people.items()))


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (0 once it has gone)."""
    total, pending = 0, [pid]
    while pending:
        each = pending.pop()
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{each}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


def warm_up(port: int, people_file: Path, workers: int) -> None:
    """Ask every gunicorn worker for each role's pages before measuring: a worker's first request of a
    page imports its views and templates (seconds each), which no signed-in person pays twice."""
    import threading
    import urllib.request

    people = json.loads(people_file.read_text())
    mentor, mentee = people["mentor"][0], people["mentee"][0]
    pages = [
        (mentor, "/home/"),
        (mentor, f"/relationships/{mentor['relationship']}/"),
        (mentor, f"/sessions/{mentor['session']}/log/"),
        (mentor, "/resources/"),
        (mentee, "/home/"),
        (mentee, f"/surveys/{mentee['survey']}/"),
        (people["coordinator"][0], "/home/"),
        (people["coordinator"][0], "/monitoring/"),
        (people["staff"][0], "/home/"),
        (people["staff"][0], "/impact/"),
    ]
    failed: list[str] = []

    def visit():
        for person, path in pages:
            request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
                f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={person['cookie']}"}
            )
            try:
                with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                    response.read()
            except Exception as error:  # noqa: BLE001 - reported, and the steps will show it too
                failed.append(f"{path}: {error}")

    # Sync workers take one request each, so as many visitors at once as workers reach all of them.
    for _round in range(2):
        visitors = [threading.Thread(target=visit) for _ in range(workers)]
        for visitor in visitors:
            visitor.start()
        for visitor in visitors:
            visitor.join(timeout=20 * 60)
    for failure in sorted(set(failed)):
        log(f"  warm-up: {failure}")


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path) as handle:
        return list(csv.DictReader(handle))


def run_step(
    stack: Stack,
    *,
    users: int,
    duration: int,
    pace: str,
    people_file: Path,
    prefix: Path,
    sample_every: int,
    pids: dict,
) -> dict:
    """One locust run of `users` for `duration` seconds, sampling memory and load while it runs."""
    command = [str(BIN / "locust"), "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless"]
    command += ["--host", f"http://127.0.0.1:{stack.web_port}", "-u", str(users), "-r", str(min(users, 25))]
    command += ["-t", f"{duration}s", "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"]
    memory: dict[str, list[float]] = {name: [] for name in pids}
    loads = [load_average()]

    def sample():
        for name, pid in pids.items():
            memory[name].append(rss_mb(pid))
        loads.append(load_average())

    sample()
    deadline = time.monotonic() + duration + 120
    with open(f"{prefix}_locust.log", "wb") as output:
        locust = subprocess.Popen(
            command,
            env={**os.environ, "LOAD_PEOPLE_FILE": str(people_file), "LOAD_PACE": pace},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        next_sample = time.monotonic() + sample_every
        while locust.poll() is None:
            if time.monotonic() > deadline:
                locust.kill()
                locust.wait(timeout=30)
                log("  locust did not stop in time and was killed")
                break
            time.sleep(1)
            if time.monotonic() >= next_sample:
                sample()
                next_sample += sample_every
    sample()
    return {
        "users": users,
        "duration": duration,
        "sample_every": sample_every,
        "load_average": {"before": loads[0], "highest": max(loads), "after": loads[-1]},
        "memory_mb": memory,
        "pages": page_figures(read_csv(Path(f"{prefix}_stats.csv"))),
        "failure_reasons": failure_reasons(read_csv(Path(f"{prefix}_failures.csv"))),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", default="50,200,500", help="concurrent users per step, comma-separated")
    parser.add_argument("--duration", type=int, default=60, help="seconds per step")
    parser.add_argument("--mentees", type=int, default=FULL_SIZE, help="size of the database (100,000)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the README's default: 3)")
    parser.add_argument(
        "--pace",
        choices=("person", "stress"),
        default="person",
        help="person: 10-40 s reading a page, 30-90 s writing a form; stress: a click every 1-5 s",
    )
    parser.add_argument("--sample-every", type=int, default=60, help="seconds between memory samples")
    parser.add_argument(
        "--soak", action="store_true", help=f"one step of {SOAK_USERS} users for {SOAK_SECONDS // 60} minutes"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args()
    if options.soak:
        options.users, options.duration = str(SOAK_USERS), SOAK_SECONDS
    steps = [int(users) for users in options.users.split(",")]
    if options.mentees < 1000:
        parser.error("--mentees must be at least 1,000 (50 mentors)")
    results = []
    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="load-") as scratch:
        log(f"Template database, kept in {TEMPLATE_CACHE}")
        template, cached = cached_template(TEMPLATE_CACHE, Path(scratch))
        log("  found, migrated by an earlier run" if cached else "  migrated now and kept")
        with Stack(keep=options.keep, template=template) as stack:
            import django

            django.setup()
            from django.conf import settings

            settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
            import benchmarks.home_pages as home_pages

            log(f"Filling the database ({options.mentees:,} mentees)")
            home_pages.fill(log, mentees=options.mentees)
            people_file = Path(scratch) / "people.json"
            fill_for_the_mix(people_file, mentees=options.mentees)
            from django.db import connection, connections

            # Vacuumed as autovacuum would have done on a server that had been running: the visibility
            # map lets index-only scans skip the tables, and no vacuum of the fresh rows runs mid-step.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            connections.close_all()
            log(f"  data ready after {time.monotonic() - started:.0f}s")
            worker = stack.worker(concurrency=1)
            web = stack.gunicorn(workers=options.workers)
            warmed = time.monotonic()
            warm_up(stack.web_port, people_file, options.workers)
            log(f"  every worker has served each page once ({time.monotonic() - warmed:.0f}s)")
            for users in steps:
                log(f"{users} users for {options.duration}s ({options.pace} pace)")
                step = run_step(
                    stack,
                    users=users,
                    duration=options.duration,
                    pace=options.pace,
                    people_file=people_file,
                    prefix=Path(scratch) / f"step{users}",
                    sample_every=options.sample_every,
                    pids={"gunicorn": web.pid, "worker": worker.pid},
                )
                step["mentees"] = options.mentees
                step["pace"] = options.pace
                results.append(step)
                print(format_step(step), flush=True)
            if options.keep:
                for path in Path(scratch).glob("step*"):
                    path.rename(stack.workdir / path.name)
                log(f"Logs and locust's files kept in {stack.workdir}")
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    print(f"\nTotal {time.monotonic() - started:.0f}s")
    if any(not step["pages"] for step in results):
        print("A step recorded no request: see locust's log (--keep keeps it).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
