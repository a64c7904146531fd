"""Rounds whose task was lost or whose worker died are run again by the periodic resume, and a round
writes one set of proposals however many runs start."""

import datetime

import pytest
from django.utils import timezone

from matching import services
from matching.models import MatchingRound, Proposal
from matching.tasks import matching_round_run, rounds_resume
from matching.tests import people


@pytest.fixture
def queued_round(world, django_capture_on_commit_callbacks):
    cohort = world.cohort_a
    people.mentee(cohort, "Ari")
    people.mentor(cohort.programme, "Bex")
    with django_capture_on_commit_callbacks(execute=False):  # the round's task is lost
        matching_round = services.round_start(
            actor=world.coordinator_a, programme=None, scope="cohort", cohort=cohort
        )
    return matching_round


def backdate(matching_round, **fields):
    MatchingRound.objects.filter(pk=matching_round.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=600), **fields
    )


def test_a_round_whose_task_was_lost_is_queued_again_and_run_once(queued_round, settings):
    settings.WORK_REQUEUE_AFTER = 120
    assert services.rounds_due_again() == []  # just started: its own task may still come
    backdate(queued_round)
    assert rounds_resume() == 1  # eager in tests: the run happens here
    queued_round.refresh_from_db()
    assert queued_round.status == MatchingRound.Status.DONE
    assert rounds_resume() == 0
    assert Proposal.objects.filter(round=queued_round).count() == 1


def test_a_round_whose_worker_died_is_taken_back_and_the_old_run_cannot_write(queued_round, settings):
    settings.WORK_STALE_AFTER = 900
    long_ago = timezone.now() - datetime.timedelta(seconds=1000)
    backdate(queued_round, status=MatchingRound.Status.RUNNING, started_at=long_ago)
    dead_run = MatchingRound.objects.get(pk=queued_round.pk)  # what the dead worker had loaded

    assert rounds_resume() == 1
    queued_round.refresh_from_db()
    assert queued_round.status == MatchingRound.Status.DONE

    # The old run was only slow, and now tries to write: refused, nothing is doubled.
    with pytest.raises(services.RoundClaimLost):
        services._round_compute_and_write(dead_run, notify=False)
    assert Proposal.objects.filter(round=queued_round).count() == 1
    assert matching_round_run(queued_round.pk) is None


def test_a_round_running_for_less_than_the_stale_time_is_left_alone(queued_round, settings):
    settings.WORK_STALE_AFTER = 900
    backdate(queued_round, status=MatchingRound.Status.RUNNING, started_at=timezone.now())
    assert services.rounds_due_again() == []
    queued_round.refresh_from_db()
    assert queued_round.status == MatchingRound.Status.RUNNING
