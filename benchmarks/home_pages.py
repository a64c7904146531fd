"""Page benchmark: every page of issue 20, computed as on a first visit, against a bare 20-row page.

    .venv/bin/python benchmarks/home_pages.py [--duration 10] [--rounds 3] [--connections 8]
                                              [--workers 3] [--cache | --no-cache] [--only WORD]
                                              [--rebuild] [--drop] [--report]

It needs PostgreSQL at 127.0.0.1:5432 accepting the `postgres` user without a password (trust),
and creates its own database (`mentorbridge_bench_home`, or BENCH_DATABASE) there, kept for the next
run unless --drop; --rebuild fills it again. The data: 100,000 mentees at 20 youth partners, 5,000
mentors with two active relationships each (10,000 relationships), twelve sessions per relationship
with the past ones logged, goals and support check-ins; staff, a safeguarding lead, a funder and an
employer contact (500 mentors at the employer); a finished matching round with 500 proposals; 5,000
applications, 2,000 concerns, 200,000 audit events; and 1,000,000 survey answers (pre and post for
50,000 mentees) with the tallies the impact page reads. Filling takes five to ten minutes; the
database is then vacuumed once, as autovacuum would do in production (`vacuum_if_needed`).

gunicorn serves the project (DEBUG off, persistent database connections) on a free port at
127.0.0.1. `--no-cache` (the default) uses Django's dummy cache, so every page is computed on every
request, as on a first visit; `--cache` uses the production cache, Redis database 14 at
127.0.0.1:6379 (override with BENCH_CACHE_URL), emptied at the start. The load generator runs on the
same machine: wrk when installed (Debian: `apt-get install -y wrk`), otherwise a small Python
generator. The pages take turns, each loaded for `--duration` seconds, in `--rounds` rounds (so they
share the machine's changing load); the run then stops gunicorn and prints, for each page, the median
over the rounds of requests per second, its share of the floor's, the page's target share, median
and p95 latency, errors, and whether it meets its target (the share, p95 at most three times its own
median, no errors), with the load average during the run. Nothing is sent anywhere but 127.0.0.1.

A page that loads sections of its own once shown (an element with `hx-get` and `hx-trigger="load"`,
which htmx fetches as soon as the page is in the browser, like the impact page's breakdown) is
measured as a visit: the sections are found in the page itself, each is loaded on its own right after
the page (with htmx's `HX-Request` header), and the page's line is the visit, 1 / (the sum of 1 / each
part's requests per second), with the parts' medians and p95s added; the parts follow on lines of
their own.

`--report` measures instead the PDF impact report of the benchmark's programme (its 1,000,000
answers), built by its Celery task in this process, with the progress steps the report's page shows.
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
from html.parser import HTMLParser
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATABASE = os.environ.get("BENCH_DATABASE", "mentorbridge_bench_home")
MENTEES = 100_000
PARTNERS = 20
MENTORS = 5_000
SESSIONS_PER_RELATIONSHIP = 12
BATCH = 5_000
MARKER_EMAIL = "bench.coordinator@bench.example"
STAFF_EMAIL = "bench.staff@bench.example"
ROUND_PROPOSALS = 500
APPLICATIONS = 5_000
CONCERNS = 2_000
AUDIT_EVENTS = 200_000
SURVEY_PEOPLE = 50_000  # pre and post, ten scale items each: 1,000,000 answers

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


# People's names mix, as real ones do: mentors, mentees and applicants are spread through any list
# ordered by name (a name prefix per role would put all the mentors after 100,000 mentees).
FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ella", "Farah", "George", "Hana", "Isaac", "Jade", "Kofi",
               "Leah", "Mo", "Nia", "Oscar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik", "Wren",
               "Xander", "Yusuf", "Zara"]  # fmt: skip
SURNAMES = ["Adams", "Begum", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
            "Khan", "Lewis", "Mensah", "Nowak", "Owen", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
            "Usman", "Vaughan", "Walker", "Young", "Zhou"]  # fmt: skip


def name(index: int) -> dict:
    return {
        "first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
        "last_name": f"{SURNAMES[(index // len(FIRST_NAMES)) % len(SURNAMES)]}-{index % 997}",
    }


def _batched(rows, model):
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)


def fill(log, *, mentees: int = MENTEES):
    """The data set: 100,000 mentees (or `mentees`), a mentor for every 20 of them, each mentor in two
    active relationships with their year of sessions."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import MenteeProfile, MentorProfile, Role, RoleAssignment, User
    from mentoring.models import (
        CohortMentees,
        Goal,
        MentoringSession,
        Relationship,
        SessionLog,
        SupportCheckIn,
    )
    from programmes.models import Cohort, Programme, YouthPartner

    mentors = mentees * MENTORS // MENTEES
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
            User(email=f"mentee{index}@bench.example", **name(index), password=password)
            for index in range(mentees)
        ],
        User,
    )
    _batched(
        [
            User(email=f"mentor{index}@bench.example", **name(index * 7 + 3), password=password)
            for index in range(mentors)
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
    CohortMentees.recount()  # bulk_create bypasses the signals that keep it
    _batched([MentorProfile(user_id=user_id, capacity=2) for user_id in mentor_ids], MentorProfile)
    _batched([RoleAssignment(user_id=user_id, role=Role.MENTOR) for user_id in mentor_ids], RoleAssignment)
    _batched([RoleAssignment(user_id=user_id, role=Role.MENTEE) for user_id in mentee_ids], RoleAssignment)
    log(f"  profiles: {time.monotonic() - started:.0f}s")
    relationships = []
    for index in range(mentors * 2):
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
    Relationship.objects.refresh_held_sessions()  # bulk_create bypasses the signals that keep it
    _batched(
        [
            Goal(relationship_id=relationship_id, title=title, status="in_progress")
            for relationship_id in relationship_ids
            for title in ("Choose post-16 options", "Write a first CV")
        ],
        Goal,
    )
    Relationship.objects.refresh_goal_counts()  # bulk_create bypasses the signals that keep them
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
        cursor.execute("VACUUM (ANALYZE)")  # see vacuum_if_needed
    log(f"  sessions, logs, goals and check-ins: {time.monotonic() - started:.0f}s")


def fill_extra(log):
    """Everyone else the pages need: staff, a safeguarding lead, a funder, an employer contact with
    500 mentors, a matching round with 500 proposals, applications, concerns, audit events, and
    1,000,000 survey answers (pre and post for 50,000 mentees) with the summaries the dashboard reads."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Role, RoleAssignment, User
    from community.models import EmployerContact, EmployerMembership, EmployerMonth, EmployerPartner
    from matching.models import MatchingRound, Proposal, RoundStatus
    from mentoring.models import Cohort, Programme, YouthPartner
    from recruitment.models import Application
    from safeguarding.models import Concern

    started = time.monotonic()
    now, today = timezone.now(), timezone.localdate()
    password = make_password(None)
    programme = Programme.objects.get(slug="benchmark-mentoring")
    partner = YouthPartner.objects.order_by("name").first()
    cohort = Cohort.objects.get(programme=programme, youth_partner=partner)

    def person(email, role, **scope):
        user = User.objects.create(email=email, first_name=email.split("@")[0], password=password)
        RoleAssignment.objects.create(user=user, role=role, **scope)
        return user

    staff = person(STAFF_EMAIL + ".tmp", Role.PROGRAMME_STAFF)
    person("bench.dsl@bench.example", Role.SAFEGUARDING_LEAD, youth_partner=partner)
    person("bench.funder@bench.example", Role.FUNDER, programme=programme)
    contact = person("bench.employer@bench.example", Role.EMPLOYER_CONTACT)
    employer = EmployerPartner.objects.create(name="Bench Employer", sector="Engineering")
    EmployerContact.objects.create(user=contact, employer=employer)
    mentor_ids = list(
        User.objects.filter(email__startswith="mentor").order_by("pk").values_list("pk", flat=True)[:500]
    )
    _batched([EmployerMembership(mentor_id=pk, employer=employer) for pk in mentor_ids], EmployerMembership)
    EmployerMonth.recount(employer_ids={employer.pk})  # bulk_create bypasses the signals that keep it
    log(f"  people: {time.monotonic() - started:.0f}s")

    # A finished matching round at the first partner: 500 proposals for mentees not yet matched.
    matching_round = MatchingRound.objects.create(
        programme=programme,
        scope=MatchingRound.Scope.YOUTH_PARTNER,
        youth_partner=partner,
        status=RoundStatus.DONE,
        progress=100,
        started_by=staff,
        started_at=now,
        finished_at=now,
    )
    waiting = list(
        User.objects.filter(mentee_profile__youth_partner=partner, mentee_relationships__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:ROUND_PROPOSALS]
    )
    all_mentors = list(
        User.objects.filter(email__startswith="mentor").order_by("pk").values_list("pk", flat=True)
    )
    _batched(
        [
            Proposal(
                round=matching_round,
                mentor_id=all_mentors[index % len(all_mentors)],
                mentee_id=mentee_id,
                cohort=cohort,
                score=0.9 - index / 10_000,
                explanation="Shares an interest in engineering; both free on weekday evenings.",
            )
            for index, mentee_id in enumerate(waiting)
        ],
        Proposal,
    )
    # Applications from people who are not yet mentors, and concerns raised by mentors.
    applicants = [
        User(email=f"applicant{index}@bench.example", **name(index * 11 + 5), password=password)
        for index in range(APPLICATIONS)
    ]
    _batched(applicants, User)
    applicant_ids = User.objects.filter(email__startswith="applicant").values_list("pk", flat=True)
    _batched(
        [
            Application(
                user_id=pk, programme=programme, role=Role.MENTOR, status="submitted", submitted_at=now
            )
            for pk in applicant_ids
        ],
        Application,
    )
    at_partner = User.objects.filter(mentee_profile__youth_partner=partner).order_by("pk")
    young = list(at_partner.values_list("pk", flat=True)[:CONCERNS])
    _batched(
        [
            Concern(
                reporter_id=all_mentors[index % len(all_mentors)],
                young_person_id=young_id,
                happened_at=now,
                who_is_at_risk="The young person.",
                facts="Said they were worried about getting home safely.",
                youth_partner=partner,
                programme=programme,
                acknowledge_by=now,
                retain_until=today.replace(year=today.year + 25),
            )
            for index, young_id in enumerate(young)
        ],
        Concern,
    )
    log(f"  round, applications and concerns: {time.monotonic() - started:.0f}s")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_auditevent
              (occurred_at, actor_id, action, target_type, target_id, summary, details)
            SELECT now() - g * interval '1 minute', %(actor)s, 'relationship.viewed', 'relationship',
                   (g %% 10000)::text, 'Viewed a relationship', '{}'::jsonb
            FROM generate_series(1, %(count)s) g
            """,
            {"actor": staff.pk, "count": AUDIT_EVENTS},
        )
    log(f"  audit events: {time.monotonic() - started:.0f}s")
    fill_answers(programme, log, started)
    staff.email = STAFF_EMAIL  # the marker: everything above is in place
    staff.save(update_fields=["email"])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # see vacuum_if_needed


def fill_answers(programme, log, started):
    """Pre and post surveys for 50,000 mentees (ten scale items each), answered inside PostgreSQL,
    and the tallies the submission service keeps (as benchmarks/dashboard.py builds them)."""
    from django.db import connection

    from benchmarks import dashboard
    from evaluation.models import InstrumentVersion, SurveyInstance

    pre = SurveyInstance.objects.create(
        version=InstrumentVersion.objects.get(instrument__slug="mentee-pre", status="published"),
        programme=programme,
    )
    post = SurveyInstance.objects.create(
        version=InstrumentVersion.objects.get(instrument__slug="mentee-post", status="published"),
        programme=programme,
    )
    values = {
        "pre": pre.pk,
        "post": post.pk,
        "pre_version": pre.version_id,
        "post_version": post.version_id,
        "programme": programme.pk,
        "people": SURVEY_PEOPLE,
    }
    with connection.cursor() as cursor:
        for instance, day in ((pre.pk, "2025-09-15"), (post.pk, "2026-07-15")):
            cursor.execute(
                """
                INSERT INTO evaluation_surveyresponse
                  (created_at, updated_at, instance_id, respondent_id, status, programme_id, youth_partner_id,
                   cohort_id, context_type, context_id, mandatory, submitted_at, reminders_sent)
                SELECT now(), now(), %(instance)s, p.user_id, 'submitted', %(programme)s, p.youth_partner_id,
                       p.cohort_id, '', '', true, %(day)s::timestamptz, 0
                FROM (SELECT user_id, youth_partner_id, cohort_id FROM accounts_menteeprofile
                      ORDER BY user_id LIMIT %(people)s) p
                """,
                {**values, "instance": instance, "day": day},
            )
        cursor.execute(
            """
            INSERT INTO evaluation_answer (response_id, question_id, value, choices, text)
            SELECT r.id, q.id,
                   CASE WHEN r.instance_id = %(pre)s THEN 1 + ((r.respondent_id * 31 + q.position * 17) %% 5)
                        ELSE LEAST(5, 1 + ((r.respondent_id * 31 + q.position * 17) %% 5)
                                      + ((r.respondent_id + q.position) %% 3)) END,
                   '[]'::jsonb, ''
            FROM evaluation_surveyresponse r
            JOIN evaluation_question q
              ON q.version_id = CASE WHEN r.instance_id = %(pre)s
                                     THEN %(pre_version)s ELSE %(post_version)s END
            WHERE q.kind = 'agree' AND r.instance_id IN (%(pre)s, %(post)s)
            """,
            values,
        )
        log(f"  survey answers: {time.monotonic() - started:.0f}s")
        for statement in dashboard.TALLY_SQL:
            cursor.execute(statement, values)
    log(f"  survey summaries: {time.monotonic() - started:.0f}s")


def vacuum_if_needed(log) -> None:
    """VACUUM the database once after it is filled, as autovacuum would on a production server.

    A server with autovacuum off (the shared test machine's is) never sets the visibility map, so
    every index-only scan still reads the table's rows: a youth partner's 5,000 mentees counted from
    the (youth partner, date of birth) index took 41 ms instead of 1.6 ms. Production PostgreSQL runs
    autovacuum by default, which vacuums a table after enough inserts or updates."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'accounts_menteeprofile' "
            "AND last_vacuum IS NULL AND last_autovacuum IS NULL"
        )
        if cursor.fetchone()[0]:
            log("Vacuuming the benchmark database (once)...")
            cursor.execute("VACUUM (ANALYZE)")


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


def _headers(cookie: str, section: bool) -> dict[str, str]:
    """A signed-in browser's request; a section's is htmx's own (it sends HX-Request)."""
    return {"Cookie": f"sessionid={cookie}", **({"HX-Request": "true"} if section else {})}


def fetch(port: int, path: str, cookie: str, section: bool = False) -> tuple[int, str]:
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=_headers(cookie, section))
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:  # noqa: S310  (always http://127.0.0.1)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _SectionFinder(HTMLParser):
    """The sections a page loads by itself once shown: elements with `hx-get` and an `hx-trigger` of
    "load" (htmx fetches them as soon as the page is in the browser)."""

    def __init__(self):
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        trigger = values.get("hx-trigger") or ""
        triggers = [part.split()[0] for part in trigger.split(",") if part.strip()]
        if values.get("hx-get") and "load" in triggers:
            self.paths.append(values["hx-get"])


def sections_of(body: str) -> list[str]:
    finder = _SectionFinder()
    finder.feed(body)
    return finder.paths


def load_with_wrk(port, path, cookie, duration, connections, threads, section=False) -> dict:
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
                *[part for header in _headers(cookie, section).items() for part in ("-H", ": ".join(header))],
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


def load_with_python(port, path, cookie, duration, connections, threads, section=False) -> dict:
    """A bounded keep-alive load generator: `connections` threads, each one connection, for `duration`."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + duration

    def worker():
        connection = HTTPConnection(HOST, port, timeout=10)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=_headers(cookie, section))
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


# Each page: label, the person who visits it, its path (a callable given the data), and the share of
# the floor's requests per second it must reach (issue 20).
def pages_to_measure():
    from django.utils import timezone

    from accounts.models import User
    from community.models import EmployerPartner
    from matching.models import MatchingRound
    from mentoring.models import MentoringSession, Relationship

    people = {
        name: User.objects.get(email=email)
        for name, email in (
            ("mentor", "mentor0@bench.example"),
            ("mentee", "mentee0@bench.example"),
            ("coordinator", MARKER_EMAIL),
            ("dsl", "bench.dsl@bench.example"),
            ("staff", STAFF_EMAIL),
            ("funder", "bench.funder@bench.example"),
            ("employer", "bench.employer@bench.example"),
        )
    }
    relationship = Relationship.objects.filter(mentor=people["mentor"]).order_by("pk").first()
    to_log = (
        MentoringSession.objects.filter(
            relationship=relationship, status="scheduled", starts_at__lt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    employer = EmployerPartner.objects.get(name="Bench Employer")
    matching_round = MatchingRound.objects.order_by("pk").first()
    return [
        ("bare 20-row page (floor)", "coordinator", "/bench/rows/", None),
        ("mentor home", "mentor", "/home/", 0.25),
        ("mentee home", "mentee", "/home/", 0.25),
        ("coordinator home", "coordinator", "/home/", 0.15),
        ("safeguarding lead home", "dsl", "/home/", 0.15),
        ("staff home", "staff", "/home/", 0.15),
        ("funder home", "funder", "/home/", 0.15),
        ("employer figures", "employer", f"/community/employers/{employer.pk}/", 0.15),
        ("impact, staff", "staff", "/impact/", 0.10),
        ("impact, coordinator", "coordinator", "/impact/", 0.10),
        ("impact, funder", "funder", "/impact/", 0.10),
        ("relationship page", "mentor", f"/relationships/{relationship.pk}/", 0.10),
        ("session log form", "mentor", f"/sessions/{to_log.pk}/log/", 0.10),
        ("matching round (500)", "staff", f"/matching/rounds/{matching_round.pk}/", 0.10),
        ("mentee list", "staff", "/people/mentees/", 0.10),
        ("mentor list", "staff", "/people/mentors/", 0.10),
        ("relationships (monitoring)", "coordinator", "/monitoring/", 0.10),
        ("relationship list", "staff", "/relationships/", 0.10),
        ("application list", "staff", "/recruitment/applications/", 0.10),
        ("concern list", "dsl", "/safeguarding/concerns/", 0.10),
        ("audit log", "staff", "/account/audit/", 0.10),
    ], people


def time_report(log):
    """Build the PDF impact report of the benchmark's programme (1,000,000 answers) through its Celery
    task, run in this process (eager), and print how long it took and the progress a person waiting
    on the report's page would have seen (read from another connection, as the page polls it)."""
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from accounts.models import User
    from config.celery import app
    from evaluation import services
    from evaluation.models import Answer, ImpactReport
    from mentoring.models import Programme

    staff = User.objects.get(email=STAFF_EMAIL)
    programme = Programme.objects.order_by("pk").first()
    newest = ImpactReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    seen: list[int] = []
    done = threading.Event()

    def watch():
        while not done.is_set():
            progress = ImpactReport.objects.filter(pk__gt=newest).values_list("progress", flat=True).first()
            if progress is not None and (not seen or seen[-1] != progress):
                seen.append(progress)
            time.sleep(0.05)
        connection.close()

    watcher = threading.Thread(target=watch)
    load_before = os.getloadavg()
    app.conf.task_always_eager = True
    watcher.start()
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
            started = time.perf_counter()
            report = services.impact_report_request(
                actor=staff,
                programme=programme,
                period_start=datetime.date(2020, 1, 1),
                period_end=timezone.localdate(),
            )
            seconds = time.perf_counter() - started
    finally:
        done.set()
        watcher.join()
    report.refresh_from_db()
    log(
        f"PDF impact report of {programme.name} ({Answer.objects.count():,} answers): "
        f"{report.status}, {len(bytes(report.pdf or b'')):,} bytes in {seconds:.1f} s through the "
        f"build_impact_report task (eager); progress seen by another connection: {seen}; load average "
        f"before {'/'.join(f'{value:.2f}' for value in load_before)}, after "
        f"{'/'.join(f'{value:.2f}' for value in os.getloadavg())}."
    )


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
    parser.add_argument("--only", action="append", default=[], help="measure only pages whose label has this")
    parser.add_argument(
        "--report", action="store_true", help="time the PDF impact report's build instead of the pages"
    )
    parser.add_argument(
        "--python-load", action="store_true", help="use the Python load generator even if wrk is installed"
    )
    parser.add_argument(
        "--cache",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="--cache: the production cache (Redis); --no-cache (the default): Django's dummy cache, "
        "so every page is computed on every request, as on a first visit",
    )
    args = parser.parse_args()

    cache_url = (
        os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14") if args.cache else "dummycache://"
    )
    env = configure(cache_url)
    needs_fill = ensure_database(args.rebuild)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User

    if needs_fill or not User.objects.filter(email=MARKER_EMAIL).exists():
        print("Filling the benchmark database (several minutes)...", flush=True)
        fill(lambda line: print(line, flush=True))
    if not User.objects.filter(email=STAFF_EMAIL).exists():
        print("Adding staff, rounds, applications, concerns, audit events and survey answers...", flush=True)
        fill_extra(lambda line: print(line, flush=True))
    vacuum_if_needed(lambda line: print(line, flush=True))
    from accounts.models import MenteeProfile
    from evaluation.models import Answer
    from mentoring.models import Relationship

    print(
        f"Data: {MenteeProfile.objects.count():,} mentees, "
        f"{Relationship.objects.filter(status='active').count():,} active relationships, "
        f"{Answer.objects.count():,} survey answers.",
        flush=True,
    )
    if args.report:
        time_report(lambda line: print(line, flush=True))
        return
    if args.cache:
        from django.core.cache import cache

        cache.clear()  # raises if Redis cannot be reached: start it, or run with --no-cache
    pages, people = pages_to_measure()
    if args.only:
        pages = [pages[0]] + [page for page in pages[1:] if any(word in page[0] for word in args.only)]
    cookies = {name: session_cookie(user) for name, user in people.items()}
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
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    use_wrk = shutil.which("wrk") and not args.python_load
    load = load_with_wrk if use_wrk else load_with_python
    rounds = {label: [] for label, *_rest in pages}
    sections: dict[str, list[str]] = {}
    loads = []
    try:
        wait_until_up(port)
        for label, person, path, _target in pages:
            status, body = fetch(port, path, cookies[person])
            if status != 200:
                raise RuntimeError(f"{label} ({path}) answered {status}")
            # What the page loads by itself once shown (htmx sections) is part of the visit.
            sections[label] = sections_of(body)
            for section in sections[label]:
                status, _section_body = fetch(port, section, cookies[person], section=True)
                if status != 200:
                    raise RuntimeError(f"{label}: its section {section} answered {status}")
                rounds[(label, section)] = []
            for _warm in range(3):
                fetch(port, path, cookies[person])
                for section in sections[label]:
                    fetch(port, section, cookies[person], section=True)
        # The pages take turns, round after round, so that they share the machine's changing load; a
        # page's sections are measured right after it.
        for _round in range(args.rounds):
            for label, person, path, _target in pages:
                rounds[label].append(
                    load(port, path, cookies[person], args.duration, args.connections, args.threads)
                )
                loads.append(os.getloadavg()[0])
                for section in sections[label]:
                    rounds[(label, section)].append(
                        load(
                            port,
                            section,
                            cookies[person],
                            args.duration,
                            args.connections,
                            args.threads,
                            section=True,
                        )
                    )
                    loads.append(os.getloadavg()[0])
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
        f"gunicorn {args.workers} workers x {args.worker_threads} threads; {os.cpu_count()} CPUs; "
        f"load average (1 min) during the run {min(loads):.1f} to {max(loads):.1f}, "
        f"median {statistics.median(loads):.1f}; cache {cache_url}."
    )

    def median_of(key) -> dict:
        return {
            measure: statistics.median(result[measure] for result in rounds[key])
            for measure in ("rps", "median_ms", "p95_ms")
        } | {"errors": sum(result["errors"] for result in rounds[key])}

    # A page with sections: a visit costs the page and each section, so the visits the server can
    # serve per second are 1 / (the sum of each request's share of a second), and the visit's median
    # and p95 are the sums of its requests' (the sections are asked for once the page has arrived).
    results = []
    for label, _person, _path, target in pages:
        page = median_of(label)
        parts = [(section, median_of((label, section))) for section in sections[label]]
        if parts:
            every = [page] + [part for _section, part in parts]
            visit = {
                "rps": 1 / sum(1 / part["rps"] for part in every) if all(p["rps"] for p in every) else 0.0,
                "median_ms": sum(part["median_ms"] for part in every),
                "p95_ms": sum(part["p95_ms"] for part in every),
                "errors": sum(part["errors"] for part in every),
            }
            results.append((f"{label} (visit)", target, visit))
            results.append(("  the page alone", None, page))
            results.extend((f"  + {section.split('?')[0]}", None, part) for section, part in parts)
        else:
            results.append((label, target, page))
    floor = results[0][2]
    print(f"\nMedian over {args.rounds} round(s), {'cached' if args.cache else 'computed'}:")
    print(
        f"| {'page':<28} | {'req/s':>7} | {'of floor':>8} | {'target':>6} | {'median ms':>9} | {'p95 ms':>8} "
        f"| {'errors':>6} | {'result':<7} |"
    )
    print(
        "| "
        + " | ".join(["-" * 28] + [f"{'-' * (width - 1)}:" for width in (7, 8, 6, 9, 8, 6)])
        + " | ------- |"
    )
    missed = []
    for index, (label, target, result) in enumerate(results):
        ratio = result["rps"] / floor["rps"] if floor["rps"] else 0
        if target is None:
            verdict, target_text = ("floor" if index == 0 else "part"), ""
        else:
            problems = []
            if ratio < target:
                problems.append("throughput")
            if result["p95_ms"] > 3 * result["median_ms"]:
                problems.append("p95 over 3x median")
            if result["errors"]:
                problems.append("errors")
            verdict = "misses" if problems else "meets"
            target_text = f"{target:.0%}"
            if problems:
                missed.append(f"{label} ({', '.join(problems)})")
        print(
            f"| {label:<28} | {result['rps']:>7.1f} | {ratio:>8.0%} | {target_text:>6} | "
            f"{result['median_ms']:>9.0f} | {result['p95_ms']:>8.0f} | {result['errors']:>6} | {verdict:<7} |"
        )
    if any(sections.values()):
        print(
            '\nA page marked (visit) loads sections of its own once shown (htmx, hx-trigger="load"): '
            "each is measured on its own right after the page; the visit's requests per second are "
            "1 / (the sum of 1 / each part's), its median and p95 the sums of its parts'."
        )
    print(
        "\nEvery page meets its target."
        if not missed
        else f"\n{len(missed)} page(s) miss their target: " + "; ".join(missed) + "."
    )


if __name__ == "__main__":
    main()
