"""What the permission matrix checks of every page a reader who oversees children is allowed to GET:
whenever a response carries an under-18's phone number, address or email address, the text of a
safeguarding concern or case entry, or a message from an under-18's thread, the request must have
written an audit row by that reader (`tests/test_permission_matrix.py` runs the walk, on the data
`add_reading_data` adds to its scene; `tests/test_sensitive_read_audit.py` checks the markers).
"""

import html

from django.utils import timezone

from accounts.models import MenteeProfile
from safeguarding.models import CaseEntry, Concern

# Programme staff, the coordinators of both partners and a safeguarding lead.
READERS = ("staff", "coordinator_a", "coordinator_b", "dsl_a")
CHILD_MESSAGE = "Walk check: I am worried about walking home past the park."
PARENT_EMAIL = "pat.walker.parent@example.org"
CASE_NOTE = "Walk check: spoke to the head of year about the journey home."


def add_reading_data(scene) -> None:
    """A concern, a case entry and a message in each child's thread, a parent asked for consent and a
    child's submitted application, so that every list and detail has a child's safeguarding record and
    messages to show."""
    from accounts.tests.factories import MenteeApplicationFactory
    from recruitment.services import consent_request
    from safeguarding import services
    from safeguarding.tests.url_expectations import _concern

    concern = _concern(scene, "concern_a", scene.mentor, scene.mentee_under_16)
    _concern(scene, "concern_b", scene.other_mentor, scene.mentee_b)
    services.concern_acknowledge(concern=concern, actor=scene.dsl_a)
    services.case_entry_add(concern=concern, actor=scene.dsl_a, kind=CaseEntry.Kind.NOTE, text=CASE_NOTE)
    consent_request(
        actor=scene.coordinator_a,
        mentee=scene.mentee_under_16,
        parent_name="Pat Walker",
        parent_email=PARENT_EMAIL,
    )
    # A child's submitted application, so that the applications list and its export name her: to the
    # other programme, so that she may still apply to the matrix's own (its windows are there).
    MenteeApplicationFactory(
        user=scene.mentee_under_16,
        programme=scene.other_programme,
        youth_partner=scene.partner_a,
        status="submitted",
        submitted_at=timezone.now(),
    )
    for relationship in (scene.relationship_under_16, scene.relationship_b):
        services.message_send(relationship=relationship, sender=relationship.mentee, body=CHILD_MESSAGE)


def markers() -> set[str]:
    """The text that, in a response, shows a child's contact details or safeguarding record."""
    found: set[str] = set()
    for profile in MenteeProfile.objects.select_related("user"):
        if profile.is_under_18:
            found.update(value for value in (profile.phone, profile.address, profile.user.email) if value)
    for concern in Concern.objects.all():
        found.update(value for value in (concern.facts, concern.childs_words) if len(value) > 20)
    found.update((CASE_NOTE, CHILD_MESSAGE, PARENT_EMAIL))
    return {marker for marker in found if marker} | {html.escape(m) for m in found if m}


def names_of_children() -> set[str]:
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


def sensitive_shown(response, markers, names) -> list[str]:
    """The markers (and, in a download, the children's surnames) the response shows."""
    content = _content(response)
    shown = [marker for marker in markers if marker in content]
    if _is_download(response):
        shown += [name for name in names if name in content]
    return shown
