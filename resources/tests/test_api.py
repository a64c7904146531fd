"""The API: mentors read, staff write through the same services; everything scoped by the policy."""

import pytest
from django.core import mail

from ..models import Bulletin, Resource
from .factories import BulletinFactory, ResourceFactory, sent_bulletin

pytestmark = pytest.mark.django_db


def test_mentors_read_published_resources_only(world, client):
    ResourceFactory(title="Published")
    ResourceFactory(title="Draft", status="draft")
    client.force_login(world.mentor)
    data = client.get("/api/resources/library/").json()
    assert [item["title"] for item in data["results"]] == ["Published"]


def test_staff_create_a_draft_with_sanitised_html(world, client):
    client.force_login(world.staff)
    response = client.post(
        "/api/resources/library/",
        {
            "title": "API resource",
            "summary": "s",
            "body": "Hi <script>alert(1)</script>",
            "kind": "guide",
            "topic": "wellbeing",
            "ingredient": "safe_space",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert "<script" not in response.json()["body_html"]
    assert Resource.objects.get().created_by == world.staff


def test_mentors_cannot_write(world, client):
    resource = ResourceFactory()
    client.force_login(world.mentor)
    response = client.patch(
        f"/api/resources/library/{resource.slug}/", {"title": "Mine now"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_bulletins_api_archive_and_send(world, client, django_capture_on_commit_callbacks):
    sent_bulletin(title="Sent one")
    draft = BulletinFactory(title="Draft one")
    client.force_login(world.mentor)
    assert [b["title"] for b in client.get("/api/resources/bulletins/").json()["results"]] == ["Sent one"]
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/resources/bulletins/{draft.pk}/send/")
    assert response.status_code == 202
    draft.refresh_from_db()
    assert draft.status == Bulletin.Status.SENT and len(mail.outbox) == 2
    assert client.post(f"/api/resources/bulletins/{draft.pk}/send/").status_code == 403
