"""A matching round from the database to saved proposals: 500 mentees and 350 mentors in one cohort.

    .venv/bin/python benchmarks/matching_round.py [--mentees 500] [--mentors 350] [--runs 3]
                                                  [--database-url postgres://postgres@127.0.0.1:5432/NAME]
                                                  [--keep FILE] [--profile N]

It builds a throw-away database (SQLite in a temporary directory by default, or in FILE with --keep,
kept for later runs; with --database-url, a PostgreSQL database of that name that it creates and
drops), fills one cohort with approved mentees (ages 14 to 25, parental consent for the under-16s,
needs, industries, interests and free times) and the programme with approved, trained and checked
mentors (one or two places), then times `matching.services.round_start` for the whole cohort: the
Celery job (run in-process, with DEBUG off as in production) reads the pool from the database,
scores and solves it, and writes the proposals, the unmatched outcomes and the emails, which tasks
(also in-process) send once that commits. Each run reports both times, until the proposals are
saved and until the emails are sent too, and its CPU time. Between runs the round is deleted so
each run sees the same pool. It prints each run and the median, with the round's quality figures.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DAYS = ["mon", "tue", "wed", "thu", "fri"]


def configure(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": database_url,
            "EMAIL_URL": "dummymail://",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "false",  # as in production: no list of every query kept
        }
    )
    sys.path.insert(0, str(ROOT))


def postgres_database(url: str, *, drop: bool) -> None:
    """Create (or drop) the benchmark's own PostgreSQL database, connecting to `postgres`."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            connection.execute(f'CREATE DATABASE "{name}"')


def build(mentee_count: int, mentor_count: int, seed: int):
    from matching.tests import people
    from mentoring.tests.factories import CohortFactory
    from recruitment.models import Application, Industry, Interest, SupportArea

    rng = random.Random(seed)
    industries = list(Industry.objects.values_list("slug", flat=True))
    interests = list(Interest.objects.exclude(slug="faith-and-community").values_list("slug", flat=True))
    supports = list(SupportArea.values)
    cohort = CohortFactory()
    for index in range(mentor_count):
        mentor = people.mentor(
            cohort.programme,
            f"Mentor{index}",
            support=rng.sample(supports, 3),
            industries=rng.sample(industries, 1),
            interests=rng.sample(interests, 3),
            capacity=rng.choice((1, 1, 2)),
            open_to_one_to_two=rng.random() < 0.3,
        )
        Application.objects.filter(user=mentor).update(
            available_days=rng.sample(DAYS, 2), available_times=[rng.choice(["after_school", "evening"])]
        )
    for index in range(mentee_count):
        age = rng.randint(14, 25)
        mentee = people.mentee(
            cohort,
            f"Mentee{index}",
            age=age,
            support=rng.sample(supports, 2),
            industries=rng.sample(industries, 2),
            interests=rng.sample(interests, 3),
            pairing=rng.choice(["one_to_one", "either"]),
            parental_consent=age < 16,
        )
        Application.objects.filter(user=mentee).update(
            available_days=rng.sample(DAYS, 3), available_times=["after_school"]
        )
    return cohort


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=500)
    parser.add_argument("--mentors", type=int, default=350)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--keep",
        default="",
        metavar="FILE",
        help="SQLite file to build the people in once and reuse on later runs (the default is a fresh one)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile the last run and print its N costliest calls, with and without what they call",
    )
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="mentorbridge-round-")
    database_file = Path(args.keep).resolve() if args.keep else Path(workdir.name) / "round.sqlite3"
    reuse = bool(args.keep) and database_file.exists()
    url = args.database_url or f"sqlite:///{database_file}"
    if url.startswith("postgres"):
        postgres_database(url, drop=False)
    configure(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.tests.factories import RoleAssignmentFactory, UserFactory
    from config.celery import freeze_start_up_objects
    from core.models import OutgoingEmail
    from matching import services
    from matching.models import MatchingRound
    from programmes.models import Cohort

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        if reuse:
            cohort = Cohort.objects.get()
            staff = User.objects.get(email="bench.staff@example.org")
            print(f"Database: {connection.vendor}, reused from {database_file}.")
        else:
            cohort = build(args.mentees, args.mentors, args.seed)
            staff = UserFactory(email="bench.staff@example.org")
            RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)
            print(
                f"Database: {connection.vendor}. Built {args.mentees} mentees and {args.mentors} mentors "
                f"in {time.perf_counter() - started:.0f} s."
            )
        # As a worker does when it starts (config.celery): what is loaded by now lives as long as
        # the process, and the garbage collector's full passes no longer scan it.
        freeze_start_up_objects()
        timings, saved_timings = [], []
        for run in range(1, args.runs + 1):
            MatchingRound.objects.all().delete()
            profiler = cProfile.Profile() if args.profile and run == args.runs else None
            started, started_at, cpu_started = time.perf_counter(), timezone.now(), time.process_time()
            if profiler:
                profiler.enable()
            matching_round = services.round_start(
                actor=staff, programme=cohort.programme, scope=MatchingRound.Scope.COHORT, cohort=cohort
            )
            matching_round.refresh_from_db()
            if profiler:
                profiler.disable()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            assert matching_round.status == MatchingRound.Status.DONE, matching_round.error
            # The round marks itself done in the transaction that saves its proposals; the emails to
            # the people it could not match are sent after that commits (here in this process too).
            saved = (matching_round.finished_at - started_at).total_seconds()
            timings.append(elapsed)
            saved_timings.append(saved)
            quality = matching_round.quality
            emails = OutgoingEmail.objects.filter(
                created_at__gte=started_at, status=OutgoingEmail.Status.SENT
            )
            print(
                f"  run {run}: {elapsed:.2f} s, proposals saved after {saved:.2f} s, {emails.count()} emails "
                f"sent, CPU {cpu:.2f} s; {matching_round.proposals.count()} proposals saved; "
                f"{quality['share_matched']:.1%} matched, mean score {quality['mean_score']:.1f}, "
                f"lowest {quality['lowest_score']:.1f}, first-priority need met for "
                f"{quality['share_first_need_met']:.1%}, greedy reaches "
                f"{quality['greedy_share_of_optimum']:.1%} of the optimum"
            )
        if args.profile:
            for order in ("cumulative", "tottime"):
                pstats.Stats(profiler).sort_stats(order).print_stats(args.profile)
        print(
            f"Median over {args.runs} runs: {statistics.median(timings):.2f} s with the emails sent, "
            f"proposals saved after {statistics.median(saved_timings):.2f} s (target: under 1 s)."
        )
    finally:
        connection.close()
        if url.startswith("postgres"):
            postgres_database(url, drop=True)
        workdir.cleanup()


if __name__ == "__main__":
    main()
