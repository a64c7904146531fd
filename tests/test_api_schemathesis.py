"""Schemathesis against the published schema, signed in as each role: no request the schema allows,
or a near miss of one, makes the server fail, and every answer is one the schema lists, in the shape
it describes.

A fixed seed (derandomize) and a bounded number of examples per operation keep the run repeatable."""

import functools
import json

import pytest
from allauth.mfa.models import Authenticator
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings

from accounts.services import api_token_issue

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 3
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)
MFA_ROLES = {"staff", "coordinator_a", "dsl_a"}
# Revoking the key the run signs in with would end the run; revoking is tested in accounts.
SKIPPED = {("DELETE", "/api/me/api-keys/{id}/")}


@functools.cache
def _schema_json() -> bytes:
    """The public schema is the same for every role: generated once per process, not once per role."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiJsonRenderer().render(raw, renderer_context={})


def _schema():
    return json.loads(_schema_json())


@functools.cache
def _generated_cases() -> tuple[tuple[str, tuple], ...]:
    """Every operation's generated cases, by label ("GET /api/..."). Generating them is about half the
    run's CPU time, and they are the same for every role (the examples are derandomized: hypothesis draws
    the same ones each time), so they are drawn once per process and each role's run sends a copy of each.
    """
    schema = schemathesis.openapi.from_dict(_schema())
    schema.app = get_wsgi_application()
    schema.base_url = "http://testserver"
    operations = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIPPED:
            operations.append((f"{operation.method.upper()} {operation.path}", _draw(operation)))
    return tuple(operations)


def _draw(operation) -> tuple:
    """The operation's cases as hypothesis generates them for a test: EXAMPLES_PER_OPERATION at most."""
    cases = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def draw(case):
        cases.append(case.derive(keep_auth=True))  # kept as drawn: each run sends a copy

    draw()
    return tuple(cases)


def run_against_schema(user):
    """Every operation, its generated cases each; returns (cases, failures by operation)."""
    if user.pk and (user.roles & {"programme_staff", "coordinator", "safeguarding_lead"} or user.is_staff):
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {}})
    _token, key = api_token_issue(user=user, name="Schema checks")
    headers = {"Authorization": f"Token {key}"}
    operations = _generated_cases()
    # As Django's test client does: starting or ending a request must not close the database connection
    # (it holds the test's transaction, and on PostgreSQL closing it ends every later query).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    counted = 0
    failures: dict[str, str] = {}
    try:
        for label, cases in operations:
            for drawn in cases:
                counted += 1
                case = drawn.derive(keep_auth=True)
                try:
                    response = case.call(headers=headers)
                    case.validate_response(response, checks=CHECKS)
                except (Exception, BaseExceptionGroup) as error:  # the operation's first failed check
                    failures[label] = str(error)[:600]
                    break  # the run goes on with the next operation
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return counted, failures


@pytest.mark.slow_ok(reason="one schemathesis run over every API operation for this role")
@pytest.mark.parametrize(
    "persona", ["staff", "coordinator_a", "dsl_a", "mentor", "mentee_under_16", "funder"]
)
def test_api_answers_as_the_schema_says_for_each_role(world, persona):
    cases, failures = run_against_schema(world.persona(persona))
    print(f"schemathesis as {persona}: {cases} cases, {len(failures)} operations with a failed check")
    assert cases > 100
    assert not failures, json.dumps(failures, indent=1)[:20000]
