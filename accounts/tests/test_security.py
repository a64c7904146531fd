import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse

from accounts import security
from core.models import AuditEvent

PASSWORD = "correct horse battery staple"


def _verified(user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _sign_in(client, user):
    _verified(user)
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_dsl_signing_in_without_mfa_is_sent_to_set_it_up(world, client):
    _sign_in(client, world.dsl_a)
    response = client.get(reverse("safeguarding:concern_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The MFA and account pages themselves stay reachable.
    assert client.get(reverse("mfa_index")).status_code == 200


@pytest.mark.parametrize("persona", ["staff", "coordinator_a", "dsl_a"])
def test_roles_that_see_childrens_data_need_mfa(world, persona):
    assert security.mfa_required_for(getattr(world, persona))


@pytest.mark.parametrize("persona", ["mentor", "mentee_under_16", "funder"])
def test_mentors_mentees_and_funders_do_not_need_mfa(world, persona):
    assert not security.mfa_required_for(getattr(world, persona))


def test_mentor_signing_in_goes_straight_to_their_pages(world, client):
    _sign_in(client, world.mentor)
    assert client.get(reverse("safeguarding:thread_list")).status_code == 200


def test_api_answers_403_until_mfa_is_set_up(world, client):
    _sign_in(client, world.staff)
    assert client.get("/api/").status_code == 403


def test_once_mfa_is_set_up_the_pages_open(world, client):
    _sign_in(client, world.coordinator_a)
    Authenticator.objects.create(user=world.coordinator_a, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("safeguarding:thread_list")).status_code == 200


def test_sign_in_is_audited_without_the_password(world, client):
    _sign_in(client, world.mentor)
    client.logout()
    client.post(reverse("account_login"), {"login": world.mentor.email, "password": "wrong password 1"})
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "account.login" in actions and "account.login_failed" in actions
    assert not AuditEvent.objects.filter(summary__contains="wrong password").exists()


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/5m/ip,3/5m/key"})
def test_repeated_failed_sign_ins_are_throttled(world, client):
    _verified(world.mentor)
    for _ in range(3):
        client.post(reverse("account_login"), {"login": world.mentor.email, "password": "not it at all"})
    response = client.post(reverse("account_login"), {"login": world.mentor.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_goes_through_the_throttled_sign_in_form(db, client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Posting credentials to the admin does not sign anyone in.
    client.post(reverse("admin:login"), {"username": "staff@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_changing_email_needs_a_fresh_reauthentication(world, client):
    client.force_login(_verified(world.mentor))
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new.address@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new.address@example.org").exists()


def test_changing_password_needs_the_current_password(world, client):
    client.force_login(world.mentor)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "a guess",
            "password1": "a new long passphrase 7",
            "password2": "a new long passphrase 7",
        },
    )
    world.mentor.refresh_from_db()
    assert world.mentor.check_password(PASSWORD)


def test_idle_session_is_ended(world, client, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client.force_login(world.mentor)
    session = client.session
    session[security.LAST_ACTIVITY] = time.time() - 120
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_session_older_than_the_absolute_limit_is_ended(world, client, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    client.force_login(world.mentor)
    session = client.session
    session[security.STARTED_AT] = time.time() - 7200
    session[security.LAST_ACTIVITY] = time.time()
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_active_session_carries_on(world, client):
    client.force_login(world.mentor)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_logout_ends_the_session_on_the_server(world, client):
    client.force_login(world.mentor)
    key = client.session.session_key
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivating_a_person_ends_their_sessions(world, client):
    client.force_login(world.mentor)
    key = client.session.session_key
    world.mentor.is_active = False
    world.mentor.save()
    assert not Session.objects.filter(session_key=key).exists()


def test_pages_send_a_content_security_policy_without_inline_script(world, client):
    client.force_login(world.mentor)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_api_docs_page_works_under_its_own_policy(world, client):
    client.force_login(world.mentor)
    response = client.get(reverse("api:api-docs"))
    assert response.status_code == 200
    assert "<script>" not in response.text  # the Swagger set-up script is served as a file
    script = client.get(reverse("api:api-docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
    assert "'unsafe-inline'" in response["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_personal_pages_are_not_cached(world, client):
    client.force_login(world.dsl_a)
    assert client.get(reverse("safeguarding:concern_list"))["Cache-Control"] == "no-store"


def test_viewing_a_mentee_profile_is_audited(world, client):
    client.force_login(world.coordinator_a)
    client.get(reverse("mentoring:mentee_detail", args=[world.mentee_under_16.pk]))
    assert AuditEvent.objects.filter(
        action="mentoring.mentee_viewed", actor=world.coordinator_a, target_id=str(world.mentee_under_16.pk)
    ).exists()


def test_a_programme_can_require_mfa_for_its_mentors(world, client):
    from safeguarding.models import ProgrammeSafeguarding

    assert not security.mfa_required_for(world.mentor)
    client.force_login(world.staff)
    response = client.post(
        reverse("safeguarding:programme_settings", args=[world.programme.pk]), {"mentor_mfa": "required"}
    )
    assert response.status_code == 302
    assert ProgrammeSafeguarding.objects.get(programme=world.programme).mentor_mfa == "required"
    world.mentor.__dict__.pop("roles", None)
    assert security.mfa_required_for(world.mentor)
    assert AuditEvent.objects.filter(action="safeguarding.programme_settings_changed").exists()


def test_a_change_that_saved_is_answered_as_saved_even_if_the_database_goes_before_the_session_is_saved(
    world, client, monkeypatch
):
    """The session's activity time is written before the page does its work: were it written after, a
    database lost between the page's commit and that write would answer a saved session log with an
    error page (a 400, "the session was interrupted") and the mentor would log it again."""
    import datetime

    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from mentoring.models import SessionLog
    from mentoring.tests.factories import MentoringSessionFactory

    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    client.force_login(world.mentor)  # the first page after signing in records the activity time
    real_save = SessionStore.save

    def save_unless_the_log_is_written(self, must_create=False):
        if SessionLog.objects.filter(session=session).exists():
            raise UpdateError  # what Django raises when the database fails while saving the session
        return real_save(self, must_create=must_create)

    monkeypatch.setattr(SessionStore, "save", save_unless_the_log_is_written)
    response = client.post(
        reverse("mentoring:session_log", args=[session.pk]),
        {"held": "yes", "duration_minutes": "60", "format": "online", "summary": "CV done", "worrying": "no"},
    )
    assert response.status_code == 302
    assert SessionLog.objects.get(session=session).summary == "CV done"
    stored = Session.objects.get(session_key=client.session.session_key).get_decoded()
    assert security.LAST_ACTIVITY in stored and security.STARTED_AT in stored
