"""Kill the parts of a private production stack mid-batch and count what was lost or done twice.

    .venv/bin/python scripts/chaos.py [--short] [--kills 3] [--seed 7] [--keep]

It starts its own PostgreSQL (initdb into a temporary folder, a free port), its own Redis (a free
port), a Celery worker and beat, and gunicorn, all at 127.0.0.1 (scripts/stack.py), then:

1. Worker killed mid-batch (SIGKILL to the whole worker, `--kills` times at random points): a
   bulletin to every mentor, a batch of certificates, the session-reminders sweep (queued again after
   each kill, as beat's next run would: the killed worker's sweep waits in Redis until the visibility
   timeout), a matching round (its pool written in bulk, benchmarks/matching_round.build).
2. Redis killed and restarted mid-batch, without persistence (the queue is gone) and with it
   (appendonly, fsync always): a bulletin, then a batch of certificates with three restarts; the
   worker and beat are not supervised, so they must reconnect by themselves.
3. PostgreSQL stopped hard (`pg_ctl -m immediate`) and started again while 50 signed-in clients
   write through gunicorn (a third each: mentors logging sessions, mentors sending messages, mentees
   submitting surveys): each write is either saved and answered with success, or answered with an
   error and not saved, and nothing is half-saved (a session held without its log, a message saved
   twice, a survey submitted without its answers or its count in the summaries); /healthz is polled
   throughout.
4. Backup and restore: scripts/backup.py dumps the database and media, restores them into a fresh
   private PostgreSQL, and compares the row count and a checksum of every table.

Emails go to files (one per message) in the stack's folder, where the script counts them per
recipient: a message counts once by its Message-ID, as the recipient's mailbox keeps it, and a copy
sent again with the same Message-ID (a worker killed between the mail server taking the message and
its row being marked sent) is reported in the "resent" column. Beat runs the real schedule,
faster (WORK_RESUME_EVERY=3 s, WORK_REQUEUE_AFTER=8 s, WORK_STALE_AFTER=30 s, EMAIL_STALE_AFTER=15 s),
so recovery takes seconds instead of minutes.
The migrated template database every scenario copies is kept between runs (scripts/stack.py,
cached_template). `--short` (CI) uses a few hundred items and one kill each; without it the sizes
are those of a real programme (2,000 mentors, 500 certificates, 2,000 reminders, a 5,000-mentee
round). Exit status 1 if anything was lost, duplicated or half-saved, or a process stopped.
"""

from __future__ import annotations

import argparse
import datetime
import email
import http.client
import json
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email.header import decode_header, make_header
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import HOST, TEMPLATE_CACHE, Stack, cached_template, manage, migrated_template, restart, wait_for  # noqa: E402

SEPARATOR = "\n" + "-" * 79 + "\n"
FAST_RECOVERY = {
    "WORK_RESUME_EVERY": "3",
    "WORK_REQUEUE_AFTER": "8",
    "EMAIL_STALE_AFTER": "15",
    # Above the longest run of a round here (a few seconds for the short one), or a slow round would
    # be taken back while it runs; the long run sets 300.
    "WORK_STALE_AFTER": "30",
}
SIZES = {
    "short": {"mentors": 200, "certificates": 40, "reminders": 150, "mentees": 300, "round_mentors": 220},
    "long": {"mentors": 2000, "certificates": 500, "reminders": 2000, "mentees": 5000, "round_mentors": 3500},
}
RESULTS: list[dict] = []


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Counting -----------------------------------------------------------------------------------------


class MailCounts(Counter):
    """Messages per address, each counted once by its Message-ID (what the recipient's mailbox keeps:
    mail servers and mail programs take a second copy with the same Message-ID for a repeat), with
    the copies sent again (a worker killed between the mail server taking a message and its row being
    marked sent) kept apart in `retransmitted`."""

    def __init__(self):
        super().__init__()
        self.retransmitted: Counter = Counter()


def mail_counts(mail_dir: Path, subject_contains: str) -> MailCounts:
    """How many distinct messages each address received whose subject contains the text."""
    seen: set[tuple[str, str]] = set()
    counts = MailCounts()
    for path in sorted(mail_dir.glob("*.log")):
        for number, chunk in enumerate(path.read_text(errors="replace").split(SEPARATOR)):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk)
            subject = str(make_header(decode_header(message.get("Subject", ""))))
            if subject_contains not in subject:
                continue
            # A message without an identifier is its own message.
            identifier = message.get("Message-ID") or f"{path.name}#{number}"
            for address in message.get_all("To", []):
                address = address.strip().lower()
                if (address, identifier) in seen:
                    counts.retransmitted[address] += 1
                else:
                    seen.add((address, identifier))
                    counts[address] += 1
    return counts


def record(
    fault: str, batch: str, expected: set[str], counts: Counter, seconds: float, note: str = ""
) -> None:
    lost = sum(1 for address in expected if counts.get(address, 0) == 0)
    duplicated = sum(count - 1 for address, count in counts.items() if address in expected and count > 1)
    stray = sum(count for address, count in counts.items() if address not in expected)
    twice = sorted(address for address, count in counts.items() if count > 1)
    if twice:
        note += f"; sent twice: {twice[:5]} ({duplicates_explained(twice[:5])})"
    again = sorted(getattr(counts, "retransmitted", {}))
    if again:
        note += (
            f"; {sum(counts.retransmitted.values())} copy(ies) sent again with the same Message-ID, "
            f"kept once by the mailbox: {again[:5]} ({duplicates_explained(again[:5])})"
        )
    RESULTS.append(
        {
            "fault": fault,
            "batch": batch,
            "items": len(expected),
            "lost": lost,
            "duplicated": duplicated + stray,
            "resent": sum(getattr(counts, "retransmitted", {}).values()),
            "recovered_s": round(seconds, 1),
            "note": note,
        }
    )
    log(
        f"  {fault} / {batch}: {len(expected)} expected, lost {lost}, duplicated {duplicated + stray}, {note}"
    )


def duplicates_explained(addresses: list[str]) -> str:
    """Each message's outbox rows: one row claimed twice (a worker died between sending and marking
    it sent, or a claim looked stale while it was being sent) or two rows (recorded twice)."""
    from core.models import OutgoingEmail

    rows = [
        f"{address}: "
        + ", ".join(
            f"row {row.pk} {row.status} after {row.attempts} claim(s)"
            for row in OutgoingEmail.objects.filter(message__to__contains=[address])
        )
        for address in addresses
    ]
    return "; ".join(rows)


def outbox_drained() -> bool:
    from core.models import OutgoingEmail

    return not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()


def kill_when(
    stack_service_kill, progress, total: int, fractions: list[float], timeout: float, resume=None
) -> int:
    """Kill (the worker, Redis) each time progress() passes the next fraction of total; after each
    kill, resume() if given (the batch's periodic task run again, as beat would at its next run)."""
    kills = 0
    for fraction in fractions:
        target = max(1, int(total * fraction))
        try:
            wait_for(f"{target} of {total} done", lambda target=target: progress() >= target, timeout, 0.05)
        except TimeoutError:
            log(f"  progress stalled below {target} of {total}; not killing")
            break
        if progress() >= total:
            break
        stack_service_kill()
        kills += 1
        log(f"  killed at {progress()} of {total}")
        if resume:
            resume()
    return kills


# Data ---------------------------------------------------------------------------------------------


def make_users(prefix: str, count: int, role: str | None = None) -> list:
    from django.contrib.auth.hashers import make_password

    from accounts.models import MentorProfile, RoleAssignment, User

    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{index}@chaos.example",
                first_name=f"{prefix.title()}{index}",
                password=unusable,
            )
            for index in range(count)
        ],
        batch_size=2000,
    )
    if role == "mentor":
        MentorProfile.objects.bulk_create(
            [MentorProfile(user=user, capacity=1) for user in users], batch_size=2000
        )
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=user, role="mentor") for user in users], batch_size=2000
        )
    return users


def staff_user():
    from accounts.models import RoleAssignment, User

    user, created = User.objects.get_or_create(email="staff@chaos.example", defaults={"first_name": "Staff"})
    if created:
        RoleAssignment.objects.create(user=user, role="programme_staff")
    return user


def programme_and_cohort():
    from django.utils import timezone

    from programmes.models import Cohort, Programme, YouthPartner

    programme, _ = Programme.objects.get_or_create(slug="chaos", defaults={"name": "Chaos Mentoring"})
    partner, _ = YouthPartner.objects.get_or_create(
        name="Chaos School", defaults={"kind": "school", "region": "london"}
    )
    cohort, _ = Cohort.objects.get_or_create(
        programme=programme,
        youth_partner=partner,
        defaults={"start_date": timezone.localdate().replace(day=1)},
    )
    return programme, partner, cohort


# Batches (each returns: start it, how far it got, whether it is done, how to count it) -------------


class BulletinBatch:
    name = "bulletin"

    def __init__(self, stack: Stack, tag: str, mentors: int):
        from resources.models import Bulletin
        from resources.selectors import bulletin_recipients

        make_users(f"m{tag}x", mentors, role="mentor")
        self.stack = stack
        self.title = f"Chaos bulletin {tag}"
        self.bulletin = Bulletin.objects.create(title=self.title, news="Monthly news for every mentor.")
        self.expected = {address.lower() for address in bulletin_recipients().values_list("email", flat=True)}

    def start(self) -> None:
        from django.db import transaction

        from resources import services

        with transaction.atomic():
            services.bulletin_send(actor=staff_user(), bulletin=self.bulletin)

    def progress(self) -> int:
        from resources.models import BulletinDelivery

        return BulletinDelivery.objects.filter(bulletin=self.bulletin).count()

    def done(self) -> bool:
        self.bulletin.refresh_from_db()
        return self.bulletin.status == "sent" and outbox_drained()

    def counts(self) -> Counter:
        return mail_counts(self.stack.mail_dir, self.title)


class CertificateBatch:
    name = "certificates"

    def __init__(self, stack: Stack, tag: str, count: int):
        from django.utils import timezone

        from training.models import Certificate

        self.stack = stack
        self.title = f"Chaos training {tag}"
        users = make_users(f"c{tag}x", count)
        self.certificates = Certificate.objects.bulk_create(
            [
                Certificate(
                    user=user,
                    holder_name=user.first_name,
                    title=self.title,
                    completed_on=timezone.localdate(),
                )
                for user in users
            ]
        )
        self.expected = {user.email.lower() for user in users}

    def start(self) -> None:
        from training.tasks import certificate_render

        for certificate in self.certificates:
            certificate_render.delay(certificate.pk)

    def progress(self) -> int:
        from training.models import Certificate

        return Certificate.objects.filter(title=self.title, status="issued").count()

    def done(self) -> bool:
        return self.progress() == len(self.certificates) and outbox_drained()

    def counts(self) -> Counter:
        from training.models import Certificate

        extra = Certificate.objects.filter(title=self.title).count() - len(self.certificates)
        if extra:
            log(f"  {extra} certificates more than asked for")
        return mail_counts(self.stack.mail_dir, self.title)


class ReminderBatch:
    name = "reminders sweep"

    def __init__(self, stack: Stack, tag: str, pairs: int):
        from django.utils import timezone

        from accounts.models import MenteeProfile
        from mentoring.models import CohortMentees, MentoringSession, Relationship

        self.stack = stack
        _, partner, cohort = programme_and_cohort()
        mentors = make_users(f"r{tag}mentor", pairs, role="mentor")
        mentees = make_users(f"r{tag}mentee", pairs)
        birth = timezone.localdate().replace(year=timezone.localdate().year - 19)
        MenteeProfile.objects.bulk_create(
            [
                MenteeProfile(user=user, date_of_birth=birth, youth_partner=partner, cohort=cohort)
                for user in mentees
            ]
        )
        CohortMentees.recount(cohort_ids=[cohort.pk])
        relationships = Relationship.objects.bulk_create(
            [
                Relationship(
                    mentor=mentor,
                    mentee=mentee,
                    cohort=cohort,
                    status="active",
                    started_on=timezone.localdate(),
                )
                for mentor, mentee in zip(mentors, mentees, strict=True)
            ]
        )
        Relationship.objects.filter(pk__in=[r.pk for r in relationships]).refresh_mentee_dates()
        soon = timezone.now() + datetime.timedelta(hours=24)
        MentoringSession.objects.bulk_create(
            [
                MentoringSession(relationship=relationship, number=1, starts_at=soon, is_online=True)
                for relationship in relationships
            ]
        )
        self.expected = {user.email.lower() for user in (*mentors, *mentees)}

    def start(self) -> None:
        from mentoring.tasks import send_reminders

        send_reminders.delay()

    def resume(self) -> None:
        """The sweep's next hourly run (beat), brought forward: the killed worker's sweep stays
        unacknowledged in Redis until the visibility timeout, so nothing else would finish it sooner.
        Queued as beat queues it; the claims (SentReminder) keep each reminder to one."""
        log("  sweep queued again, as beat's next run would")
        self.start()

    def progress(self) -> int:
        from mentoring.models import SentReminder

        return SentReminder.objects.filter(kind="session_soon").count()

    def done(self) -> bool:
        return self.progress() >= len(self.expected) and outbox_drained()

    def counts(self) -> Counter:
        return mail_counts(self.stack.mail_dir, "Your mentoring session is in two days")


class RoundBatch:
    name = "matching round"

    def __init__(self, stack: Stack, tag: str, mentees: int, mentors: int):
        import benchmarks.matching_round as pool

        self.stack = stack
        started = time.monotonic()
        self.cohort = pool.build(mentees, mentors, seed=7)
        self.mentees = mentees
        log(f"  pool of {mentees} mentees and {mentors} mentors built in {time.monotonic() - started:.0f}s")

    def start(self) -> None:
        from django.db import transaction

        from matching import services

        with transaction.atomic():
            self.round = services.round_start(
                actor=staff_user(), programme=self.cohort.programme, scope="cohort", cohort=self.cohort
            )

    def progress(self) -> int:
        """Rounds write in one transaction; "progress" is the round's own percentage."""
        from matching.models import MatchingRound

        percent = (
            MatchingRound.objects.filter(pk=self.round.pk).values_list("progress", flat=True).first() or 0
        )
        return int(self.mentees * percent / 100)

    def done(self) -> bool:
        self.round.refresh_from_db()
        return self.round.status in ("done", "failed") and outbox_drained()

    def count_round(self) -> tuple[int, int, str]:
        """(lost, duplicated) for a round: mentees with no outcome, mentees with two; and a note."""
        from matching.models import MatchingRound, Proposal, UnmatchedOutcome

        self.round.refresh_from_db()
        rounds = MatchingRound.objects.filter(cohort=self.cohort).count()
        outcome: Counter = Counter()
        for mentee_id in Proposal.objects.filter(round__cohort=self.cohort).values_list(
            "mentee_id", flat=True
        ):
            outcome[mentee_id] += 1
        for mentee_id in UnmatchedOutcome.objects.filter(
            round__cohort=self.cohort, side="mentee"
        ).values_list("person_id", flat=True):
            outcome[mentee_id] += 1
        lost = self.mentees - len(outcome) if self.round.status == "done" else self.mentees
        duplicated = sum(count - 1 for count in outcome.values() if count > 1)
        note = f"round {self.round.status}, {rounds} round(s), {self.round.proposals.count()} proposals"
        return lost, duplicated, note


def run_batch(
    stack: Stack, fault: str, batch, kill, fractions: list[float], timeout: float, resume=None
) -> None:
    started = time.monotonic()
    batch.start()
    total = getattr(batch, "mentees", None) or len(batch.expected)
    kills = kill_when(kill, batch.progress, total, fractions, timeout, resume)
    killed_at = time.monotonic()
    try:
        wait_for(f"{batch.name} finished", batch.done, timeout, 0.5)
    except TimeoutError as error:
        log(f"  {error}")
    took = time.monotonic() - killed_at
    note = f"{kills} kill(s), {time.monotonic() - started:.0f}s in all"
    if isinstance(batch, RoundBatch):
        lost, duplicated, round_note = batch.count_round()
        notices = mail_counts(stack.mail_dir, "No match for you in this round")
        duplicated += sum(count - 1 for count in notices.values() if count > 1)
        RESULTS.append(
            {
                "fault": fault,
                "batch": batch.name,
                "items": batch.mentees,
                "lost": lost,
                "duplicated": duplicated,
                "recovered_s": round(took, 1),
                "note": f"{note}; {round_note}",
            }
        )
        log(f"  {fault} / round: lost {lost}, duplicated {duplicated}, {note}; {round_note}")
        return
    record(fault, batch.name, batch.expected, batch.counts(), took, note)


# Scenarios ----------------------------------------------------------------------------------------


def fractions_for(kills: int, rng: random.Random) -> list[float]:
    return sorted(rng.uniform(0.15, 0.85) for _ in range(kills))


def worker_kills(stack: Stack, sizes: dict, kills: int, rng: random.Random) -> None:
    worker = stack.worker()
    stack.beat()
    fault = "worker SIGKILL"

    def kill():
        worker.kill()
        time.sleep(0.5)
        restart(worker)

    log("Worker killed mid-bulletin")
    run_batch(stack, fault, BulletinBatch(stack, "w", sizes["mentors"]), kill, fractions_for(kills, rng), 300)
    # The round's pool (the slowest set-up here) is built while the next two batches run; not during
    # the bulletin, which goes to every mentor there is.
    pool: dict = {}

    def build_pool():
        from django.db import connection

        try:
            pool["round"] = RoundBatch(stack, "w", sizes["mentees"], sizes["round_mentors"])
        except BaseException as error:  # noqa: BLE001 - raised again in the main thread
            pool["error"] = error
        finally:
            connection.close()

    builder = threading.Thread(target=build_pool, daemon=True)
    builder.start()
    log("Worker killed mid-certificates")
    run_batch(
        stack,
        fault,
        CertificateBatch(stack, "w", sizes["certificates"]),
        kill,
        fractions_for(kills, rng),
        600,
    )
    log("Worker killed mid-reminders sweep")
    reminders = ReminderBatch(stack, "w", sizes["reminders"] // 2)
    run_batch(stack, fault, reminders, kill, fractions_for(kills, rng), 300, resume=reminders.resume)
    waited = time.monotonic()
    builder.join(timeout=3600)
    if "error" in pool:
        raise pool["error"]
    if "round" not in pool:
        raise RuntimeError(
            f"The round's pool of {sizes['mentees']:,} mentees was not built within an hour "
            f"(waited {time.monotonic() - waited:.0f} s after the reminders): "
            "the machine is too busy for this size"
        )
    log("Worker killed mid-round")
    matching_round = pool["round"]
    # The round writes in one transaction at the end: kill while it computes (before 80%).
    run_batch(stack, fault, matching_round, kill, [0.3 + 0.1 * n for n in range(kills)], 900)


def redis_restarts(stack: Stack, sizes: dict, kills: int, rng: random.Random) -> None:
    """Redis killed and started again mid-batch, with nothing to restart the worker or beat if they
    stopped: both must reconnect by themselves (config/broker.py), and the outbox finish the work."""
    fault = f"Redis restart ({'appendonly' if stack.redis.persistent else 'no persistence'})"
    stack.worker()
    stack.beat()

    def kill():
        stack.redis.kill()
        time.sleep(1)
        stack.redis.start()

    log(f"{fault} mid-bulletin")
    bulletin = BulletinBatch(stack, "r", sizes["mentors"])
    run_batch(stack, fault, bulletin, kill, fractions_for(kills, rng), 300)
    # Certificates keep the worker busy with late-acknowledged tasks: each restart is a lost connection
    # while it holds unacknowledged messages, the case that used to end the worker.
    restarts = max(3, kills)
    log(f"{fault} {restarts} times mid-certificates")
    certificates = CertificateBatch(stack, "r", sizes["certificates"])
    # Spread out, so the worker has reconnected and taken tasks again before the next restart.
    spread = [0.15 + 0.7 * (n + rng.random()) / restarts for n in range(restarts)]
    run_batch(stack, fault, certificates, kill, spread, 600)
    for service in stack.services:
        exited = not service.running
        RESULTS[-1]["exits"] = RESULTS[-1].get("exits", 0) + exited
        if exited:
            log(f"  the {service.name} stopped by itself (exit status {service.process.returncode})")
    states = [f"{s.name} {'still running' if s.running else 'stopped'}" for s in stack.services]
    RESULTS[-1]["note"] += "; not supervised: " + ", ".join(states)


# PostgreSQL restarted while clients write ---------------------------------------------------------


def session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


WRITE_KINDS = ("session log", "message", "survey answers")


def writers_setup(clients: int, writes_each: int):
    """50 signed-in clients, a third each writing session logs (a mentor with past sessions waiting
    for a log), messages (a mentor writing to their mentee) and survey answers (a mentee submitting
    their pre-programme survey: one mentee per write, since a survey is submitted once). Each write
    is (cookie, kind, the object written to); one client's writes go one after the other."""
    from django.utils import timezone

    from accounts.models import MenteeProfile
    from evaluation.content import MENTEE_PRE
    from evaluation.services import survey_issue
    from mentoring.models import CohortMentees, MentoringSession, Relationship

    _, partner, cohort = programme_and_cohort()
    kinds = [WRITE_KINDS[index % len(WRITE_KINDS)] for index in range(clients)]
    pairs = sum(1 for kind in kinds if kind != "survey answers")
    answering = sum(writes_each for kind in kinds if kind == "survey answers")
    mentors = make_users("writer", pairs, role="mentor")
    mentees = make_users("writee", pairs + answering)
    birth = timezone.localdate().replace(year=timezone.localdate().year - 19)
    MenteeProfile.objects.bulk_create(
        [
            MenteeProfile(user=user, date_of_birth=birth, youth_partner=partner, cohort=cohort)
            for user in mentees
        ]
    )
    CohortMentees.recount(cohort_ids=[cohort.pk])
    writers = []
    pair_people = iter(zip(mentors, mentees[:pairs], strict=True))
    answerers = iter(mentees[pairs:])
    for kind in kinds:
        if kind == "survey answers":
            writes = []
            for _ in range(writes_each):
                mentee = next(answerers)
                response = survey_issue(instrument_slug=MENTEE_PRE, user=mentee)
                writes.append((session_cookie(mentee), kind, response.pk))
            writers.append(writes)
            continue
        mentor, mentee = next(pair_people)
        relationship = Relationship.objects.create(
            mentor=mentor,
            mentee=mentee,
            cohort=cohort,
            status="active",
            started_on=timezone.localdate() - datetime.timedelta(days=400),
        )
        cookie = session_cookie(mentor)
        if kind == "message":
            writers.append([(cookie, kind, relationship.pk)] * writes_each)
            continue
        sessions = MentoringSession.objects.bulk_create(
            [
                MentoringSession(
                    relationship=relationship,
                    number=number + 1,
                    starts_at=timezone.now() - datetime.timedelta(days=380 - number),
                    is_online=True,
                )
                for number in range(writes_each)
            ]
        )
        writers.append([(cookie, kind, session.pk) for session in sessions])
    return writers


def survey_form_answers(response_id: int) -> dict[str, str]:
    """A complete set of answers to the response's questions, as the form posts them."""
    from evaluation.models import Question, SurveyResponse

    response = SurveyResponse.objects.select_related("instance__version").get(pk=response_id)
    values = {
        Question.Kind.AGREE: "4",
        Question.Kind.YES_NO: "1",
        Question.Kind.NPS: "8",
        Question.Kind.SINGLE: "0",
        Question.Kind.MULTIPLE: "0",
        Question.Kind.TEXT: "Getting+on+well",
    }
    return {
        code: values[kind] for code, kind in response.instance.version.questions.values_list("code", "kind")
    }


def post_write(port: int, cookie: str, kind: str, target: int, token: str, survey_answers: dict) -> str:
    """One write through the site, as a person's browser sends it: "saved" (redirect), "error" (an
    error page), "refused" (no answer at all: the connection failed), "timed out" or "http <status>"."""
    csrf = secrets.token_hex(16)
    if kind == "session log":
        path = f"/sessions/{target}/log/"
        fields = {
            "held": "yes",
            "duration_minutes": "60",
            "format": "online",
            "summary": token,
            "next_time_notes": "Bring+the+CV",
            "worrying": "no",
        }
    elif kind == "message":
        path, fields = f"/safeguarding/messages/{target}/", {"body": token}
    else:
        path, fields = f"/surveys/{target}/", {**survey_answers[target], "submit": "1"}
    body = "&".join(f"{key}={value}" for key, value in {"csrfmiddlewaretoken": csrf, **fields}.items())
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={cookie}; csrftoken={csrf}",
            },
        )
        status = connection.getresponse().status
    except TimeoutError:
        return "timed out"  # no answer within 30 s: the site was too slow, the write may still land
    except OSError:
        return "refused"
    finally:
        connection.close()
    if status == 302:
        return "saved"
    return "error" if status >= 500 or status == 503 else f"http {status}"


def writes_in_database(outcomes: list[tuple[str, int, str, str]]) -> tuple[dict, int, list[str]]:
    """For each write, whether it is in the database (by its token, or a survey by being submitted);
    how many objects are half-saved; and what each half-saved one is."""
    from django.db.models import Sum

    from evaluation.models import Answer, ResponseTally, SurveyResponse
    from mentoring.models import MentoringSession, SessionLog
    from safeguarding.models import Message

    logs = dict(SessionLog.objects.values_list("session_id", "summary"))
    message_counts = Counter(Message.objects.filter(body__startswith="chaos-").values_list("body", flat=True))
    survey_ids = [target for kind, target, _token, _result in outcomes if kind == "survey answers"]
    submitted = set(
        SurveyResponse.objects.filter(pk__in=survey_ids, status=SurveyResponse.Status.SUBMITTED).values_list(
            "pk", flat=True
        )
    )
    answered = set(Answer.objects.filter(response_id__in=survey_ids).values_list("response_id", flat=True))
    found = {}
    for kind, target, token, _result in outcomes:
        if kind == "session log":
            found[token] = logs.get(target) == token
        elif kind == "message":
            found[token] = message_counts.get(token, 0) >= 1
        else:
            found[token] = target in submitted
    problems = []
    held = set(MentoringSession.objects.filter(status="held").values_list("pk", flat=True))
    problems += [
        f"session {pk}: held without its log, or a log on a session not held" for pk in set(logs) ^ held
    ]
    problems += [
        f"message {body!r} saved {count} times" for body, count in message_counts.items() if count > 1
    ]
    problems += [
        f"survey {pk}: answers without being submitted, or submitted without answers"
        for pk in submitted ^ answered
    ]
    tallied = ResponseTally.objects.aggregate(total=Sum("submitted"))["total"] or 0
    if tallied != SurveyResponse.objects.filter(status=SurveyResponse.Status.SUBMITTED).count():
        problems.append(f"{tallied} submissions counted in the summaries for {len(submitted)} submitted")
    return found, len(problems), problems


def postgres_restart(stack: Stack, short: bool) -> None:
    clients = 50
    writes_each = 8 if short else 40
    # Each client's writes are spread over about 15 s (3 s before PostgreSQL stops, 5 s while it is
    # down, and after), so some land before the fault, some during it and some after the recovery.
    pace = 15 / writes_each
    if True:
        writers = writers_setup(clients, writes_each)
        survey_answers = {
            target: survey_form_answers(target)
            for writes in writers
            for _cookie, kind, target in writes
            if kind == "survey answers"
        }
        stack.gunicorn(workers=3, threads=4)
        outcomes: list[tuple[str, int, str, str]] = []
        answered_at: list[tuple[float, str]] = []
        lock = threading.Lock()
        health: list[tuple[float, int]] = []
        stop = threading.Event()
        phase = {"down_at": None, "up_at": None}

        def writer(writes):
            for cookie, kind, target in writes:
                if stop.is_set():
                    return
                token = f"chaos-{target}-{secrets.token_hex(4)}"
                result = post_write(stack.web_port, cookie, kind, target, token, survey_answers)
                with lock:
                    outcomes.append((kind, target, token, result))
                    answered_at.append((time.monotonic(), result))
                time.sleep(pace)

        def prober():
            while not stop.is_set():
                connection = http.client.HTTPConnection(HOST, stack.web_port, timeout=10)
                asked = time.monotonic()  # each answer is counted at the moment it was asked for
                try:
                    connection.request("GET", "/healthz")
                    health.append((asked, connection.getresponse().status))
                except OSError:
                    health.append((asked, 0))
                finally:
                    connection.close()
                time.sleep(0.25)

        threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in writers]
        probe = threading.Thread(target=prober, daemon=True)
        started = time.monotonic()
        probe.start()
        for thread in threads:
            thread.start()
        time.sleep(3)
        log("PostgreSQL stopped hard while 50 clients write")
        stack.postgres.stop("immediate")
        phase["down_at"] = time.monotonic()  # once it has stopped: a request before then may succeed
        time.sleep(5)
        stack.postgres.start()
        phase["up_at"] = time.monotonic()
        log("PostgreSQL started again")
        for thread in threads:
            thread.join(timeout=240)
        # The writers may all finish while PostgreSQL is still starting: keep asking /healthz until it
        # says 200 again (at most a minute), so the recovery time is measured, not missed.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
            status == 200 and moment > phase["up_at"] for moment, status in list(health)
        ):
            time.sleep(0.25)
        stop.set()
        probe.join(timeout=10)

        from django.db import connections

        connections.close_all()
        found, half_saved, problems = writes_in_database(outcomes)
        tally: Counter = Counter()
        for kind, _target, token, result in outcomes:
            in_database = found[token]
            if result == "saved":
                tally[
                    "saved and in the database" if in_database else "LOST: said saved, not in the database"
                ] += 1
            elif result == "timed out":
                tally[
                    "no answer in 30 s, in the database" if in_database else "no answer in 30 s, not saved"
                ] += 1
            elif result in ("error", "refused"):
                tally["error shown, in the database" if in_database else "error shown, nothing saved"] += 1
            else:
                where = "in the database" if in_database else "nothing saved"
                tally[f"form shown again ({result}, {kind}), {where}"] += 1
        by_kind = Counter(kind for kind, _target, _token, _result in outcomes)
        saved_by_kind = Counter(kind for kind, _target, token, _result in outcomes if found[token])
        for problem in problems[:10]:
            log(f"  half-saved: {problem}")
        down = [status for moment, status in health if phase["down_at"] + 0.5 < moment < phase["up_at"]]
        after = [(moment, status) for moment, status in health if moment > phase["up_at"]]
        back = next((moment - phase["up_at"] for moment, status in after if status == 200), None)
        lost = tally["LOST: said saved, not in the database"]
        errors_after = [moment - phase["up_at"] for moment, result in answered_at if result != "saved"]
        last_error = max(errors_after) if errors_after else None
        RESULTS.append(
            {
                "fault": "PostgreSQL restart (-m immediate, 5 s down)",
                "batch": f"{clients} clients writing",
                "items": len(outcomes),
                "lost": lost,
                "duplicated": half_saved,
                "recovered_s": round(back, 1) if back is not None else None,
                "note": "; ".join(f"{name}: {count}" for name, count in sorted(tally.items()))
                + "; writes (in the database): "
                + ", ".join(f"{kind} {by_kind[kind]} ({saved_by_kind[kind]})" for kind in WRITE_KINDS)
                + f"; /healthz while down: {dict(Counter(down))}; half-saved: {half_saved}"
                + (f"; last write not saved: {last_error:+.1f} s from the start" if last_error else ""),
            }
        )
        log(f"  writes: {dict(tally)}; half-saved {half_saved}; healthz while down {dict(Counter(down))}")
        if last_error is not None:
            when = f"{last_error:.1f} s after" if last_error >= 0 else f"{-last_error:.1f} s before"
            log(f"  the last write not saved was answered {when} PostgreSQL was started again")
        log(
            f"  /healthz 200 again {back}s after PostgreSQL started; "
            f"run took {time.monotonic() - started:.0f}s"
        )


# Backup and restore --------------------------------------------------------------------------------


def backup_and_restore(stack: Stack) -> None:
    import backup

    if True:
        make_users("backup", 300, role="mentor")
        (stack.media_dir / "certificates").mkdir(exist_ok=True)
        (stack.media_dir / "certificates" / "sample.pdf").write_bytes(b"%PDF-1.4 chaos sample")
        archive = stack.workdir / "backup"
        backup.backup(database_url=stack.env["DATABASE_URL"], media_root=stack.media_dir, destination=archive)
        fresh = __import__("stack").Postgres(stack.workdir, name="restored").init()
        fresh.start()
        try:
            restored_url = fresh.create_database("restored")
            restored_media = stack.workdir / "restored-media"
            backup.restore(source=archive, database_url=restored_url, media_root=restored_media)
            comparison = backup.compare(stack.env["DATABASE_URL"], restored_url)
            differing = [row for row in comparison if not row["same"]]
            media_same = (restored_media / "certificates" / "sample.pdf").read_bytes() == (
                stack.media_dir / "certificates" / "sample.pdf"
            ).read_bytes()
            rows = sum(row["rows"] for row in comparison)
            RESULTS.append(
                {
                    "fault": "backup then restore into a fresh PostgreSQL",
                    "batch": f"{len(comparison)} tables, {rows} rows, media",
                    "items": len(comparison),
                    "lost": len(differing) + (0 if media_same else 1),
                    "duplicated": 0,
                    "recovered_s": None,
                    "note": "every table: same row count and checksum"
                    if not differing
                    else f"differing: {[row['table'] for row in differing]}",
                }
            )
            log(
                f"  restore: {len(comparison)} tables compared, {len(differing)} differ, "
                f"media same: {media_same}"
            )
        finally:
            fresh.stop("immediate")


# Main -----------------------------------------------------------------------------------------------


def prepare(stack: Stack) -> None:
    """Set Django up in this process against the stack's database, migrating it unless it is a copy
    of the migrated template."""
    import django
    from django.conf import settings

    if not stack.template:
        manage(stack.env, "migrate", "--noinput", "-v", "0")
    django.setup()
    # Users made here never sign in with a password; a cheap hasher keeps set-up fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_scenario(name: str, options) -> None:
    """One scenario in this process, on its own stack (each has its own PostgreSQL and Redis)."""
    sizes = SIZES["short" if options.short else "long"]
    kills = options.kills or (1 if options.short else 3)
    rng = random.Random(options.seed)
    settings = dict(FAST_RECOVERY)
    if not options.short:
        settings["WORK_STALE_AFTER"] = "300"  # a 5,000-mentee round takes minutes on a shared machine
    with Stack(
        persistent_redis=name == "redis-persistent",
        settings=settings,
        keep=options.keep,
        template=options.template,
    ) as stack:
        log(f"Scenario {name}: stack in {stack.workdir}")
        prepare(stack)
        if name == "worker":
            worker_kills(stack, sizes, kills, rng)
        elif name.startswith("redis"):
            redis_restarts(stack, sizes, kills, rng)
        elif name == "postgres":
            postgres_restart(stack, options.short)
        elif name == "backup":
            backup_and_restore(stack)


SCENARIOS = ["worker", "redis", "redis-persistent", "postgres", "backup"]


def print_table(load_average: str) -> None:
    print()
    print(f"Chaos results (load average at the end: {load_average})")
    counts = f"{'items':>6} {'lost':>5} {'dup':>5} {'resent':>7} {'recovered':>10}"
    header = f"{'fault':<46} {'batch':<34} {counts}"
    print(header)
    print("-" * len(header))
    for row in RESULTS:
        recovered = "" if row["recovered_s"] is None else f"{row['recovered_s']}s"
        print(
            f"{row['fault']:<46} {row['batch']:<34} {row['items']:>6} {row['lost']:>5} "
            f"{row['duplicated']:>5} {row.get('resent', 0):>7} "
            f"{recovered:>10}"
        )
        if row["note"]:
            print(f"    {row['note']}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="a few hundred items and one kill each (CI)")
    parser.add_argument("--kills", type=int, default=None, help="worker kills per batch (default 3, short 1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=SCENARIOS, action="append", help="run only these scenarios")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (logs, mail)")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument(
        "--cache",
        type=Path,
        default=TEMPLATE_CACHE,
        help="where the migrated template database is kept between runs, one per set of migrations",
    )
    parser.add_argument(
        "--fresh-template", action="store_true", help="migrate a new template and leave the cache alone"
    )
    parser.add_argument("--scenario", choices=SCENARIOS, help=argparse.SUPPRESS)  # one, in this process
    parser.add_argument("--template", type=Path, help=argparse.SUPPRESS)  # a migrated cluster to copy
    options = parser.parse_args()
    if options.scenario:
        try:
            run_scenario(options.scenario, options)
        finally:
            if options.json:
                options.json.write_text(json.dumps(RESULTS))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chaos-results-") as results_dir:
        if options.fresh_template:
            log("Migrating a template database (each scenario starts from a copy)")
            template = migrated_template(Path(results_dir))
        else:
            log(f"Template database (each scenario starts from a copy), kept in {options.cache}")
            template, cached = cached_template(options.cache, Path(results_dir))
            log("  found, migrated by an earlier run" if cached else "  migrated now and kept")
        log(f"  ready in {time.monotonic() - started:.0f}s")
        for name in options.only or SCENARIOS:
            out = Path(results_dir) / f"{name}.json"
            command = [
                sys.executable,
                __file__,
                "--scenario",
                name,
                "--seed",
                str(options.seed),
                "--json",
                str(out),
            ]
            command += ["--short"] if options.short else []
            command += ["--kills", str(options.kills)] if options.kills else []
            command += ["--keep"] if options.keep else []
            command += ["--template", str(template)]
            scenario_started = time.monotonic()
            status = subprocess.run(command, check=False, timeout=3600).returncode
            log(f"Scenario {name} took {time.monotonic() - scenario_started:.0f}s")
            if out.exists():
                RESULTS.extend(json.loads(out.read_text()))
            if status or not out.exists():
                RESULTS.append(
                    {
                        "fault": name,
                        "batch": "scenario did not finish",
                        "items": 0,
                        "lost": 1,
                        "duplicated": 0,
                        "recovered_s": None,
                        "note": f"exit status {status}",
                    }
                )
    load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print_table(load_average)
    print(f"\nTotal {time.monotonic() - started:.0f}s")
    if options.json:
        options.json.write_text(json.dumps({"load_average": load_average, "results": RESULTS}, indent=2))
    bad = [row for row in RESULTS if row["lost"] or row["duplicated"] or row.get("exits")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
