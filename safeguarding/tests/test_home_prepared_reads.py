"""The held-messages panel of the coordinator's and safeguarding lead's homes reads its messages with a
query compiled once per process (core.prepared): it gives what the policy-scoped queryset gives for
each person."""

import pytest

from safeguarding import selectors, services
from safeguarding.models import Message

pytestmark = pytest.mark.django_db

PEOPLE = (
    "staff",
    "coordinator_a",
    "coordinator_b",
    "dsl_a",
    "mentor",
    "other_mentor",
    "mentee_under_16",
    "mentee_b",
    "funder",
)
COLUMNS = (
    "relationship_id",
    "sender_id",
    "hold_reason",
    "sent_at",
    "sender__first_name",
    "relationship__mentor_id",
    "relationship__mentee_id",
    "relationship__mentor__first_name",
    "relationship__mentee__first_name",
)


def _shown(rows):
    def value(row, column):
        for part in column.split("__"):
            row = getattr(row, part)
        return row

    return [(row.pk, *(value(row, column) for column in COLUMNS)) for row in rows]


def test_first_held_messages_are_the_policy_scoped_queryset_rows(world):
    # Held at both partners (more than a page's ten at one), from either side, delivered and declined.
    for number in range(11):
        services.message_send(
            relationship=world.relationship_under_16, sender=world.mentor, body=f"Call 07700 90000{number}"
        )
    services.message_send(
        relationship=world.relationship_over_18, sender=world.mentee_over_18, body="Mail me at a@example.org"
    )
    services.message_send(
        relationship=world.relationship_over_18, sender=world.mentor, body="See you Tuesday"
    )
    services.message_send(
        relationship=world.relationship_b, sender=world.other_mentor, body="Try www.example.com"
    )
    declined = services.message_send(
        relationship=world.relationship_b, sender=world.mentee_b, body="Call 07700 900123"
    )
    Message.objects.filter(pk=declined.pk).update(status=Message.Status.DECLINED)
    for name in PEOPLE:
        person = getattr(world, name)
        expected = list(selectors.held_messages_for(user=person)[:10])
        assert _shown(selectors.first_held_messages(user=person)) == _shown(expected), name
    assert len(selectors.first_held_messages(user=world.coordinator_a)) == 10
    assert len(selectors.first_held_messages(user=world.coordinator_b)) == 1
    assert selectors.first_held_messages(user=world.mentor) == []
