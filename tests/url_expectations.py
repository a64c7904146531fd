"""Expectations for the site-wide URLs: landing, home, health, sign-in pages (allauth) and the API root."""

from .matrix import Expect, grid, signed_in

ENTRANCE = grid(302, anonymous=200)  # sign-in style pages: signed-in people are sent home
MANAGE = signed_in(200)

EXPECTATIONS = {
    "landing": Expect({"GET": ENTRANCE, "POST": grid(405)}),
    "home": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
    "healthz": Expect({"GET": grid(200), "POST": grid(405)}),
    "favicon": Expect({"GET": grid(200), "POST": grid(405)}),
    # django-allauth
    "account_login": Expect({"GET": ENTRANCE, "POST": grid(302, anonymous=200)}),
    "account_logout": Expect({"GET": grid(200, anonymous=302), "POST": grid(302)}),
    "account_inactive": Expect({"GET": grid(200), "POST": grid(405)}),
    "account_signup": Expect({"GET": ENTRANCE, "POST": grid(302, anonymous=200)}),
    "account_reauthenticate": Expect({"GET": MANAGE, "POST": MANAGE}),
    # Sign-in codes are not enabled: these pages send people back.
    "account_request_reauthentication_code": Expect({"GET": signed_in(302), "POST": signed_in(302)}),
    "account_confirm_reauthentication_code": Expect({"GET": signed_in(302), "POST": signed_in(302)}),
    # An empty POST changes nothing and returns to the page.
    "account_email": Expect({"GET": MANAGE, "POST": signed_in(302)}),
    "account_email_verification_sent": Expect({"GET": grid(200), "POST": grid(405)}),
    "account_change_password": Expect({"GET": MANAGE, "POST": MANAGE}),
    "account_set_password": Expect({"GET": signed_in(302), "POST": signed_in(302)}),
    "account_reset_password": Expect({"GET": grid(200), "POST": grid(200)}),
    "account_reset_password_done": Expect({"GET": grid(200), "POST": grid(405)}),
    "account_reset_password_from_key_done": Expect({"GET": grid(200), "POST": grid(405)}),
    "account_confirm_login_code": Expect({"GET": grid(302), "POST": grid(302)}),
    "account_confirm_email": Expect(
        {"GET": {"tampered": grid(200)}, "POST": {"tampered": grid(404)}},
        targets={"tampered": lambda scene: {"key": "not-a-real-key"}},
    ),
    "account_reset_password_from_key": Expect(
        {"GET": {"tampered": grid(200)}, "POST": {"tampered": grid(200)}},
        targets={"tampered": lambda scene: {"uidb36": "zz", "key": "set-password"}},
    ),
    # API root and documentation
    "api:api-root": Expect({"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}),
    # The schema names every field: signed-in people only (the docs page sends visitors to sign in).
    "api:api-schema": Expect({"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}),
    "api:api-docs": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
}
