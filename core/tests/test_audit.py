import pytest
from django.urls import reverse

from core.audit import audit_record
from core.models import AuditEvent

from .factories import AuditEventFactory


def test_audit_rows_cannot_be_changed_or_deleted(db):
    event = AuditEventFactory()
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Changed a profile"


def test_staff_search_the_audit_log(world, client):
    AuditEventFactory(action="role.assign", summary="Charlie – Coordinator (Birchwood College)")
    AuditEventFactory(action="person.update", summary="Yasmin's record")
    client.force_login(world.staff)
    page = client.get(reverse("accounts:audit_log"), {"action": "role."}).content.decode()
    assert "Birchwood College" in page and "Yasmin" not in page
    page = client.get(reverse("accounts:audit_log"), {"q": "yasmin"}).content.decode()
    assert "Yasmin" in page and "Birchwood" not in page


def test_the_audit_log_names_people_acted_on_and_offers_actions_in_words(world, client):
    from django.core.cache import cache

    cache.clear()
    audit_record(actor=world.staff, action="account.role_assign", target=world.coordinator_a, summary="")
    client.force_login(world.staff)
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert world.coordinator_a.get_full_name() in page
    assert f"User {world.coordinator_a.pk}<" not in page
    assert '<option value="account.role_assign">Role assigned</option>' in page
    assert ">account.role_assign<" not in page
