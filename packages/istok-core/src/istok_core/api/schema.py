"""The error answers of the istok apps' APIs, in their OpenAPI schema (drf-spectacular).

drf-spectacular documents what a view answers when all goes well (200, 201, 204). The
answers to a bad request are left out, so a client cannot learn their shape, and a schema
checker (schemathesis' status code conformance) cannot tell a documented refusal from a
defect. :func:`document_errors`, a postprocessing hook, adds to each operation the ones
its view can give:

- ``400`` when it takes a body or parameters: DRF's field errors (``{"field":
  ["message"]}``) or ``{"detail": "..."}`` as JSON, or istok-core's middleware's short
  text for a control character in the address (``text/plain``);
- ``403`` when its view lets in only some users, or the method is unsafe (a signed-in
  client's request without the CSRF token);
- ``404`` when its path has parameters, or it takes a ``page``: ``{"detail": "..."}``, or
  Django's page (``text/html``) for a value its URL pattern does not match (letters for an
  ``<int:pk>``), which never reaches the view;
- ``415`` when it takes a body: one of a type its parsers do not read;
- ``429`` when its view has throttles.

Each error body but the field errors is ``{"detail": "..."}`` (component ``Error``).
Enable it in the project's settings, after drf-spectacular's own hook::

    SPECTACULAR_SETTINGS = {
        "POSTPROCESSING_HOOKS": [
            "drf_spectacular.hooks.postprocess_schema_enums",
            "istok_core.api.schema.document_errors",
        ],
    }
"""

from rest_framework.permissions import AllowAny

#: ``{"detail": "..."}``: what DRF answers for a refusal that is not about a field.
ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
#: DRF's answer to invalid input: the messages of each field (a list, or an object for a
#: nested serializer), ``non_field_errors``, or a ``detail`` (a body that does not parse).
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "array"}, {"type": "object"}, {"type": "string"}]},
}
SAFE_METHODS = {"get", "head", "options"}


def _json(name):
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _restricted(view):
    permissions = getattr(view, "permission_classes", [])
    return any(not issubclass(permission, AllowAny) for permission in permissions)


def error_responses(operation, method, view):
    """The error answers (code: OpenAPI response) that ``operation`` of ``view`` can give."""
    parameters = operation.get("parameters", [])
    locations = {parameter["in"] for parameter in parameters}
    errors = {}
    if parameters or "requestBody" in operation:
        errors["400"] = {
            "description": "Invalid input.",
            "content": {
                **_json("ValidationError"),
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    if _restricted(view) or method not in SAFE_METHODS:
        errors["403"] = {"description": "Not allowed.", "content": _json("Error")}
    if "path" in locations or any(p["name"] == "page" for p in parameters):
        content = _json("Error")
        if "path" in locations:
            content["text/html"] = {"schema": {"type": "string"}}
        errors["404"] = {"description": "Not found.", "content": content}
    if "requestBody" in operation:
        errors["415"] = {"description": "Unsupported media type.", "content": _json("Error")}
    if getattr(view, "throttle_classes", None):
        errors["429"] = {"description": "Too many requests.", "content": _json("Error")}
    return errors


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: add :func:`error_responses` to every operation
    (an answer a view documents itself is kept) and the ``Error`` and ``ValidationError``
    components."""
    views = {}
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        views[generator.coerce_path(path, method, view), method.lower()] = view
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view = views.get((path, method))
            responses = operation.setdefault("responses", {})
            for code, response in error_responses(operation, method, view).items():
                responses.setdefault(code, response)
    return result
