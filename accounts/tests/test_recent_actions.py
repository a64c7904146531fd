"""The programme team's recent sensitive actions are read with a query compiled once per process
(core.prepared): the same events, with the same columns, as the policy-scoped queryset gives, and none
for anyone the policy shows none."""

import pytest
from django.test import RequestFactory

from accounts.models import User
from accounts.panels import recent_actions_panel
from core import policy
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _shown(rows):
    return [
        (event.pk, event.occurred_at, event.action, event.summary, event.actor_id, str(event.actor or ""))
        for event in rows
    ]


def test_recent_actions_are_the_policy_scoped_events(world):
    for number in range(10):
        AuditEvent.objects.create(
            actor=world.coordinator_a if number % 3 else None, action="account.login", summary=f"#{number}"
        )
    for person in (world.staff, world.coordinator_a, world.staff, world.mentor):
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=person.pk)
        shown = recent_actions_panel(request).context["events"]
        expected = list(policy.scope(person, policy.VIEW, AuditEvent).select_related("actor")[:8])
        assert _shown(shown) == _shown(expected)
        assert bool(shown) == person.is_programme_staff
