"""The permission matrix: every URL, for every role and anonymous, for every method we expect.

In the style of 18F tock's URL-auth tests: walk the URL resolver, and fail on any URL that has no
name or no expectation, so a new page cannot ship without a decision about who may use it.

The same requests check that every read of a child's contact details or safeguarding record writes an
audit row (`tests/sensitive_reads.py`): each page a reader who oversees children may GET is asked once,
and its answer checked for both.
"""

import copy
import importlib
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.security import LAST_ACTIVITY, STARTED_AT
from accounts.tests.factories import MenteeProfileFactory, UserFactory
from community.tests.factories import EmployerContactFactory, EmployerPartnerFactory
from core.models import AuditEvent
from mentoring.tests.factories import CohortFactory, ProgrammeFactory

from .matrix import PERSONAS
from .sensitive_reads import READERS, add_reading_data, markers, names_of_children, sensitive_shown

PROJECT_APPS = (
    "core",
    "accounts",
    "mentoring",
    "matching",
    "training",
    "safeguarding",
    "evaluation",
    "resources",
    "community",
)

# Django's admin is guarded as a whole by AdminSite.admin_view (is_staff); no persona is is_staff,
# so its index and every page under it send them to the admin's own sign-in.
ADMIN_NAMESPACE = "admin"
ADMIN_SAMPLES = ("admin:index", "admin:accounts_user_changelist", "admin:core_auditevent_changelist")


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, namespace, str(pattern.pattern)


def all_url_names():
    names, unnamed = set(), []
    for name, namespace, route in _walk(get_resolver().url_patterns):
        if namespace == ADMIN_NAMESPACE or (namespace or "").startswith(ADMIN_NAMESPACE + ":"):
            continue
        if name is None:
            unnamed.append(route)
        else:
            names.add(name)
    return names, unnamed


def load_expectations():
    expectations = {}
    modules = ["tests.url_expectations"] + [f"{app}.tests.url_expectations" for app in PROJECT_APPS]
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if not module_name.startswith(error.name or "-"):
                raise
            continue
        overlap = set(expectations) & set(module.EXPECTATIONS)
        assert not overlap, f"{module_name} repeats expectations for {sorted(overlap)}"
        expectations.update(module.EXPECTATIONS)
    return expectations


EXPECTATIONS = load_expectations()


def test_every_url_is_named_and_has_an_expectation():
    names, unnamed = all_url_names()
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    missing = sorted(names - set(EXPECTATIONS))
    assert not missing, f"URLs without a permission expectation: {missing}"
    stale = sorted(set(EXPECTATIONS) - names)
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


def test_every_expectation_covers_every_persona():
    for name, expect in EXPECTATIONS.items():
        for method, target, _kwargs, expected in expect.cases():
            assert set(expected) == set(PERSONAS), f"{name} {method} {target} misses personas"


@dataclass
class Outcome:
    url_name: str
    method: str
    target: str | None
    persona: str
    expected: int
    actual: int


@pytest.fixture(scope="module")
def shared_scene(shared_world, django_db_blocker):
    """The persona world plus objects that belong to nobody personally, built once for the module."""
    assert shared_world is not None, "the matrix builds its scene once per module, inside its transaction"
    with django_db_blocker.unblock():
        other_programme = ProgrammeFactory(name="Museum Futures")
        CohortFactory(programme=other_programme, youth_partner=shared_world.partner_b)
        unmatched_a = MenteeProfileFactory(
            user=UserFactory(email="una.unmatched@example.org", first_name="Una"),
            age=15,
            youth_partner=shared_world.partner_a,
            cohort=shared_world.cohort_a,
        ).user
        # An employer partner's contact: sees their own employer's aggregate figures and nothing personal.
        employer_contact = EmployerContactFactory(
            user=UserFactory(email="erin.employer@example.org", first_name="Erin"),
            employer=EmployerPartnerFactory(name="Northgate Engineering"),
        )
    return SimpleNamespace(
        **vars(shared_world),
        other_programme=other_programme,
        unmatched_a=unmatched_a,
        employer_contact=employer_contact.user,
        employer=employer_contact.employer,
    )


@pytest.fixture(scope="module")
def reading_scene(shared_scene, django_db_blocker):
    """The scene with a child's safeguarding record, messages, parent and application to show
    (`add_reading_data`), so that the walk sees every page that could show them do so."""
    with django_db_blocker.unblock():
        add_reading_data(shared_scene)
    return shared_scene


@pytest.fixture(scope="module")
def persona_sessions(shared_scene, django_db_blocker):
    """Each persona signed in once for the module: (session key, decoded data, expiry) of its session."""
    sessions = {}
    with django_db_blocker.unblock():
        for persona in PERSONAS:
            if persona == "anonymous":
                continue
            signing_in = Client()
            signing_in.force_login(getattr(shared_scene, persona))
            stored = Session.objects.get(pk=signing_in.cookies[settings.SESSION_COOKIE_NAME].value)
            sessions[persona] = (stored.session_key, stored.get_decoded(), stored.expire_date)
    return sessions


def _sign_in_as(client, persona, persona_sessions):
    """Each request starts as the persona's freshly signed-in session, with no other cookies: the
    session row is put back as it was after signing in (an earlier request may have changed or ended it),
    started and last active this moment, as after a first page, so the session middleware has nothing
    to record and the request writes no session row of its own."""
    client.cookies = SimpleCookie()
    if persona == "anonymous":
        return
    key, data, expires = persona_sessions[persona]
    now = time.time()
    session_data = SessionStore().encode({**data, STARTED_AT: now, LAST_ACTIVITY: now})
    if not Session.objects.filter(session_key=key).update(session_data=session_data, expire_date=expires):
        Session.objects.create(session_key=key, session_data=session_data, expire_date=expires)
    client.cookies[settings.SESSION_COOKIE_NAME] = key


@pytest.fixture
def scene(reading_scene, db):
    """A fresh copy for each test: targets it builds (`cached`) are its own, rolled back after it."""
    return copy.deepcopy(reading_scene)


def _request(client, method, url, data):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url, data="{}", content_type="application/json")


# URLs whose test is slow by nature: the schema is generated anew for every persona, and the others
# answer many requests (every persona, for every method and target) through forms or exports.
SLOW_URLS = {
    "api:api-schema": "generates the OpenAPI schema of the whole API for each persona",
    "account_change_password": "a form page: every persona, GET and POST",
    "recruitment:apply": "a form page: every persona, GET and POST, for each of its two targets",
    "recruitment:application_edit": "a form page: every persona, GET and POST, for each of its targets",
    "training:reports_table_csv": "builds a training report export for each persona",
}


def _matrix_cases():
    for url_name in sorted(EXPECTATIONS):
        if url_name in SLOW_URLS:
            yield pytest.param(url_name, marks=pytest.mark.slow_ok(reason=SLOW_URLS[url_name]))
        else:
            yield url_name


@pytest.mark.parametrize("url_name", list(_matrix_cases()))
def test_permission_matrix(url_name, scene, persona_sessions, client):
    """Every persona gets the expected answer; and every GET a reader may make that shows a child's
    details or safeguarding record writes an audit row by that reader."""
    expect = EXPECTATIONS[url_name]
    failures, unaudited = [], []
    for method, target, kwargs_for, expected in expect.cases():
        url = reverse(url_name, kwargs=kwargs_for(scene) if kwargs_for else None)
        reads = [p for p in READERS if expected[p] == 200] if method == "GET" else []
        shown_markers, names = (markers(), names_of_children()) if reads else (set(), set())
        for persona in PERSONAS:
            _sign_in_as(client, persona, persona_sessions)
            if persona in reads:
                reader = getattr(scene, persona)
                audited_before = AuditEvent.objects.filter(actor=reader).count()
            response = _request(client, method, url, expect.data)
            if response.status_code != expected[persona]:
                failures.append(
                    Outcome(url_name, method, target, persona, expected[persona], response.status_code)
                )
            if persona in reads:
                shown = sensitive_shown(response, shown_markers, names)
                if shown and AuditEvent.objects.filter(actor=reader).count() == audited_before:
                    unaudited.append(
                        f"GET {url} [{target}] as {persona} shows {shown[0]!r} with no audit row"
                    )
    assert not failures and not unaudited, "\n".join(
        [
            f"{f.method} {f.url_name} [{f.target}] as {f.persona}: expected {f.expected}, got {f.actual}"
            for f in failures
        ]
        + unaudited
    )


@pytest.mark.parametrize("url_name", ADMIN_SAMPLES)
def test_admin_sends_every_persona_to_the_admin_sign_in(url_name, scene, client):
    url = reverse(url_name)
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(scene, persona))
        response = client.get(url)
        assert response.status_code == 302, (persona, response.status_code)
        assert response["Location"].startswith(reverse("admin:login")), persona
