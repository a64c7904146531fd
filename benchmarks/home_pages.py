"""Home page benchmark: the mentor's and coordinator's home pages against a bare 20-row Django page.

    .venv/bin/python benchmarks/home_pages.py [--duration 10] [--rounds 3] [--connections 8]
                                              [--workers 3] [--no-cache] [--rebuild] [--drop]

It needs PostgreSQL at 127.0.0.1:5432 accepting the `postgres` user without a password (trust),
and creates its own database `mentorbridge_bench_home` there (kept for the next run unless --drop;
--rebuild fills it again). The data: 100,000 mentees at 20 youth partners, 5,000 mentors with two
active relationships each (10,000 relationships), twelve sessions per relationship with the past
ones logged, goals and support check-ins.

gunicorn serves the project (DEBUG off, persistent database connections) on a free port at
127.0.0.1, with the production cache: Redis database 14 at 127.0.0.1:6379 (override with
BENCH_CACHE_URL), emptied at the start so the first visit of each page renders it afresh;
`--no-cache` uses Django's dummy cache instead, to measure the pages computed on every request.
The mentor's and coordinator's home content is cached per person until something it shows changes
(core/home_cache.py), so under load each page is mostly served from the cache, as it is when people
come back to their home page. The load generator runs on the same machine: wrk when installed
(Debian: `apt-get install -y wrk`), otherwise a small Python generator. The pages take turns, each
loaded for `--duration` seconds, in `--rounds` rounds (so they share the machine's changing load);
the run then stops gunicorn and prints requests per second, median and p95 latency of each page in
each round, and the median over the rounds.
Nothing is sent anywhere but 127.0.0.1.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATABASE = "mentorbridge_bench_home"
MENTEES = 100_000
PARTNERS = 20
MENTORS = 5_000
SESSIONS_PER_RELATIONSHIP = 12
BATCH = 5_000
MARKER_EMAIL = "bench.coordinator@bench.example"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  local format = 'RESULT {"requests": %d, "seconds": %f, "median_ms": %f, "p95_ms": %f, "errors": %d}\\n'
  io.write(string.format(format, summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def configure(cache_url: str) -> dict[str, str]:
    env = {
        "CACHE_URL": cache_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE}",
        "CONN_MAX_AGE": "600",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": HOST,
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    return env


def ensure_database(rebuild: bool) -> bool:
    """Create the benchmark database if needed. True when it must be filled."""
    import psycopg

    with psycopg.connect(f"host={HOST} port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
            return True
    return False


def drop_database():
    import psycopg

    with psycopg.connect(f"host={HOST} port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _batched(rows, model):
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)


def fill(log):
    """The data set: 100,000 mentees, 5,000 mentors, 10,000 active relationships and their year."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import MenteeProfile, MentorProfile, Role, RoleAssignment, User
    from mentoring.models import Goal, MentoringSession, Relationship, SessionLog, SupportCheckIn
    from programmes.models import Cohort, Programme, YouthPartner

    started = time.monotonic()
    today = timezone.localdate()
    password = make_password(None)
    programme = Programme.objects.create(name="Benchmark Mentoring", slug="benchmark-mentoring")
    partners = [
        YouthPartner.objects.create(name=f"Bench School {index:02d}", kind="school", region="west_midlands")
        for index in range(PARTNERS)
    ]
    cohorts = [
        Cohort.objects.create(programme=programme, youth_partner=partner, start_date=today.replace(day=1))
        for partner in partners
    ]
    _batched(
        [
            User(email=f"mentee{index}@bench.example", first_name=f"Mentee{index}", password=password)
            for index in range(MENTEES)
        ],
        User,
    )
    _batched(
        [
            User(email=f"mentor{index}@bench.example", first_name=f"Mentor{index}", password=password)
            for index in range(MENTORS)
        ],
        User,
    )
    log(f"  users: {time.monotonic() - started:.0f}s")
    mentee_ids = list(
        User.objects.filter(email__startswith="mentee").order_by("pk").values_list("pk", flat=True)
    )
    mentor_ids = list(
        User.objects.filter(email__startswith="mentor").order_by("pk").values_list("pk", flat=True)
    )
    birth = today.replace(year=today.year - 15)
    _batched(
        [
            MenteeProfile(
                user_id=user_id,
                date_of_birth=birth,
                youth_partner=partners[index % PARTNERS],
                cohort=cohorts[index % PARTNERS],
            )
            for index, user_id in enumerate(mentee_ids)
        ],
        MenteeProfile,
    )
    _batched([MentorProfile(user_id=user_id, capacity=2) for user_id in mentor_ids], MentorProfile)
    _batched([RoleAssignment(user_id=user_id, role=Role.MENTOR) for user_id in mentor_ids], RoleAssignment)
    log(f"  profiles: {time.monotonic() - started:.0f}s")
    relationships = []
    for index in range(MENTORS * 2):
        mentee_index = index  # the first 10,000 mentees are matched; the partner is index % PARTNERS
        relationships.append(
            Relationship(
                mentor_id=mentor_ids[index // 2],
                mentee_id=mentee_ids[mentee_index],
                cohort=cohorts[mentee_index % PARTNERS],
                status=Relationship.Status.ACTIVE,
                started_on=today - datetime.timedelta(days=170),
            )
        )
    _batched(relationships, Relationship)
    relationship_ids = list(Relationship.objects.order_by("pk").values_list("pk", flat=True))
    log(f"  relationships: {time.monotonic() - started:.0f}s")
    now = timezone.now()
    first = now - datetime.timedelta(days=165)
    sessions = [
        MentoringSession(
            relationship_id=relationship_id,
            number=number + 1,
            starts_at=first + datetime.timedelta(days=30 * number),
            is_online=True,
            status="held" if number < 5 else "scheduled",
        )
        for relationship_id in relationship_ids
        for number in range(SESSIONS_PER_RELATIONSHIP)
    ]
    _batched(sessions, MentoringSession)
    held = MentoringSession.objects.filter(status="held").values_list("pk", "relationship__mentor_id")
    _batched(
        [
            SessionLog(
                session_id=session_id,
                author_id=mentor_id,
                held=True,
                duration_minutes=60,
                format="online",
                topics=["options"],
                summary="Talked through options after GCSEs.",
                next_time_notes="Bring two course descriptions.",
            )
            for session_id, mentor_id in held
        ],
        SessionLog,
    )
    _batched(
        [
            Goal(relationship_id=relationship_id, title=title, status="in_progress")
            for relationship_id in relationship_ids
            for title in ("Choose post-16 options", "Write a first CV")
        ],
        Goal,
    )
    _batched(
        [
            SupportCheckIn(relationship_id=relationship_id, due_on=today - datetime.timedelta(days=170 - day))
            for relationship_id in relationship_ids
            for day in programme.support_check_in_days
        ],
        SupportCheckIn,
    )
    coordinator = User.objects.create(email=MARKER_EMAIL, first_name="Bench", password=password)
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR, youth_partner=partners[0])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"  sessions, logs, goals and check-ins: {time.monotonic() - started:.0f}s")


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("gunicorn did not start")


def fetch(port: int, path: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers={"Cookie": f"sessionid={cookie}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:  # noqa: S310  (always http://127.0.0.1)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def load_with_wrk(port, path, cookie, duration, connections, threads) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        output = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk"),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                "-H",
                f"Cookie: sessionid={cookie}",
                f"http://{HOST}:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def load_with_python(port, path, cookie, duration, connections, threads) -> dict:
    """A bounded keep-alive load generator: `connections` threads, each one connection, for `duration`."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + duration

    def worker():
        connection = HTTPConnection(HOST, port, timeout=10)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except OSError:
                failed += 1
                connection.close()
                connection = HTTPConnection(HOST, port, timeout=10)
                continue
            mine.append(time.perf_counter() - began)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(duration + 30)
    seconds = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "median_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0,
        "errors": errors[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds in which the pages take turns")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="load generator threads (wrk)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--worker-threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--rebuild", action="store_true", help="drop and fill the benchmark database again")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    parser.add_argument(
        "--python-load", action="store_true", help="use the Python load generator even if wrk is installed"
    )
    parser.add_argument("--no-cache", action="store_true", help="Django's dummy cache: compute every page")
    args = parser.parse_args()

    cache_url = (
        "dummycache://" if args.no_cache else os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
    )
    env = configure(cache_url)
    needs_fill = ensure_database(args.rebuild)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User

    if needs_fill or not User.objects.filter(email=MARKER_EMAIL).exists():
        print("Filling the benchmark database (a few minutes)...", flush=True)
        fill(lambda line: print(line, flush=True))
    from accounts.models import MenteeProfile
    from mentoring.models import Relationship

    print(
        f"Data: {MenteeProfile.objects.count():,} mentees, "
        f"{Relationship.objects.filter(status='active').count():,} active relationships.",
        flush=True,
    )
    if not args.no_cache:
        from django.core.cache import cache

        cache.clear()  # raises if Redis cannot be reached: start it, or pass --no-cache
    mentor = User.objects.get(email="mentor0@bench.example")
    coordinator = User.objects.get(email=MARKER_EMAIL)
    pages = [
        ("bare 20-row page (floor)", "/bench/rows/", session_cookie(coordinator)),
        ("mentor home", "/home/", session_cookie(mentor)),
        ("coordinator home", "/home/", session_cookie(coordinator)),
    ]
    from django.db import connections

    connections.close_all()

    port = free_port()
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "benchmarks.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.worker_threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    use_wrk = shutil.which("wrk") and not args.python_load
    load = load_with_wrk if use_wrk else load_with_python
    rounds = {label: [] for label, _path, _cookie in pages}
    try:
        wait_until_up(port)
        for label, path, cookie in pages:
            status, body = fetch(port, path, cookie)
            if status != 200:
                raise RuntimeError(f"{label} answered {status}")
            for _warm in range(20):
                fetch(port, path, cookie)
        # The pages take turns, round after round, so that they share the machine's changing load.
        for _round in range(args.rounds):
            for label, path, cookie in pages:
                rounds[label].append(load(port, path, cookie, args.duration, args.connections, args.threads))
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
        if args.drop:
            drop_database()

    print(
        f"\nLoad: {'wrk' if use_wrk else 'Python generator'}, {args.connections} connections, "
        f"{args.duration}s per page in each of {args.rounds} rounds; "
        f"gunicorn {args.workers} workers x {args.worker_threads} threads; "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end; "
        f"cache {cache_url}."
    )
    print("\nEach round:")
    for number in range(args.rounds):
        turns = [(label, rounds[label][number]) for label, _path, _cookie in pages]
        print(
            f"  {number + 1}: "
            + "; ".join(
                f"{label} {turn['rps']:.0f}/s, median {turn['median_ms']:.1f} ms, p95 {turn['p95_ms']:.1f} ms"
                for label, turn in turns
            )
        )
    results = [
        (
            label,
            {
                measure: statistics.median(result[measure] for result in rounds[label])
                for measure in ("rps", "median_ms", "p95_ms")
            }
            | {"errors": sum(result["errors"] for result in rounds[label])},
        )
        for label, _path, _cookie in pages
    ]
    print(f"\nMedian over {args.rounds} round(s):")
    print(f"{'page':<28}{'req/s':>10}{'median ms':>12}{'p95 ms':>10}{'errors':>8}")
    for label, result in results:
        print(
            f"{label:<28}{result['rps']:>10.0f}{result['median_ms']:>12.1f}"
            f"{result['p95_ms']:>10.1f}{result['errors']:>8}"
        )
    floor = results[0][1]
    for label, result in results[1:]:
        ratio = result["rps"] / floor["rps"] if floor["rps"] else 0
        ok = ratio >= 0.5 and result["p95_ms"] <= 2 * floor["median_ms"]
        print(
            f"{label}: {ratio:.0%} of the floor's throughput, p95 {result['p95_ms']:.1f} ms against a "
            f"limit of {2 * floor['median_ms']:.1f} ms: {'meets' if ok else 'misses'} the target."
        )


if __name__ == "__main__":
    main()
