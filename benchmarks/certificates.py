"""Certificate rendering benchmark: median seconds per certificate, and the throughput of a batch.

    .venv/bin/python benchmarks/certificates.py [--count 1000] [--sample 20] [--concurrency 2] [--in-process]

It works on a throw-away SQLite database and media folder in a temporary directory, so it never
touches your data. The median comes from rendering `--sample` certificates one after another in this
process (WeasyPrint PDF, storage write, email to a dummy backend). The batch of `--count`
certificates then goes through a real Celery worker started here, on its own queue in Redis database 15
at 127.0.0.1:6379 (override with BENCH_BROKER_URL); if Redis cannot be reached, or with --in-process,
the batch runs through the task function in this process instead. The output says which.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def broker_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1
        ) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def configure(workdir: Path, broker: str) -> dict[str, str]:
    """Environment shared by this process and the worker: a private database, media and queue."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{workdir / 'benchmark.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_URL": "dummymail://",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    return env


def create_certificates(*, offset: int, count: int) -> list[int]:
    """Pending certificates for `count` new people, ready to render."""
    from django.utils import timezone

    from accounts.models import User
    from training.models import Certificate, new_verification_code

    users = User.objects.bulk_create(
        User(
            email=f"bench{offset + index}@example.org",
            first_name="Bench",
            last_name=f"Mentor {offset + index}",
        )
        for index in range(count)
    )
    today = timezone.localdate()
    certificates = Certificate.objects.bulk_create(
        Certificate(
            user=user,
            holder_name=user.get_full_name(),
            title="Mentor training",
            completed_on=today,
            code=new_verification_code(),
        )
        for user in users
    )
    return [certificate.pk for certificate in certificates]


def issued_count(ids) -> int:
    from training.models import Certificate

    return Certificate.objects.filter(pk__in=ids, status=Certificate.Status.ISSUED).count()


def run_worker_batch(ids, env, concurrency: int, queue: str) -> float:
    from training.tasks import certificate_render

    log = open(Path(env["MEDIA_ROOT"]).parent / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(concurrency),
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        time.sleep(3)  # let the worker connect before the clock starts
        started = time.perf_counter()
        for certificate_id in ids:
            certificate_render.apply_async(args=[certificate_id], queue=queue)
        while issued_count(ids) < len(ids):
            if worker.poll() is not None:
                raise RuntimeError(f"The worker stopped early; see {log.name}")
            time.sleep(0.5)
        return time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        log.close()


def run_in_process_batch(ids) -> float:
    from training.services import certificate_issue

    started = time.perf_counter()
    for certificate_id in ids:
        certificate_issue(certificate_id=certificate_id)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates in the batch (default 1000)")
    parser.add_argument("--sample", type=int, default=20, help="certificates timed one by one for the median")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--in-process", action="store_true", help="measure the task function without a worker"
    )
    args = parser.parse_args()

    broker = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/15")
    with tempfile.TemporaryDirectory(prefix="certificate-benchmark-") as directory:
        env = configure(Path(directory), broker)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from training.services import certificate_issue

        sample_ids = create_certificates(offset=0, count=args.sample)
        timings = []
        for certificate_id in sample_ids:
            started = time.perf_counter()
            certificate_issue(certificate_id=certificate_id)
            timings.append(time.perf_counter() - started)
        print(
            f"Median seconds per certificate: {statistics.median(timings):.3f} "
            f"(over {len(timings)} rendered one by one in this process)"
        )

        batch_ids = create_certificates(offset=args.sample, count=args.count)
        use_worker = not args.in_process and broker_reachable(broker)
        if use_worker:
            queue = f"certificate-benchmark-{os.getpid()}"
            elapsed = run_worker_batch(batch_ids, env, args.concurrency, queue)
            mode = f"a real Celery worker ({args.concurrency} processes) on {broker}, queue {queue}"
        else:
            elapsed = run_in_process_batch(batch_ids)
            reason = "--in-process was given" if args.in_process else f"no broker answered at {broker}"
            mode = f"the task function in this process ({reason})"
        assert issued_count(batch_ids) == len(batch_ids)
        print(f"Batch of {len(batch_ids)} certificates through {mode}:")
        print(
            f"  {elapsed:.1f} s in all, throughput {len(batch_ids) / elapsed:.1f} certificates per second "
            f"({len(batch_ids) / elapsed * 60:.0f} per minute)"
        )


if __name__ == "__main__":
    main()
