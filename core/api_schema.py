"""The OpenAPI schema lists the answers every operation can really give, not only its success.

drf-spectacular documents an operation's success response; the error answers come from shared
machinery (authentication, the policy module, validation, the exception handler), so they are added
here, once, for every operation they apply to."""

import functools

ERROR = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "A list of messages per field; `non_field_errors` for the request as a whole.",
    "additionalProperties": {},
}
WRITE_METHODS = {"post", "put", "patch"}
# Response components whose listed fields are left out for some viewers (contact details).
_sometimes_left_out: dict[str, set[str]] = {}


def fields_sometimes_left_out(component: str, fields) -> None:
    """Mark fields of a response component as not always present (not `required` in the schema)."""
    if fields:
        _sometimes_left_out.setdefault(component, set()).update(fields)


def _response(description: str, schema_name: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: 403 everywhere (not signed in, or not allowed), 404 where the path names an
    object, 400 where the request carries a body or query parameters that can be wrong."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for component, fields in _sometimes_left_out.items():
        if component in schemas and "required" in schemas[component]:
            schemas[component]["required"] = [
                name for name in schemas[component]["required"] if name not in fields
            ]
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            parameters = operation.get("parameters", [])
            responses.setdefault("403", _response("Not signed in, or not allowed to do this.", "Error"))
            takes_query = any(parameter.get("in") == "query" for parameter in parameters)
            paged = any(parameter.get("name") == "page" for parameter in parameters)
            if "{" in path or paged:
                responses.setdefault(
                    "404", _response("No such object (or page), or not one you may see.", "Error")
                )
            if method in WRITE_METHODS or takes_query:
                responses.setdefault("400", _response("The request is not valid.", "ValidationError"))
    return result


@functools.lru_cache(maxsize=8)
def public_schema(version: str | None, language: str | None) -> dict:
    """The published schema: the same for everyone who may read it (it is public, SERVE_PUBLIC: no
    operation is left out by who asks) and fixed by the code, so generated once per process, version
    and language rather than on every request (about half a second of CPU each time)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(api_version=version).get_schema(request=None, public=True)
