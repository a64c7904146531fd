"""Load every role, signed in, against a private production stack on a 100,000-mentee database.

    .venv/bin/python scripts/load.py [--users 50,200,500] [--duration 60] [--workers 3] [--keep]

It starts its own PostgreSQL (a migrated copy, a free port), Redis, a Celery worker and gunicorn
(`--workers`, 3 by default as in the README and docker-compose.yml, DEBUG off, persistent database
connections) at 127.0.0.1, fills the database as benchmarks/home_pages.py does (100,000 mentees at
20 youth partners, 5,000 mentors in 10,000 active relationships with a year of sessions, logs, goals
and check-ins), and adds what the mix needs: a survey waiting for each of 2,000 mentees, 20,000
proposed matches for the coordinators to decide, the resource library, and signed-in sessions.

Then, for each number of users, locust (scripts/locustfile.py: mentors logging sessions and reading
resources, mentees answering surveys, coordinators deciding proposals and reading their home,
staff reading the impact dashboard; CSRF tokens taken from the forms) runs headless for
`--duration` seconds, spawning 25 users a second. It prints requests per second, p50/p95/p99 and
failures per page and in all, with the load average, and the memory (RSS) of gunicorn's and the
worker's processes before and after each step. The load generator shares the machine with the site.
Only 127.0.0.1 is contacted; every run is bounded by --duration.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import BIN, ROOT, TEMPLATE_CACHE, Stack, cached_template  # noqa: E402

SURVEY_MENTEES = 2000
PROPOSALS = 20000
SIGNED_IN = {"mentor": 600, "mentee": 600, "coordinator": 20, "staff": 5}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


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


def fill_for_the_mix(users_file: Path) -> None:
    """What the mix needs beyond benchmarks/home_pages.fill(), and a signed-in session per person."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Role, RoleAssignment, User
    from evaluation.content import MENTEE_PRE
    from evaluation.services import survey_issue
    from matching.models import Proposal
    from mentoring.models import MentoringSession, Relationship

    call_command("load_resources", verbosity=0)
    relationships = list(
        Relationship.objects.order_by("pk").values_list("pk", "mentor_id", "mentee_id", "cohort_id")[
            : SIGNED_IN["mentor"]
        ]
    )
    now = timezone.now()
    past_unlogged = dict(
        MentoringSession.objects.filter(
            relationship_id__in=[row[0] for row in relationships], status="scheduled", starts_at__lt=now
        ).values_list("relationship_id", "pk")
    )
    people: dict[str, list[dict]] = {"mentor": [], "mentee": [], "coordinator": [], "staff": []}
    users = User.objects.in_bulk([row[1] for row in relationships] + [row[2] for row in relationships])
    for relationship_id, mentor_id, _mentee_id, _cohort_id in relationships:
        if relationship_id in past_unlogged:
            people["mentor"].append(
                {
                    "cookie": session_cookie(users[mentor_id]),
                    "relationship": relationship_id,
                    "session": past_unlogged[relationship_id],
                }
            )
    for _relationship_id, _mentor_id, mentee_id, _cohort_id in relationships[: SIGNED_IN["mentee"]]:
        response = survey_issue(instrument_slug=MENTEE_PRE, user=users[mentee_id])
        people["mentee"].append({"cookie": session_cookie(users[mentee_id]), "survey": response.pk})
    for extra in User.objects.filter(email__startswith="mentee").order_by("pk")[
        20000 : 20000 + SURVEY_MENTEES
    ]:
        survey_issue(instrument_slug=MENTEE_PRE, user=extra)
    log(f"  surveys issued to {SIGNED_IN['mentee'] + SURVEY_MENTEES} mentees")

    # Proposals for the unmatched mentees (beyond the first 10,000), decided by their coordinators.
    from programmes.models import Cohort, YouthPartner

    partners = list(YouthPartner.objects.order_by("pk"))
    cohort_of = {cohort.youth_partner_id: cohort.pk for cohort in Cohort.objects.all()}
    mentor_ids = list(
        User.objects.filter(email__startswith="mentor").order_by("pk").values_list("pk", flat=True)
    )
    unmatched = list(
        User.objects.filter(email__startswith="mentee")
        .order_by("pk")
        .values_list("pk", "mentee_profile__youth_partner_id")[10000 : 10000 + PROPOSALS]
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
    users_file.write_text(json.dumps(people))
    log("  signed in: " + ", ".join(f"{len(rows)} {role}s" for role, rows in people.items()))


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        status = Path(f"/proc/{each}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def run_step(stack: Stack, users: int, duration: int, users_file: Path, prefix: Path) -> list[dict]:
    command = [str(BIN / "locust"), "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless"]
    command += ["--host", f"http://127.0.0.1:{stack.web_port}", "-u", str(users), "-r", "25"]
    command += ["-t", f"{duration}s", "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"]
    subprocess.run(
        command,
        env={**os.environ, "LOAD_USERS": str(users_file)},
        check=False,
        timeout=duration + 120,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", default="50,200,500", help="concurrent users per step, comma-separated")
    parser.add_argument("--duration", type=int, default=60, help="seconds per step")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the README's default: 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args()
    steps = [int(users) for users in options.users.split(",")]
    results = []
    started = time.monotonic()
    import tempfile

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

            log("Filling the database (100,000 mentees)")
            home_pages.fill(log)
            users_file = Path(scratch) / "users.json"
            fill_for_the_mix(users_file)
            from django.db import connection, connections

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            connections.close_all()
            log(f"  data ready after {time.monotonic() - started:.0f}s")
            worker = stack.worker(concurrency=1)
            web = stack.gunicorn(workers=options.workers)
            for users in steps:
                memory_before = (rss_mb(web.pid), rss_mb(worker.pid))
                log(f"{users} users for {options.duration}s")
                rows = run_step(stack, users, options.duration, users_file, Path(scratch) / f"step{users}")
                load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
                memory_after = (rss_mb(web.pid), rss_mb(worker.pid))
                results.append(
                    {
                        "users": users,
                        "load_average": load_average,
                        "memory_mb": {
                            "gunicorn": [memory_before[0], memory_after[0]],
                            "worker": [memory_before[1], memory_after[1]],
                        },
                        "pages": [
                            {
                                "page": row["Name"],
                                "requests": int(row["Request Count"]),
                                "failures": int(row["Failure Count"]),
                                "rps": float(row["Requests/s"]),
                                "p50": row["50%"],
                                "p95": row["95%"],
                                "p99": row["99%"],
                            }
                            for row in rows
                        ],
                    }
                )
                print_step(results[-1])
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    print(f"\nTotal {time.monotonic() - started:.0f}s")
    return 0


def print_step(step: dict) -> None:
    print()
    memory = step["memory_mb"]
    print(
        f"{step['users']} users (load average after: {step['load_average']}; RSS MB gunicorn "
        f"{memory['gunicorn'][0]:.0f}->{memory['gunicorn'][1]:.0f}, worker {memory['worker'][0]:.0f}->"
        f"{memory['worker'][1]:.0f})"
    )
    print(
        f"{'page':<28} {'requests':>9} {'failures':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    for page in step["pages"]:
        print(
            f"{page['page']:<28} {page['requests']:>9} {page['failures']:>9} {page['rps']:>7.1f} "
            f"{page['p50']:>7} {page['p95']:>7} {page['p99']:>7}"
        )


if __name__ == "__main__":
    sys.exit(main())
