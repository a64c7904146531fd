"""Every read of a child's contact details or safeguarding record writes an audit row.

The walk requests every URL pattern that answers GET (pages, API lists and details, exports, files),
with the permission matrix's targets, as each persona who oversees children (programme staff, the
coordinators of both partners and a safeguarding lead). Whenever a response carries an under-18's
phone number, address or email address, the text of a safeguarding concern or case entry, or a
message from an under-18's thread, an audit row by that reader must have been written by the request.
"""

import copy
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import MenteeProfile
from core.models import AuditEvent
from safeguarding.models import CaseEntry, Concern

from .test_permission_matrix import (  # noqa: F401  (the matrix's scene and signed-in sessions)
    EXPECTATIONS,
    _sign_in_as,
    persona_sessions,
    shared_scene,
)

READERS = ("staff", "coordinator_a", "coordinator_b", "dsl_a")
CHILD_MESSAGE = "Walk check: I am worried about walking home past the park."
PARENT_EMAIL = "pat.walker.parent@example.org"
CASE_NOTE = "Walk check: spoke to the head of year about the journey home."


@pytest.fixture(scope="module")
def reading_scene(shared_scene, django_db_blocker):  # noqa: F811
    """The matrix's scene with a concern, a case entry and a message in each child's thread, so
    that every list and detail has a child's safeguarding record and messages to show."""
    from accounts.tests.factories import MenteeApplicationFactory
    from recruitment.services import consent_request
    from safeguarding import services
    from safeguarding.tests.url_expectations import _concern

    with django_db_blocker.unblock():
        concern = _concern(shared_scene, "concern_a", shared_scene.mentor, shared_scene.mentee_under_16)
        _concern(shared_scene, "concern_b", shared_scene.other_mentor, shared_scene.mentee_b)
        services.concern_acknowledge(concern=concern, actor=shared_scene.dsl_a)
        services.case_entry_add(
            concern=concern,
            actor=shared_scene.dsl_a,
            kind=CaseEntry.Kind.NOTE,
            text=CASE_NOTE,
        )
        consent_request(
            actor=shared_scene.coordinator_a,
            mentee=shared_scene.mentee_under_16,
            parent_name="Pat Walker",
            parent_email=PARENT_EMAIL,
        )
        # A child's submitted application, so that the applications list and its export name her.
        MenteeApplicationFactory(
            user=shared_scene.mentee_under_16,
            programme=shared_scene.programme,
            youth_partner=shared_scene.partner_a,
            status="submitted",
            submitted_at=timezone.now(),
        )
        for relationship in (shared_scene.relationship_under_16, shared_scene.relationship_b):
            services.message_send(relationship=relationship, sender=relationship.mentee, body=CHILD_MESSAGE)
    return shared_scene


@pytest.fixture
def scene(reading_scene, db):
    return copy.deepcopy(reading_scene)


def _markers() -> set[str]:
    """The text that, in a response, shows a child's contact details or safeguarding record."""
    markers: set[str] = set()
    for profile in MenteeProfile.objects.select_related("user"):
        if profile.is_under_18:
            markers.update(value for value in (profile.phone, profile.address, profile.user.email) if value)
    for concern in Concern.objects.all():
        markers.update(value for value in (concern.facts, concern.childs_words) if len(value) > 20)
    markers.update((CASE_NOTE, CHILD_MESSAGE, PARENT_EMAIL))
    return {marker for marker in markers if marker} | {html.escape(m) for m in markers if m}


def _names_of_children() -> set[str]:
    """In a download (an export or a file), a child's surname is itself a sensitive read."""
    return {
        profile.user.last_name
        for profile in MenteeProfile.objects.select_related("user")
        if profile.is_under_18 and profile.user.last_name
    }


def _is_download(response) -> bool:
    return "attachment" in response.get("Content-Disposition", "") or response.get(
        "Content-Type", ""
    ).startswith("text/csv")


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _sensitive_shown(response, markers, names) -> list[str]:
    content = _content(response)
    shown = [marker for marker in markers if marker in content]
    if _is_download(response):
        shown += [name for name in names if name in content]
    return shown


def _walked():
    return sorted(name for name, expect in EXPECTATIONS.items() if "GET" in expect.methods)


@pytest.mark.parametrize("url_name", _walked())
def test_every_sensitive_read_writes_an_audit_row(url_name, scene, persona_sessions, client):  # noqa: F811
    expect = EXPECTATIONS[url_name]
    missing = []
    for method, target, kwargs_for, expected in expect.cases():
        if method != "GET":
            continue
        url = reverse(url_name, kwargs=kwargs_for(scene) if kwargs_for else None)
        markers, names = _markers(), _names_of_children()
        for persona in READERS:
            if expected[persona] != 200:
                continue
            reader = getattr(scene, persona)
            _sign_in_as(client, persona, persona_sessions)  # the persona's own signed-in session
            before = AuditEvent.objects.filter(actor=reader).count()
            response = client.get(url)
            shown = _sensitive_shown(response, markers, names)
            if shown and AuditEvent.objects.filter(actor=reader).count() == before:
                missing.append(f"GET {url} [{target}] as {persona} shows {shown[0]!r} with no audit row")
    assert not missing, "\n".join(missing)


KNOWN_SENSITIVE = [
    ("mentoring:relationship_detail", lambda s: {"pk": s.relationship_under_16.pk}, "coordinator_a"),
    ("safeguarding:thread", lambda s: {"pk": s.relationship_under_16.pk}, "dsl_a"),
    ("recruitment:consent_manage", lambda s: {"pk": s.mentee_under_16.pk}, "coordinator_a"),
    ("recruitment:application_export", lambda s: None, "staff"),
    ("safeguarding:concern_detail", lambda s: {"pk": s.concern_a.pk}, "dsl_a"),
    ("api:mentee-detail", lambda s: {"pk": s.mentee_under_16.pk}, "coordinator_a"),
    ("api:message-list", lambda s: None, "dsl_a"),
    ("accounts:mentee_edit", lambda s: {"pk": s.mentee_under_16.pk}, "coordinator_a"),
]


@pytest.mark.parametrize("url_name,kwargs_for,persona", KNOWN_SENSITIVE, ids=[k[0] for k in KNOWN_SENSITIVE])
def test_the_walk_recognises_the_pages_known_to_show_a_childs_details(
    scene, client, url_name, kwargs_for, persona
):
    """The markers are not stale: each door the review named shows them, so the walk checks it."""
    client.force_login(getattr(scene, persona))
    response = client.get(reverse(url_name, kwargs=kwargs_for(scene)))
    assert response.status_code == 200
    assert _sensitive_shown(response, _markers(), _names_of_children())


def test_the_walk_covers_every_page_and_endpoint_that_answers_get():
    assert len(_walked()) == sum(1 for expect in EXPECTATIONS.values() if "GET" in expect.methods) > 300
