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


def test_the_safeguarding_leads_panels_are_the_policy_scoped_querysets(world):
    from django.test import RequestFactory
    from django.utils import timezone

    from accounts.models import MenteeProfile, Role, User, birthdate_cutoff
    from accounts.tests.factories import MenteeProfileFactory, RoleAssignmentFactory
    from safeguarding.panels import concerns_panel, young_mentees_panel
    from safeguarding.tests.factories import raise_concern

    # A lead of a whole programme (its every partner), and a deputy at partner B.
    programme_lead = User.objects.create(email="lead@example.org", first_name="Pat", last_name="Lead")
    RoleAssignmentFactory(user=programme_lead, role=Role.SAFEGUARDING_LEAD, programme=world.programme)
    RoleAssignmentFactory(
        user=world.dsl_a, role=Role.SAFEGUARDING_LEAD, youth_partner=world.partner_b, is_deputy=True
    )
    concerns = [
        raise_concern(reporter=world.mentor, young_person=world.mentee_under_16),
        raise_concern(reporter=world.other_mentor, young_person=world.mentee_b),
        raise_concern(
            reporter=world.mentor, young_person=world.mentee_over_18, kind="adult", adult_concerned="A tutor"
        ),
        raise_concern(reporter=world.mentor, young_person=world.mentee_under_16, immediate_danger=True),
    ]
    concerns[0].acknowledged_at = timezone.now()
    concerns[0].save()
    for age in (12, 14, 16, 17, 19):
        MenteeProfileFactory(age=age, youth_partner=world.partner_a)
    MenteeProfileFactory(age=13, youth_partner=world.partner_b)
    seen = {}
    people = {name: getattr(world, name) for name in ("dsl_a", "staff", "coordinator_a", "mentor", "funder")}
    for name, person in {**people, "programme_lead": programme_lead}.items():
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=person.pk)
        panel = concerns_panel(request).context
        expected = list(selectors.concerns_awaiting_acknowledgement(user=request.user)[:10])
        assert [(c.pk, c.reference, c.immediate_danger, c.acknowledge_by) for c in panel["waiting"]] == [
            (c.pk, c.reference, c.immediate_danger, c.acknowledge_by) for c in expected
        ]
        assert panel["open_count"] == selectors.concerns_open(user=request.user).count()
        seen[name] = (len(panel["waiting"]), panel["open_count"])
        request.user = User.objects.get(pk=person.pk)
        young = young_mentees_panel(request).context
        partner_ids = request.user.safeguarding_partner_ids
        profiles = MenteeProfile.objects.filter(
            youth_partner_id__in=partner_ids, date_of_birth__gt=birthdate_cutoff(18)
        ).order_by("date_of_birth")
        assert [
            (p.pk, p.user_id, p.user.get_full_name(), p.age_band, str(p.youth_partner))
            for p in young["young_mentees"]
        ] == [
            (p.pk, p.user_id, p.user.get_full_name(), p.age_band, str(p.youth_partner)) for p in profiles[:20]
        ]
        assert young["young_mentee_total"] == profiles.count()
        assignments = person.role_assignments.filter(role=Role.SAFEGUARDING_LEAD)
        assert [
            (a.pk, a.is_deputy, str(a.youth_partner or ""), str(a.programme or ""))
            for a in young["assignments"]
        ] == [(a.pk, a.is_deputy, str(a.youth_partner or ""), str(a.programme or "")) for a in assignments]
    assert seen["dsl_a"][1] >= 3 and seen["staff"] == seen["coordinator_a"] == (0, 0)
