"""Every read of a child's contact details or safeguarding record writes an audit row.

The walk is part of the permission matrix (`tests/test_permission_matrix.py`): each URL pattern that
answers GET (pages, API lists and details, exports, files) is requested with the matrix's targets as
each persona who oversees children (programme staff, the coordinators of both partners and a
safeguarding lead), and whenever a response carries an under-18's phone number, address or email
address, the text of a safeguarding concern or case entry, or a message from an under-18's thread
(`tests/sensitive_reads.py`), an audit row by that reader must have been written by the request. The
same request serves both checks. These tests check that the walk recognises what it looks for.
"""

import copy

import pytest
from django.urls import reverse

from .sensitive_reads import markers, names_of_children, sensitive_shown
from .test_permission_matrix import (  # noqa: F401  (the matrix's scene with a child's records to show)
    EXPECTATIONS,
    _matrix_cases,
    reading_scene,
    shared_scene,
)


@pytest.fixture
def scene(reading_scene, db):  # noqa: F811
    return copy.deepcopy(reading_scene)


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
    assert sensitive_shown(response, markers(), names_of_children())


def _walked():
    return sorted(name for name, expect in EXPECTATIONS.items() if "GET" in expect.methods)


def test_the_walk_covers_every_page_and_endpoint_that_answers_get():
    assert len(_walked()) == sum(1 for expect in EXPECTATIONS.values() if "GET" in expect.methods) > 300
    matrix = {case.values[0] if hasattr(case, "values") else case for case in _matrix_cases()}
    assert set(_walked()) <= matrix
