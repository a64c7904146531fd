import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from demo import builder as demo

SIZES = {"small": 300, "medium": 5_000, "large": 100_000}

# Loggers that say a line per task: thousands of lines while the demo is built, which
# would bury the sign-in table. Warnings and errors still show.
CHATTY_LOGGERS = ("celery.app.trace", "celery.worker.strategy")


@contextmanager
def chatty_loggers_quiet():
    loggers = [logging.getLogger(name) for name in CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Build a fictional demo programme: two programmes, fourteen youth partners in Greater Manchester "
        "and the West Midlands, their cohorts and staff, mentors and mentees following the programme's "
        "population mix, relationships in every status, and one sign-in per role (printed at the end). "
        f"Re-runnable: every person with an address at @{demo.DEMO_EMAIL_DOMAIN} is removed and rebuilt "
        "from the seed; programmes, partners and cohorts are updated in place, so a second run leaves "
        "the same row counts. The same seed gives the same people."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="Random seed (default %(default)s)."
        )
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="small",
            help="Preset number of mentees: small 300, medium 5,000, large 100,000 (default %(default)s).",
        )
        parser.add_argument("--mentees", type=int, help="Number of mentees, demo sign-ins included.")
        parser.add_argument("--mentors", type=int, help="Number of mentors (default 0.7 times the mentees).")
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help="Password of every demo person (default %(default)s).",
        )

    def handle(self, *args, seed, size, mentees, mentors, password, **options):
        mentees = SIZES[size] if mentees is None else mentees
        if mentees < 3 or (mentors is not None and mentors < 1):
            raise CommandError("The demo needs at least 3 mentees and 1 mentor.")
        started = time.monotonic()
        with chatty_loggers_quiet():
            context = demo.demo_build(
                seed=seed, mentees=mentees, mentors=mentors, password=password, log=self.stdout.write
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(context.mentor_ids):,} mentors, {len(context.mentee_ids):,} mentees, "
                f"{len(context.relationship_ids):,} relationships in {time.monotonic() - started:.1f} s."
            )
        )
        rows = [("Role", "Email", "Password")]
        rows += [(Role(role).label, user.email, password) for role, user in context.logins.items()]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        self.stdout.write(f"\nSign in at {demo.site_url()}/accounts/login/\n")
        for number, row in enumerate(rows):
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(
            f"\nEvery partner also has coordinator.<partner>@{demo.DEMO_EMAIL_DOMAIN} and "
            f"dsl.<partner>@{demo.DEMO_EMAIL_DOMAIN} sign-ins with the same password."
        )
