"""Limits on wrong passwords, by account and by address, kept apart.

- By account (allauth's `login_failed` rate, keyed on the email): a few wrong passwords lock that
  account only, from everywhere, for a few minutes.
- By address: a much higher number of wrong passwords from one address (a school network, a proxy)
  before that address is slowed. Even then, a browser that has signed in to an account before (it
  holds a signed "known browser" cookie for it) is still let in with the right password, so other
  accounts' failures never lock out someone already known on that browser.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from core.client_ip import client_ip

KNOWN_BROWSER_COOKIE = "known_browser"
KNOWN_BROWSER_SALT = "accounts.sign_in_limits.known_browser"
KNOWN_BROWSER_MAX_ACCOUNTS = 5
KNOWN_BROWSER_DAYS = 180


def _address_key(request) -> str:
    return f"sign-in-failures-address:{client_ip(request)}"


def _limit() -> tuple[int, int]:
    return (
        getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 100),
        getattr(settings, "LOGIN_FAILURES_ADDRESS_WINDOW", 5 * 60),
    )


def address_failure_record(request) -> int:
    """Count one wrong password against the request's address; returns the count in this window."""
    _limit_count, window = _limit()
    key = _address_key(request)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def address_over_limit(request) -> bool:
    limit, _window = _limit()
    return (cache.get(_address_key(request)) or 0) >= limit


def _login_digest(login: str) -> str:
    return hashlib.sha256((login or "").strip().lower().encode()).hexdigest()[:24]


def known_browser_logins(request) -> list[str]:
    try:
        value = request.get_signed_cookie(
            KNOWN_BROWSER_COOKIE, salt=KNOWN_BROWSER_SALT, max_age=KNOWN_BROWSER_DAYS * 24 * 3600
        )
    except (KeyError, signing.BadSignature):
        return []
    return [digest for digest in value.split(",") if digest][:KNOWN_BROWSER_MAX_ACCOUNTS]


def is_known_browser(request, login: str) -> bool:
    return _login_digest(login) in known_browser_logins(request)


def known_browser_remember(request, response, login: str) -> None:
    """After a correct sign-in, remember on this browser that it belongs to someone who knows the password."""
    digest = _login_digest(login)
    digests = [digest, *(known for known in known_browser_logins(request) if known != digest)]
    response.set_signed_cookie(
        KNOWN_BROWSER_COOKIE,
        ",".join(digests[:KNOWN_BROWSER_MAX_ACCOUNTS]),
        salt=KNOWN_BROWSER_SALT,
        max_age=KNOWN_BROWSER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
        path="/accounts/",
    )
