"""One authentication policy for every door: the sign-in form (session), API keys and the admin.

Roles that see children's data need two-factor authentication at each door; API keys expire and
can be revoked by their owner (page and API) and by staff (admin)."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_issue
from core.errors import ApplicationError
from core.models import AuditEvent

PASSWORD = "correct horse battery staple"
MFA_ROLES = ["staff", "coordinator_a", "dsl_a"]
OTHER_ROLES = ["mentor", "mentee_over_18", "mentee_under_16", "funder"]


def _with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def _sign_in(client, user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def _key_for(user, name="Script"):
    """A key issued while the person had MFA (or needed none), for testing what happens after."""
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest="",
        prefix="",
        expires_at=timezone.now() + timedelta(days=1),
    )
    from accounts.models import api_token_digest

    key = f"test-key-{user.pk}-{token.pk}"
    token.digest = api_token_digest(key)
    token.prefix = key[:8]
    token.save()
    return token, key


def _api_get(key, url="/api/me/"):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(url)


# Door: API key


@pytest.mark.parametrize("persona", MFA_ROLES)
def test_key_of_a_role_that_needs_mfa_is_refused_until_mfa_is_set_up(world, persona):
    user = world.persona(persona)
    _token, key = _key_for(user)
    response = _api_get(key, "/api/mentees/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    _with_mfa(user)
    assert _api_get(key, "/api/mentees/").status_code == 200


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_key_of_a_role_without_the_requirement_works(world, persona):
    _token, key = _key_for(world.persona(persona))
    assert _api_get(key).status_code == 200


@pytest.mark.parametrize("persona", MFA_ROLES)
def test_keys_are_issued_to_roles_that_need_mfa_only_once_they_have_it(world, persona):
    user = world.persona(persona)
    with pytest.raises(ApplicationError, match="two-factor"):
        api_token_issue(user=user, name="Spreadsheet")
    assert not ApiToken.objects.filter(user=user).exists()
    _with_mfa(user)
    token, key = api_token_issue(user=user, name="Spreadsheet")
    assert _api_get(key).status_code == 200
    # Only a digest is stored.
    assert key not in (token.digest, token.prefix)
    assert AuditEvent.objects.filter(action="account.api_token_created", target_id=str(token.pk)).exists()


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_keys_are_issued_to_other_roles_without_mfa(world, persona):
    _token, key = api_token_issue(user=world.persona(persona), name="Spreadsheet")
    assert _api_get(key).status_code == 200


def test_a_person_given_the_admin_needs_mfa_for_their_key(world):
    world.mentor.is_staff = True
    world.mentor.save()
    _token, key = _key_for(world.mentor)
    assert _api_get(key).status_code == 403


def test_keys_expire_after_the_configured_lifetime(world, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    token, key = api_token_issue(user=world.mentor, name="Spreadsheet")
    assert (token.expires_at - token.created_at) == timedelta(days=30)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=31), expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = _api_get(key)
    assert response.status_code == 403
    assert "expired" in response.json()["detail"]


def test_an_unknown_key_is_refused(world):
    assert _api_get("not-a-key-at-all").status_code == 403


# Revoking: owner (page and API), staff (admin)


def test_owner_revokes_a_key_on_the_account_page(world, client):
    token, key = api_token_issue(user=world.mentor, name="Spreadsheet")
    client.force_login(world.mentor)
    page = client.get(reverse("accounts:api_tokens"))
    assert page.status_code == 200
    assert "Spreadsheet" in page.content.decode() and key not in page.content.decode()
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert _api_get(key).status_code == 403
    token.refresh_from_db()
    assert token.revoked_by == world.mentor
    assert AuditEvent.objects.filter(action="account.api_token_revoked", target_id=str(token.pk)).exists()


def test_key_is_shown_once_when_created_on_the_page(world, client):
    client.force_login(world.mentor)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Spreadsheet"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.mentor)
    shown = response.context["new_key"]
    assert shown and shown in response.content.decode()
    assert _api_get(shown).status_code == 200
    assert shown not in client.get(reverse("accounts:api_tokens")).content.decode()
    assert token.state_label == "Active"


def test_page_refuses_a_key_to_a_coordinator_without_mfa(world, client):
    client.force_login(world.coordinator_a)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Spreadsheet"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "two-factor" in response.content.decode()


def test_nobody_revokes_someone_elses_key_from_their_account(world, client):
    token, key = api_token_issue(user=world.mentor, name="Spreadsheet")
    client.force_login(world.other_mentor)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(world.other_mentor)
    assert api.delete(f"/api/me/api-keys/{token.pk}/").status_code == 404
    assert _api_get(key).status_code == 200


def test_owner_creates_lists_and_revokes_keys_through_the_api(world):
    api = APIClient()
    api.force_authenticate(world.mentor)
    created = api.post("/api/me/api-keys/", {"name": "Script"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    listed = api.get("/api/me/api-keys/").json()
    assert [row["name"] for row in listed] == ["Script"] and "key" not in listed[0]
    assert _api_get(key).status_code == 200
    assert api.delete(f"/api/me/api-keys/{created.json()['id']}/").status_code == 204
    assert _api_get(key).status_code == 403
    assert api.get("/api/me/api-keys/").json()[0]["state"] == "Revoked"


def test_api_refuses_a_key_without_a_name(world):
    api = APIClient()
    api.force_authenticate(world.mentor)
    response = api.post("/api/me/api-keys/", {"name": ""}, format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_staff_revoke_anyones_key_in_the_admin(world, client):
    token, key = api_token_issue(user=world.mentor, name="Spreadsheet")
    world.staff.is_staff = world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert _api_get(key).status_code == 403
    token.refresh_from_db()
    assert token.revoked_by == world.staff


# Door: the sign-in form (session) and the admin


@pytest.mark.parametrize("persona", MFA_ROLES)
def test_session_of_a_role_that_needs_mfa_reaches_neither_api_nor_pages(world, client, persona):
    _sign_in(client, world.persona(persona))
    assert client.get("/api/mentees/").status_code == 403
    assert client.get(reverse("accounts:api_tokens"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_session_of_other_roles_reaches_the_api(world, client, persona):
    _sign_in(client, world.persona(persona))
    assert client.get("/api/me/").status_code == 200


@pytest.mark.parametrize("persona", MFA_ROLES + OTHER_ROLES)
def test_admin_door_needs_mfa_for_everyone_who_can_open_it(world, client, persona):
    user = world.persona(persona)
    user.is_staff = True
    user.save()
    _sign_in(client, user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
