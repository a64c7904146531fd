"""Recruitment timings on a throwaway SQLite database: checking and importing a 1,000-row file of
mentees, and serving the staff application list with 1,000 applications.

Run with `python benchmarks/recruitment.py` (or `make benchmarks`). Set DATABASE_URL to measure on
PostgreSQL instead (the database must be empty; tables are created and left behind).
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_directory = tempfile.mkdtemp(prefix="mentorbridge-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_directory}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import logging  # noqa: E402
import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
logging.disable(logging.WARNING)

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

ROWS = 1000


def main():
    call_command("migrate", verbosity=0)
    from accounts.models import Role, RoleAssignment, User
    from programmes.models import Cohort, Programme, YouthPartner
    from recruitment import imports, services
    from recruitment.models import Application

    programme = Programme.objects.create(name="Benchmark Programme", slug="benchmark-programme")
    partner = YouthPartner.objects.create(name="Benchmark School", kind="school", region="london")
    cohort = Cohort.objects.create(
        programme=programme, youth_partner=partner, start_date=timezone.localdate()
    )
    staff = User.objects.create_user("bench.staff@example.org", "x", first_name="Bench")
    RoleAssignment.objects.create(user=staff, role=Role.PROGRAMME_STAFF)

    born = (timezone.localdate() - datetime.timedelta(days=15 * 365)).strftime("%d/%m/%Y")
    lines = ["first_name,last_name,email,date_of_birth"]
    lines += [f"Pupil{n},Surname{n},pupil{n}@example.org,{born}" for n in range(ROWS)]
    content = ("\n".join(lines) + "\n").encode()

    started = time.perf_counter()
    imports.parse_mentee_file(filename="bench.csv", content=content, today=timezone.localdate())
    parse_seconds = time.perf_counter() - started

    started = time.perf_counter()
    mentee_import = services.mentee_import_preview(
        actor=staff, youth_partner=partner, cohort=cohort, filename="bench.csv", content=content
    )
    preview_seconds = time.perf_counter() - started

    # Time the web request's share: invitations are only queued here; workers send them afterwards.
    from recruitment import tasks

    queued = []
    tasks.send_invitation.delay = queued.append  # queued once the import commits
    started = time.perf_counter()
    services.mentee_import_commit(actor=staff, mentee_import=mentee_import)
    commit_seconds = time.perf_counter() - started

    # What a worker then does per invitation: issue the secret, render and send the email.
    sample = queued[:100]
    started = time.perf_counter()
    for invitation_id in sample:
        services.link_email_deliver(kind="invitation", link_id=invitation_id)
    send_seconds = (time.perf_counter() - started) / len(sample)

    Application.objects.filter(programme=programme).update(status=Application.Status.SUBMITTED)
    client = Client()
    client.force_login(staff)
    client.get("/recruitment/applications/")
    requests = 50
    started = time.perf_counter()
    for _ in range(requests):
        client.get("/recruitment/applications/")
    list_seconds = (time.perf_counter() - started) / requests
    with CaptureQueriesContext(connection) as queries:
        client.get("/recruitment/applications/")

    print(f"Recruitment benchmarks ({connection.vendor}, {ROWS} mentees)")
    print(f"  parse and check a {len(content) // 1024} KB CSV: {parse_seconds * 1000:.0f} ms")
    print(f"  preview (parse + duplicate check against the database): {preview_seconds * 1000:.0f} ms")
    print(f"  commit (people, profiles, applications, queued invitations): {commit_seconds:.1f} s")
    print(f"  worker: send one invitation email: {send_seconds * 1000:.0f} ms")
    print(f"  staff application list, 25 of {ROWS}: {list_seconds * 1000:.0f} ms, {len(queries)} queries")


if __name__ == "__main__":
    main()
