"""Sign-up, email verification, login and password reset through django-allauth with our templates."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

from .factories import UserFactory

GOOD_PASSWORD = "kettle-orchard-marble-42"


@pytest.fixture(autouse=True)
def _send_queued_email_at_once(monkeypatch):
    """Views run in autocommit, where on_commit fires at once; the test transaction would hold it back."""
    monkeypatch.setattr("core.dispatch.transaction.on_commit", lambda callback: callback())


def _signup(client, **overrides):
    data = {
        "email": "new.mentor@example.org",
        "first_name": "Nadia",
        "last_name": "Hussain",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def test_sign_up_sends_a_verification_email_with_a_plain_text_body(db, client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.mentor@example.org")
    assert user.first_name == "Nadia"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "Hello Nadia" in mail.outbox[0].body
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_confirming_the_email_lets_the_person_sign_in(db, client):
    _signup(client)
    link = re.search(r"/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="new.mentor@example.org").verified
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.mentor@example.org", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_unverified_person_cannot_sign_in_yet(db, client):
    _signup(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.mentor@example.org", "password": GOOD_PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("home")).status_code == 302


def test_sign_up_with_an_existing_email_is_refused_without_creating_anyone(db, client):
    UserFactory(email="taken@example.org")
    response = _signup(client, email="TAKEN@example.org")
    # allauth prevents enumeration: the form succeeds visibly but no second account exists.
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "password,message",
    [
        ("short1", "too short"),
        ("password1234", "too common"),
        ("1234567890123", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_clear_message(db, client, password, message):
    response = _signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="new.mentor@example.org").exists()


def test_mismatched_passwords_are_refused(db, client):
    response = _signup(client, password2="something-else-entirely-9")
    assert response.status_code == 200
    assert not User.objects.exists()


def test_sign_up_requires_a_first_name(db, client):
    response = _signup(client, first_name="")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not User.objects.exists()


def test_tampered_confirmation_link_says_so_plainly(db, client):
    response = client.get(reverse("account_confirm_email", kwargs={"key": "made-up-key"}))
    assert response.status_code == 200
    assert "expired or is not valid" in response.content.decode()


def test_expired_confirmation_link_is_refused(db, client, settings):
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    _signup(client)
    link = re.search(r"/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    response = client.post(link)
    assert not EmailAddress.objects.get(email="new.mentor@example.org").verified
    assert response.status_code in (200, 404)


def test_password_reset_link_works_once(db, client):
    user = UserFactory(email="reset.me@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": "reset.me@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/password/reset/key/[^\s]+/", mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    again = client.get(link, follow=True)
    assert "does not work" in again.content.decode()


def test_tampered_password_reset_link_changes_nothing(db, client):
    user = UserFactory(email="keep.me@example.org")
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "forged"}))
    assert "does not work" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")


def test_wrong_password_gives_a_message_not_a_session(db, client):
    user = UserFactory(email="careful@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "careful@example.org", "password": "nope-nope-nope"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session
