"""A matching round from the database to saved proposals: 500 mentees and 350 mentors in one cohort.

    .venv/bin/python benchmarks/matching_round.py [--mentees 500] [--mentors 350] [--runs 3]
                                                  [--database-url postgres://postgres@127.0.0.1:5432/NAME]
                                                  [--keep FILE] [--profile N]

It builds a throw-away database (SQLite in a temporary directory by default, or in FILE with --keep,
kept for later runs; with --database-url, a PostgreSQL database of that name that it creates and
drops), fills one cohort with approved mentees (ages 14 to 25, parental consent for the under-16s,
needs, industries, interests and free times) and the programme with approved, trained and checked
mentors (one or two places), written with bulk_create (`build`: the people the factories of
matching/tests/people.py make, in seconds; matching/tests/test_bulk_pool.py shows a round over it is
the round over the factories' people), then times `matching.services.round_start` for the whole cohort: the
Celery job (run in-process, with DEBUG off as in production) reads the pool from the database,
scores and solves it, and writes the proposals, the unmatched outcomes and the emails, which tasks
(also in-process) send once that commits. Each run reports both times, until the proposals are
saved and until the emails are sent too, and its CPU time. Between runs the round is deleted so
each run sees the same pool. It prints each run and the median, with the round's quality figures.
"""

import argparse
import cProfile
import datetime
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DAYS = ["mon", "tue", "wed", "thu", "fri"]
BATCH = 2000


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


@dataclass(frozen=True)
class Person:
    """One person of the benchmark's pool, before anything is written."""

    first_name: str
    support: tuple[str, ...]
    industries: tuple[str, ...]
    interests: tuple[str, ...]
    days: tuple[str, ...]
    times: tuple[str, ...]
    # Mentors
    capacity: int = 1
    open_to_one_to_two: bool = False
    # Mentees
    age: int = 0
    pairing: str = ""


def people_for(mentee_count: int, mentor_count: int, seed: int) -> tuple[list[Person], list[Person]]:
    """(mentors, mentees): mentors with three kinds of support, an industry, three interests, two days
    and one time of day, one place or two; mentees aged 14 to 25 with two needs, two industries, three
    interests and three afternoons. The same seed gives the same people."""
    from recruitment.models import Industry, Interest, SupportArea

    rng = random.Random(seed)
    industries = list(Industry.objects.values_list("slug", flat=True))
    interests = list(Interest.objects.exclude(slug="faith-and-community").values_list("slug", flat=True))
    supports = list(SupportArea.values)
    mentors = []
    for index in range(mentor_count):
        support, industry, interest = (
            rng.sample(supports, 3),
            rng.sample(industries, 1),
            rng.sample(interests, 3),
        )
        capacity, one_to_two = rng.choice((1, 1, 2)), rng.random() < 0.3
        mentors.append(
            Person(
                first_name=f"Mentor{index}",
                support=tuple(support),
                industries=tuple(industry),
                interests=tuple(interest),
                capacity=capacity,
                open_to_one_to_two=one_to_two,
                days=tuple(rng.sample(DAYS, 2)),
                times=(rng.choice(["after_school", "evening"]),),
            )
        )
    mentees = []
    for index in range(mentee_count):
        age = rng.randint(14, 25)
        support, industry, interest = (
            rng.sample(supports, 2),
            rng.sample(industries, 2),
            rng.sample(interests, 3),
        )
        pairing = rng.choice(["one_to_one", "either"])
        mentees.append(
            Person(
                first_name=f"Mentee{index}",
                age=age,
                support=tuple(support),
                industries=tuple(industry),
                interests=tuple(interest),
                pairing=pairing,
                days=tuple(rng.sample(DAYS, 3)),
                times=("after_school",),
            )
        )
    return mentors, mentees


def build(mentee_count: int, mentor_count: int, seed: int):
    """A cohort of `mentee_count` approved mentees (parental consent for the under-16s) and a programme
    with `mentor_count` approved, trained and checked mentors, written with bulk_create: the people of
    `matching/tests/people.py` (the same profiles, applications, checks, workshop attendance and
    consents), a few queries per thousand people instead of a few dozen per person. Returns the cohort.

    bulk_create sends no model signals: the young people per cohort (CohortMentees) and the
    relationships' copies of their young person's dates are refreshed here, as the receivers would
    have."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import MenteeProfile, MentorProfile, Region, Role, RoleAssignment, User
    from accounts.tests.factories import date_of_birth_for_age
    from benchmarks.home_pages import name
    from mentoring.models import CohortMentees, Relationship
    from mentoring.tests.factories import CohortFactory
    from recruitment.models import Application, ConsentRecord, Industry, Interest, ScreeningCheck
    from training.models import Workshop, WorkshopBooking

    mentors, mentees = people_for(mentee_count, mentor_count, seed)
    cohort = CohortFactory()
    programme, partner = cohort.programme, cohort.youth_partner
    region = Region.GREATER_MANCHESTER
    password = make_password(None)
    now, today = timezone.now(), timezone.localdate()

    def users(people: list[Person], role: str) -> list:
        return User.objects.bulk_create(
            [
                User(
                    email=f"{person.first_name.lower()}.{role}@example.org",
                    first_name=person.first_name,
                    last_name=name(index)["last_name"],
                    password=password,
                )
                for index, person in enumerate(people)
            ],
            batch_size=BATCH,
        )

    # Mentors first, then mentees, as the people are made one by one: the round reads them in id order.
    mentor_users, mentee_users = users(mentors, "mentor"), users(mentees, "mentee")
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=Role.MENTOR) for user in mentor_users]
        + [RoleAssignment(user=user, role=Role.MENTEE) for user in mentee_users],
        batch_size=BATCH,
    )
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                user=user,
                bio="Fifteen years in civil engineering; happy to help with applications, interviews and "
                "confidence.",
                sector="Engineering",
                job_title="Senior engineer",
                employer_name="Acme Engineering",
                region=region,
                phone="07700 900123",
                capacity=person.capacity,
                open_to_one_to_two=person.open_to_one_to_two,
            )
            for user, person in zip(mentor_users, mentors, strict=True)
        ],
        batch_size=BATCH,
    )
    MenteeProfile.objects.bulk_create(
        [
            MenteeProfile(
                user=user,
                date_of_birth=date_of_birth_for_age(person.age),
                youth_partner=partner,
                cohort=cohort,
                stage=MenteeProfile.Stage.SECONDARY,
                region=region,
                phone="07700 900456",
                address="1 Example Street, Salford",
            )
            for user, person in zip(mentee_users, mentees, strict=True)
        ],
        batch_size=BATCH,
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                user=user,
                programme=programme,
                role=Role.MENTOR,
                status=Application.Status.APPROVED,
                region=region,
                support_areas=list(person.support),
                background=MentorProfile.Background.EMPLOYED,
                sector="Engineering",
                job_title="Project engineer",
                available_days=list(person.days),
                available_times=list(person.times),
                preferred_settings=["school", "college"],
                bio="Twelve years in engineering; I can help with applications, interviews and finding work "
                "experience.",
            )
            for user, person in zip(mentor_users, mentors, strict=True)
        ]
        + [
            Application(
                user=user,
                programme=programme,
                role=Role.MENTEE,
                status=Application.Status.APPROVED,
                region=region,
                support_areas=list(person.support),
                stage=MenteeProfile.Stage.SECONDARY,
                youth_partner=partner,
                goals="Find out what working in engineering is like.",
                pairing_preference=person.pairing,
                available_days=list(person.days),
                available_times=list(person.times),
            )
            for user, person in zip(mentee_users, mentees, strict=True)
        ],
        batch_size=BATCH,
    )
    industry_ids = dict(Industry.objects.values_list("slug", "pk"))
    interest_ids = dict(Interest.objects.values_list("slug", "pk"))
    people = [*mentors, *mentees]
    Application.industries.through.objects.bulk_create(
        [
            Application.industries.through(application=application, industry_id=industry_ids[slug])
            for application, person in zip(applications, people, strict=True)
            for slug in person.industries
        ],
        batch_size=BATCH,
    )
    Application.interests.through.objects.bulk_create(
        [
            Application.interests.through(application=application, interest_id=interest_ids[slug])
            for application, person in zip(applications, people, strict=True)
            for slug in person.interests
        ],
        batch_size=BATCH,
    )
    ScreeningCheck.objects.bulk_create(
        [
            ScreeningCheck(
                application=application,
                background_check_status=ScreeningCheck.CheckStatus.CLEAR,
                background_check_level=ScreeningCheck.CheckLevel.ENHANCED_BARRED,
                barred_list_result=ScreeningCheck.BarredListResult.NOT_BARRED,
                certificate_issued_on=today - datetime.timedelta(days=100),
                update_service=True,
            )
            for application in applications[: len(mentors)]
        ],
        batch_size=BATCH,
    )
    # The core workshop, attended twenty days ago, ten mentors to a session.
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                title="Core mentor workshop",
                kind=Workshop.Kind.CORE,
                starts_at=now - datetime.timedelta(days=20),
                capacity=10,
            )
            for _ in range(0, len(mentor_users), 10)
        ],
        batch_size=BATCH,
    )
    WorkshopBooking.objects.bulk_create(
        [
            WorkshopBooking(workshop=workshops[index // 10], user=user, attended=True)
            for index, user in enumerate(mentor_users)
        ],
        batch_size=BATCH,
    )
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(
                mentee=user,
                given_by_name="A Parent",
                given_by_email="parent@example.org",
                given_by_relationship="Parent",
                given_at=now,
                text_version="test",
                text="I agree.",
            )
            for user, person in zip(mentee_users, mentees, strict=True)
            if person.age < 16
        ],
        batch_size=BATCH,
    )
    CohortMentees.recount(cohort_ids=[cohort.pk])
    Relationship.objects.filter(mentee_id__in=[user.pk for user in mentee_users]).refresh_mentee_dates()
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
