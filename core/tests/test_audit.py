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


def test_the_action_filter_offers_each_action_once_from_the_index(db):
    from core.audit import _distinct_actions

    for action in ("role.assign", "person.update", "role.assign", "account.sign_in", "person.update"):
        AuditEventFactory(action=action)
    assert _distinct_actions(AuditEvent._meta.db_table) == sorted(
        set(AuditEvent.objects.values_list("action", flat=True))
    )


def test_a_long_log_is_counted_up_to_its_limit_and_every_page_stays_reachable(db, rf):
    from core.pagination import paginate_capped

    for number in range(7):
        AuditEventFactory(summary=f"Event {number}")
    events = AuditEvent.objects.order_by("pk")
    first = paginate_capped(rf.get("/"), events, per_page=2, limit=4)
    assert first.paginator.more and first.paginator.count == 5 and first.has_next()
    # Asking for a page past the limit counts as far as it needs: the last page ends the list.
    last = paginate_capped(rf.get("/", {"page": 4}), events, per_page=2, limit=4)
    assert [event.summary for event in last] == ["Event 6"]
    assert not last.has_next() and not last.paginator.more and last.paginator.count == 7
    whole = paginate_capped(rf.get("/"), events, per_page=2, limit=10)
    assert not whole.paginator.more and whole.paginator.count == 7


def test_the_audit_log_says_more_than_its_limit_without_counting_further(world, client, monkeypatch):
    from core import pagination

    # The limit is never below the rows the page asked for needs (one page of 50 here).
    monkeypatch.setattr(pagination.paginate_capped, "__kwdefaults__", {"limit": 3})
    AuditEvent.objects.bulk_create(
        AuditEvent(action="test.viewed", summary=f"Event {number}") for number in range(60)
    )
    client.force_login(world.staff)
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert "More than 50 events" in page
    assert "Page 1 of at least 2" in page
