"""The published OpenAPI schema is generated once per process and is the same for every reader."""

import json

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from core.api_schema import public_schema

pytestmark = pytest.mark.django_db


def _served(client_for, user) -> dict:
    response = client_for(user).get(reverse("api:api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_every_reader_gets_the_schema_generated_for_their_own_request(world, client_for, rf):
    """What the served copy replaces: a schema generated for the reader's own request."""
    request = rf.get(reverse("api:api-schema"))
    request.version, request.auth = None, None  # as rest_framework's Request carries them
    for user in (world.mentor, world.staff, world.mentee_under_16):
        request.user = user
        generated = SchemaGenerator().get_schema(request=request, public=True)
        expected = json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))
        assert _served(client_for, user) == expected


def test_the_schema_is_generated_once_per_process_and_language(world, client_for):
    public_schema.cache_clear()
    _served(client_for, world.mentor)
    _served(client_for, world.funder)
    info = public_schema.cache_info()
    assert (info.misses, info.hits) == (1, 1)
