"""A round reads its pool and writes its answer in a number of queries that does not grow with the pool;
the "not matched" emails are recorded with the round and sent afterwards, many over one connection."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import OutgoingEmail
from core.tasks import send_outgoing_emails
from matching import services
from matching.models import MatchingRound, UnmatchedOutcome
from matching.tasks import matching_round_run
from matching.tests import people

# The same for any number of people (measured: 44 on SQLite): 2 to claim and read the round; 21 to
# read the pool (mentees, settings, their applications and the two lists on them, consent,
# induction courses; mentors' applications and the three lists on them, profiles, checks, two for
# employers, two for the training required and one for workshops attended, open relationships,
# open proposals, rejected pairs); 8 progress updates; 1 for the kept pairs; 11 to write (savepoint
# and release, the programme and round locks, superseding, proposals, outcomes, the round done, the
# outcomes read, the emails recorded and the outcomes marked told); 1 to read the round back. Two
# more when mandatory courses exist (who completed them). Only the database's limit on parameters
# splits a bulk insert (on SQLite about a hundred proposals to a statement).
ROUND_QUERY_CEILING = 46


def add_people(cohort, count, *, prefix):
    """`count` mentees with lists of industries and interests, fewer mentors (so some are told they
    were not matched), one mentor not yet approved and one under-16 mentee with parental consent."""
    for index in range(count):
        people.mentee(
            cohort,
            f"{prefix}Mentee{index}",
            support=["careers_guidance", "cv_and_interviews"],
            industries=["law", "healthcare-and-medicine"],
            interests=["music", "cooking"],
        )
    for index in range(count // 2):
        people.mentor(
            cohort.programme,
            f"{prefix}Mentor{index}",
            support=["cv_and_interviews"],
            industries=["law"],
            interests=["music"],
            conflict_partners=[cohort.youth_partner] if index == 1 else (),
        )
    people.mentor(cohort.programme, f"{prefix}Waiting", status="screening")
    people.mentee(cohort, f"{prefix}Young", age=15, parental_consent=True)


def round_queries(actor, cohort, django_capture_on_commit_callbacks):
    """Start a round, then run its task and count that task's queries; the emails' tasks, queued for
    when the round commits, are returned unsent."""
    with django_capture_on_commit_callbacks(execute=True):
        matching_round = services.round_start(
            actor=actor, programme=None, scope=MatchingRound.Scope.COHORT, cohort=cohort
        )
    with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
        assert matching_round_run(matching_round.pk) == MatchingRound.Status.DONE
    return len(queries), matching_round, callbacks


def test_a_rounds_queries_do_not_grow_with_the_pool(world, django_capture_on_commit_callbacks, monkeypatch):
    # Run each round's task by hand (below) rather than when round_start commits.
    monkeypatch.setattr(matching_round_run, "delay", lambda round_id: None)
    add_people(world.cohort_a, 4, prefix="A")
    small, small_round, _ = round_queries(
        world.coordinator_a, world.cohort_a, django_capture_on_commit_callbacks
    )
    add_people(world.cohort_b, 12, prefix="B")
    large, large_round, _ = round_queries(
        world.coordinator_b, world.cohort_b, django_capture_on_commit_callbacks
    )

    assert small_round.proposals.exists() and small_round.unmatched.exists()
    assert large_round.proposals.count() >= 5 and large_round.unmatched.count() >= 5
    assert small <= ROUND_QUERY_CEILING and large <= ROUND_QUERY_CEILING
    assert large == small, (small, large)


def test_the_unmatched_are_told_by_one_task_for_many_emails(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(matching_round_run, "delay", lambda round_id: None)
    add_people(world.cohort_b, 6, prefix="B")
    mail.outbox.clear()

    _, matching_round, callbacks = round_queries(
        world.coordinator_b, world.cohort_b, django_capture_on_commit_callbacks
    )

    told = UnmatchedOutcome.objects.filter(round=matching_round)
    assert told.count() > 2 and not told.filter(notified_at__isnull=True).exists()
    recorded = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING)
    assert recorded.count() == told.count() and mail.outbox == []
    queued = []
    monkeypatch.setattr(send_outgoing_emails, "delay", lambda ids: queued.append(ids))
    for callback in callbacks:
        callback()
    assert len(queued) == 1 and sorted(queued[0]) == sorted(recorded.values_list("pk", flat=True))
    assert mail.outbox == []

    assert send_outgoing_emails(queued[0]) == told.count()
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        told.values_list("person__email", flat=True)
    )
    assert "bwaiting.mentor@example.org" in {message.to[0] for message in mail.outbox}
    # Delivered again (a broker redelivery), the task sends nothing more.
    assert send_outgoing_emails(queued[0]) == 0
