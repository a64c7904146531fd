"""Two workers at once on PostgreSQL, each with its own connection: an alert still goes once.

These tests commit (each thread is a worker with its own connection), so they live apart from the
outbox's other tests, which share one transaction per module."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from core.models import OutgoingEmail
from safeguarding import services
from safeguarding.models import OutboxMessage

from .factories import raise_concern

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs one connection per thread: PostgreSQL only"
    ),
]


def in_parallel(*workers):
    """Run each callable in its own thread (so its own connection), all released at once."""
    start = threading.Barrier(len(workers))
    results: list = [None] * len(workers)
    errors: list[BaseException] = []

    def run(index, worker):
        try:
            start.wait(timeout=10)
            results[index] = worker()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, worker)) for index, worker in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@pytest.fixture
def alert(world, settings, monkeypatch):
    """A concern's alert waiting in the outbox, whose handling takes a moment (as sending does)."""
    settings.SAFEGUARDING_OUTBOX_STALE_AFTER = 600
    raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    OutboxMessage.objects.filter(topic="concern.escalate").delete()
    # The concern's own dispatch ran when it committed: put the alert back as if that task was lost.
    OutboxMessage.objects.update(
        status=OutboxMessage.Status.PENDING, claimed_at=None, attempts=0, done_at=None
    )
    OutgoingEmail.objects.all().delete()
    handle = services.HANDLERS["concern.notify"]

    def slow_handle(payload):
        time.sleep(0.3)
        handle(payload)

    monkeypatch.setitem(services.HANDLERS, "concern.notify", slow_handle)
    return OutboxMessage.objects.get(topic="concern.notify")


def test_two_dispatches_at_once_claim_the_alert_once(world, alert):
    handled = in_parallel(services.outbox_dispatch, services.outbox_dispatch)
    assert sorted(handled) == [0, 1]
    assert OutgoingEmail.objects.filter(message__to=[world.dsl_a.email]).count() == 1
    alert.refresh_from_db()
    assert alert.status == OutboxMessage.Status.DONE and alert.attempts == 1


def test_a_worker_that_outlived_its_claim_commits_nothing_when_another_took_the_row_over(
    world, alert, settings
):
    settings.SAFEGUARDING_OUTBOX_STALE_AFTER = 0  # every claim is stale at once: the slow worker's too

    def slow_worker():
        return services.outbox_row_handle(row_id=alert.pk)

    def next_sweep():
        time.sleep(0.1)  # after the slow worker's claim, while it is still handling the row
        return services.outbox_dispatch(now=timezone.now() + datetime.timedelta(seconds=1))

    assert in_parallel(slow_worker, next_sweep) == [False, 1]
    assert OutgoingEmail.objects.filter(message__to=[world.dsl_a.email]).count() == 1
    alert.refresh_from_db()
    assert alert.status == OutboxMessage.Status.DONE and alert.attempts == 2
