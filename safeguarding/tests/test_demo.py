import random
from types import SimpleNamespace

from accounts.models import Role, User
from demo import safeguarding as demo
from mentoring.models import Relationship
from safeguarding.models import CaseEntry, Concern, Message


def _context(world):
    return SimpleNamespace(
        rng=random.Random(7),
        seed=7,
        logins={Role.SAFEGUARDING_LEAD: world.dsl_a},
        relationship_ids=[
            world.relationship_under_16.pk,
            world.relationship_over_18.pk,
            world.relationship_b.pk,
        ],
        mentor_ids=[world.mentor.pk, world.other_mentor.pk],
        mentee_ids=[world.mentee_under_16.pk, world.mentee_over_18.pk, world.mentee_b.pk],
        log=lambda line: None,
    )


def test_demo_adds_threads_a_held_message_and_concerns_for_the_dsl(world):
    demo.extend_demo(_context(world))
    assert Message.objects.filter(status=Message.Status.HELD).count() == 1
    assert Message.objects.filter(relationship=world.relationship_under_16).count() == 4
    concern = Concern.objects.get()
    assert concern.assigned_to == world.dsl_a


def test_running_the_demo_twice_adds_nothing(world):
    demo.extend_demo(_context(world))
    counts = (Message.objects.count(), Concern.objects.count(), CaseEntry.objects.count())
    demo.extend_demo(_context(world))
    assert (Message.objects.count(), Concern.objects.count(), CaseEntry.objects.count()) == counts


def test_demo_adds_a_meeting_request_and_gifts_including_one_for_approval(world):
    from safeguarding.models import GiftDeclaration, MeetingRequest

    demo.extend_demo(_context(world))
    assert MeetingRequest.objects.count() == 1
    assert set(GiftDeclaration.objects.values_list("status", flat=True)) == {"recorded", "pending"}


def test_clear_demo_lets_demo_people_be_deleted(world):
    demo.extend_demo(_context(world))
    people = User.objects.filter(pk__in=[world.mentor.pk, world.mentee_under_16.pk, world.dsl_a.pk])
    demo.clear_demo(people)
    assert not Message.objects.filter(relationship__mentor=world.mentor).exists()
    assert not Concern.objects.exists()
    Relationship.objects.filter(mentor=world.mentor).delete()
    people.delete()
    assert not User.objects.filter(pk=world.mentor.pk).exists()
