"""The embedded SQLite default survives concurrent requests: write-ahead logging, a busy timeout and
transactions that take the write lock when they start (settings.SQLITE_OPTIONS).

Each thread does what a request that changes something does: open a transaction, read, think, write,
commit. Without the settings, two such requests at once make one fail with "database is locked"."""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper

THREADS = 8
REQUESTS_PER_THREAD = 6


def _connection(path, options):
    return DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="concurrency",
    )


def _run_concurrent_requests(path, options):
    setup = _connection(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, seen INTEGER)")
    setup.close()
    errors: list[str] = []
    # Every thread starts each of its requests at the same moment as the others, so the requests
    # overlap on any machine, however fast or slow (a fast one could otherwise finish one thread's
    # request before the next thread began its own).
    together = threading.Barrier(THREADS)

    def requests():
        connection = _connection(path, options)
        try:
            for _ in range(REQUESTS_PER_THREAD):
                together.wait(timeout=60)
                try:
                    connection.set_autocommit(False)
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT COUNT(*) FROM visit")
                        seen = cursor.fetchone()[0]
                        time.sleep(0.005)  # the rest of the request's work
                        cursor.execute("INSERT INTO visit (seen) VALUES (%s)", [seen])
                    connection.commit()
                except OperationalError as error:
                    errors.append(str(error))
                    connection.rollback()
                finally:
                    connection.set_autocommit(True)
        finally:
            connection.close()

    threads = [threading.Thread(target=requests) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = _connection(path, options)
    with check.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visit")
        rows = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    check.close()
    return rows, errors, journal


@pytest.mark.slow_ok(reason="eight threads each making six requests against a real SQLite file")
def test_concurrent_writes_all_succeed_with_the_default_sqlite_settings(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # a file of its own, not the test database
        rows, errors, journal = _run_concurrent_requests(tmp_path / "db.sqlite3", settings.SQLITE_OPTIONS)
    assert errors == []
    assert rows == THREADS * REQUESTS_PER_THREAD
    assert journal == "wal"


@pytest.mark.slow_ok(reason="eight threads each making six requests against a real SQLite file")
def test_without_those_settings_concurrent_writes_fail(tmp_path, django_db_blocker):
    """The control: proves the test above exercises the failure the settings prevent."""
    with django_db_blocker.unblock():
        rows, errors, journal = _run_concurrent_requests(tmp_path / "db.sqlite3", {"timeout": 0.01})
    assert errors and all("locked" in error for error in errors)
    assert rows < THREADS * REQUESTS_PER_THREAD
    assert journal == "delete"


def test_the_sqlite_default_is_configured_for_concurrency():
    options = settings.SQLITE_OPTIONS
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
