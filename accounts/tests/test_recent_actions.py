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


RECENT_ACTIONS_LOOP = (
    "{% for event in events %}\n"
    '      <li>{{ event.occurred_at }}: {{ event.action_label }} by {{ event.actor|default:"the system" }}'
    "{% if event.summary %} ({{ event.summary }}){% endif %}</li>\n"
    "    {% empty %}<li>Nothing recorded yet.</li>{% endfor %}"
)


def test_the_recent_action_items_are_the_loops_markup(world, settings):
    from django.template import Context, Template

    settings.TIME_ZONE = "Europe/London"
    User.objects.filter(pk=world.coordinator_a.pk).update(first_name="<Cy>", last_name="O'Neil")
    AuditEvent.objects.create(
        actor=world.coordinator_a, action="account.login", summary="from <here> & there"
    )
    AuditEvent.objects.create(actor=None, action="relationship.viewed", summary="")
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=world.staff.pk)
    events = recent_actions_panel(request).context["events"]
    assert events
    for listed in ([], events):
        loop = Template(RECENT_ACTIONS_LOOP).render(Context({"events": listed}))
        tag = Template("{% load accounts_tags %}{% recent_action_items events %}").render(
            Context({"events": listed})
        )
        assert tag == loop
    assert "&lt;Cy&gt; O&#x27;Neil" in loop and "the system" in loop
