"""Playwright against Django's live server, using Debian's Chromium.

`playwright install` cannot download browsers everywhere we run, so pytest-playwright is pointed at
/usr/bin/chromium (installed by `scripts/system-deps.sh browser`). Without it every test here is
skipped with a message saying so.

Each pytest-xdist worker gets its own live server (pytest-django's session-scoped `live_server`,
bound to a free port) and its own browser. The live server serves static files itself
(StaticFilesHandler), and the test settings use plain StaticFilesStorage, so no collectstatic is needed.
"""

import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from accounts.models import User

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple"  # set by accounts.tests.factories.UserFactory
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the second factor of every persona whose role requires one
HERE = Path(__file__).resolve().parent

# Playwright's sync API keeps an asyncio event loop running in the main thread for the whole session,
# which makes Django refuse ORM calls from test code and fixtures unless this is set.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    skip = None
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(
            reason=f"{CHROMIUM} not found: run `scripts/system-deps.sh browser` to install Chromium"
        )
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # The live server runs in another thread: rows must be committed for it to see them.
            item.add_marker(pytest.mark.django_db(transaction=True))
            # WhiteNoise looks for collected files in STATIC_ROOT; the live server serves them from the apps.
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))
            if skip is not None:
                item.add_marker(skip)


# Chromium keeps only the last --disable-features it is given, and Playwright passes its own list first:
# ours repeats Playwright's list (what it turns off so that a test browser calls no Google service and
# behaves plainly; its Windows- and Edge-only entries left out) and adds the omnibox's pop-up pages.
# Without those two, every new context opens two hidden browser pages of its own
# (chrome://omnibox-popup.top-chrome/), rendered in a renderer process of their own: about a quarter
# of the CPU time of the browser tests.
DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-features=" + ",".join(DISABLED_FEATURES),
        ],
    }


@pytest.fixture
def live_world(transactional_db, live_server, world):
    """The persona world, committed so the live server thread sees it, with verified email addresses.

    `transactional_db` is requested before `world` so the rows are really committed rather than
    hidden inside a test transaction.
    """
    # allauth's email verification is mandatory in the test settings, so sign-in needs a verified address.
    for user in User.objects.all():
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        give_mfa_if_required(user)
    return world


def give_mfa_if_required(user):
    """Roles that must use MFA (settings.MFA_REQUIRED_ROLES) get a TOTP authenticator with a known secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.security import mfa_required_for

    if mfa_required_for(user) and not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, TOTP_SECRET)


def current_totp_code() -> str:
    """The code an authenticator app would show now. Codes are checked against the current 30-second
    window only, so near the end of a window wait for the next one."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def sign_in_through_form(page, base_url: str, user) -> None:
    """Sign in with the real form, typing a TOTP code for roles that must use MFA, and wait for home."""
    give_mfa_if_required(user)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        # allauth refuses a code already used (remembered in the cache), and the same person in an
        # earlier test of this process may have used this 30-second window's code.
        cache.clear()
        page.locator("input[name=code]").fill(current_totp_code())
        page.get_by_role("main").get_by_role("button").first.click()
    page.wait_for_url(f"{base_url}/home/")


def add_session_cookie(context, base_url: str, user) -> None:
    """Give a browser context a signed-in session for `user` without the sign-in form: the session is made
    the way the test client's force_login makes it, and its cookie set on the context."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def sign_in_with_session(page, base_url: str, user) -> None:
    """Signed in as `user` on the home page, as after `sign_in_through_form`, for the tests about what a
    signed-in person does rather than the sign-in itself: no sign-in form, no second factor, so no wait for
    a fresh TOTP window. The sign-in form, with and without the second factor, is tested for every role in
    test_role_home_pages.py, and applicants sign in through it in test_accounts_recruitment.py."""
    add_session_cookie(page.context, base_url, user)
    page.goto(f"{base_url}/home/")
    assert page.url == f"{base_url}/home/", f"not signed in as {user.email}: {page.url}"


@pytest.fixture
def log_in(page, live_server):
    """Sign in as a person (a session of theirs, not the form: see `sign_in_with_session`) and wait for
    the home page."""

    def sign_in(user):
        sign_in_with_session(page, live_server.url, user)
        return page

    return sign_in


@pytest.fixture(autouse=True)
def _live_server_database(transactional_db, live_server):
    """Every browser test uses the live server, whose thread needs committed data."""


@pytest.fixture
def live_server_url(live_server, transactional_db):
    return live_server.url
