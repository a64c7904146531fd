"""Reading a child's contact details writes an audit row, through the API (list and detail) and the
edit form; a list without contact details writes none."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEvent

ACTIONS = ("mentoring.mentee_contact_viewed", "accounts.mentee_contact_viewed")


def _reads(reader, target=None):
    rows = AuditEvent.objects.filter(actor=reader, action__in=ACTIONS)
    return rows.filter(target_id=str(target.pk)) if target is not None else rows


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize("persona", ["coordinator_a", "staff"])
def test_api_detail_with_a_phone_number_is_audited(world, persona):
    reader = world.persona(persona)
    response = _api(reader).get(f"/api/mentees/{world.mentee_under_16.pk}/")
    assert response.status_code == 200 and "phone" in response.json()
    assert _reads(reader, world.mentee_under_16).count() == 1


def test_api_list_audits_every_child_whose_details_it_shows(world, django_assert_max_num_queries):
    api = _api(world.coordinator_a)
    with django_assert_max_num_queries(12):
        rows = api.get("/api/mentees/").json()["results"]
    shown = {row["id"] for row in rows if "phone" in row}
    assert shown
    assert {
        int(target) for target in _reads(world.coordinator_a).values_list("target_id", flat=True)
    } == shown


def test_a_mentor_who_is_not_shown_contact_details_leaves_no_read_row(world):
    rows = _api(world.mentor).get("/api/mentees/").json()["results"]
    assert rows and all("phone" not in row for row in rows)
    assert not _reads(world.mentor).exists()


def test_the_edit_form_showing_the_phone_is_audited(world, client):
    client.force_login(world.coordinator_a)
    response = client.get(reverse("accounts:mentee_edit", args=[world.mentee_under_16.pk]))
    assert response.status_code == 200 and "07700 900001" in response.text
    assert _reads(world.coordinator_a, world.mentee_under_16).count() == 1
