"""Wrong passwords are limited by account and by address separately, and X-Forwarded-For is believed
only from the proxies named in TRUSTED_PROXIES."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.client_ip import client_ip

PASSWORD = "correct horse battery staple"
LIMITS = {"login_failed": "5/5m/key", "login": "300/m/ip"}


def _verified(*users):
    for user in users:
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


def _attempt(client, user, password, address="198.51.100.7", **headers):
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )
    signed_in = "_auth_user_id" in client.session
    # Sign out by dropping the session only: logout() would also forget the browser's other cookies.
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    return signed_in


@override_settings(ACCOUNT_RATE_LIMITS=LIMITS)
def test_wrong_passwords_lock_that_account_but_not_others_from_the_same_address(world):
    _verified(world.mentor, world.other_mentor)
    client = Client()
    for _ in range(5):
        assert not _attempt(client, world.mentor, "not the password")
    # The account is locked, from this address and from any other, even with the right password.
    assert not _attempt(client, world.mentor, PASSWORD)
    assert not _attempt(Client(), world.mentor, PASSWORD, address="203.0.113.50")
    # Someone else at the same address (a school network) signs in as usual.
    assert _attempt(client, world.other_mentor, PASSWORD)


@override_settings(ACCOUNT_RATE_LIMITS=LIMITS, LOGIN_FAILURES_PER_ADDRESS=6)
def test_many_failures_from_one_address_slow_new_browsers_but_not_known_ones(world):
    _verified(world.mentor, world.other_mentor, world.funder)
    known = Client()
    assert _attempt(known, world.funder, PASSWORD)  # the funder has signed in on this browser before
    attacker = Client()
    for _ in range(3):
        _attempt(attacker, world.mentor, "guess one")
        _attempt(attacker, world.other_mentor, "guess two")
    # Six wrong passwords from the address, spread over two accounts (neither is locked by itself).
    assert not _attempt(Client(), world.other_mentor, PASSWORD)
    # A browser that has signed in to its account before is let in with the right password...
    assert _attempt(known, world.funder, PASSWORD)
    # ...but not into a different account, and the attacker's browser stays refused.
    assert not _attempt(known, world.mentor, PASSWORD)
    assert not _attempt(attacker, world.mentor, PASSWORD)
    # Another address is not affected.
    assert _attempt(Client(), world.mentor, PASSWORD, address="203.0.113.50")


@override_settings(ACCOUNT_RATE_LIMITS=LIMITS, LOGIN_FAILURES_PER_ADDRESS=3)
def test_a_forged_forwarded_for_header_does_not_escape_the_address_limit(world):
    _verified(world.mentor, world.other_mentor)
    attacker = Client()
    for number in range(3):
        _attempt(attacker, world.other_mentor, "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert not _attempt(Client(), world.mentor, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")


@override_settings(ACCOUNT_RATE_LIMITS=LIMITS, LOGIN_FAILURES_PER_ADDRESS=3, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_visitor_counts_by_their_own_address(world):
    _verified(world.mentor, world.other_mentor)
    for _ in range(3):
        _attempt(Client(), world.other_mentor, "guess", address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1")
    # The proxy's address is shared by everyone; the visitor behind it has their own limit.
    assert _attempt(Client(), world.mentor, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.9")
    assert not _attempt(
        Client(), world.mentor, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1"
    )


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "198.51.100.7", "192.0.2.1", "198.51.100.7"),  # no proxy configured: header ignored
        (["10.0.0.0/8"], "198.51.100.7", "192.0.2.1", "198.51.100.7"),  # not from the proxy
        (["10.0.0.0/8"], "10.1.2.3", "192.0.2.1", "192.0.2.1"),
        # The visitor forged a first hop; the first untrusted hop counting back from us is the real one.
        (["10.0.0.0/8"], "10.1.2.3", "1.1.1.1, 192.0.2.1, 10.9.9.9", "192.0.2.1"),
        (["10.0.0.1", "10.0.0.2"], "10.0.0.2", "192.0.2.1, 10.0.0.1", "192.0.2.1"),
        (["10.0.0.0/8"], "10.1.2.3", "", "10.1.2.3"),
        (["10.0.0.0/8"], "10.1.2.3", "not-an-address", "10.1.2.3"),
        (["2001:db8:1::/48"], "2001:db8:1::1", "2001:db8:ffff::5, 2001:db8:1::9", "2001:db8:ffff::5"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_trusted_proxies(
    settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
