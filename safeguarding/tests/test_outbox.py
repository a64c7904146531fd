"""The safeguarding outbox sends each alert once: a row is claimed by a conditional UPDATE stamped when
the claim is made, a claim left by a worker that died is taken again once stale, and a worker that
outlived its claim commits nothing."""

import datetime

import pytest
from django.utils import timezone

from core.models import OutgoingEmail
from safeguarding import services, tasks
from safeguarding.models import OutboxMessage

from .factories import raise_concern

STALE = datetime.timedelta(minutes=10)


@pytest.fixture
def alert(world, settings):
    """A concern's alert to its DSL, waiting in the outbox (its own on-commit dispatch never ran)."""
    settings.SAFEGUARDING_OUTBOX_STALE_AFTER = int(STALE.total_seconds())
    raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    return OutboxMessage.objects.get(topic="concern.notify")


def alert_emails(world):
    return OutgoingEmail.objects.filter(message__to=[world.dsl_a.email]).count()


def claim_as_another_worker(row, *, at):
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxMessage.Status.CLAIMED, claimed_at=at, attempts=1
    )


def test_a_dispatch_running_while_another_handles_the_alert_leaves_it_alone(world, alert, monkeypatch):
    handle = services.HANDLERS["concern.notify"]
    meanwhile = []

    def handle_while_a_second_dispatch_runs(payload):
        meanwhile.append(services.outbox_dispatch())
        handle(payload)

    monkeypatch.setitem(services.HANDLERS, "concern.notify", handle_while_a_second_dispatch_runs)
    assert services.outbox_dispatch() == 1
    assert meanwhile == [0]
    assert alert_emails(world) == 1
    alert.refresh_from_db()
    assert alert.status == OutboxMessage.Status.DONE and alert.attempts == 1


def test_an_alert_claimed_by_a_worker_that_died_is_sent_by_the_periodic_sweep_once_stale(world, alert):
    claim_as_another_worker(alert, at=timezone.now() - STALE - datetime.timedelta(seconds=1))
    assert tasks.outbox_dispatch() == 1
    assert tasks.outbox_dispatch() == 0
    assert alert_emails(world) == 1
    alert.refresh_from_db()
    assert alert.status == OutboxMessage.Status.DONE and alert.attempts == 2


def test_an_alert_claimed_by_a_live_worker_is_not_sent_again(world, alert):
    claim_as_another_worker(alert, at=timezone.now() - STALE + datetime.timedelta(seconds=30))
    assert tasks.outbox_dispatch() == 0
    assert alert_emails(world) == 0
    alert.refresh_from_db()
    assert alert.status == OutboxMessage.Status.CLAIMED and alert.attempts == 1


def test_a_worker_whose_claim_was_taken_over_commits_none_of_its_alert(world, alert, monkeypatch):
    handle = services.HANDLERS["concern.notify"]

    def handle_then_lose_the_claim(payload):
        handle(payload)
        # Another worker found this claim stale and took the row (its UPDATE stamps a newer time).
        OutboxMessage.objects.filter(pk=alert.pk).update(claimed_at=timezone.now() + STALE)

    monkeypatch.setitem(services.HANDLERS, "concern.notify", handle_then_lose_the_claim)
    assert services.outbox_row_handle(row_id=alert.pk) is False
    assert alert_emails(world) == 0  # the email recorded by the handler was rolled back with it


def test_a_long_dispatch_stamps_each_claim_when_made_so_the_next_dispatch_leaves_it_alone(
    world, alert, monkeypatch
):
    raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    OutboxMessage.objects.filter(topic="concern.escalate").delete()
    started = timezone.now() - STALE - datetime.timedelta(minutes=1)  # a dispatch begun 11 minutes ago
    OutboxMessage.objects.update(available_at=started)
    handle = services.HANDLERS["concern.notify"]
    meanwhile = []

    def handle_while_the_next_dispatch_runs(payload):
        if not meanwhile:  # while the first alert is handled, the next dispatch starts
            meanwhile.append(None)
            meanwhile[0] = services.outbox_dispatch()
        handle(payload)

    monkeypatch.setitem(services.HANDLERS, "concern.notify", handle_while_the_next_dispatch_runs)
    # The next dispatch took the second alert and left the first, claimed just now, alone.
    assert services.outbox_dispatch(now=started) == 1
    assert meanwhile == [1]
    assert OutgoingEmail.objects.count() == 2
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxMessage.Status.DONE, 1)}
