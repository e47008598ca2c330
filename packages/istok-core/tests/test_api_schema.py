from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from istok_core.api.schema import ERROR, VALIDATION_ERROR, document_errors, error_responses

OK = {"200": {"description": ""}}


class PublicView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = []


class MembersView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = []


class ThrottledView(PublicView):
    throttle_classes = [AnonRateThrottle]


def path_parameter(name="number"):
    return {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}


def query_parameter(name):
    return {"in": "query", "name": name, "schema": {"type": "string"}}


def test_a_public_read_without_parameters_documents_no_error():
    assert error_responses({"responses": OK}, "get", PublicView()) == {}


def test_parameters_or_a_body_may_be_refused_as_invalid():
    for operation, codes in (
        ({"parameters": [query_parameter("q")]}, {"400"}),
        ({"requestBody": {"content": {}}}, {"400", "415"}),
    ):
        errors = error_responses(operation, "get", PublicView())
        assert set(errors) == codes
        content = errors["400"]["content"]
        assert content["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ValidationError"
        }
        # istok-core's middleware refuses a control character in the address as text.
        assert content["text/plain"]["schema"] == {"type": "string"}


def test_a_path_parameter_or_a_page_may_be_a_404():
    errors = error_responses({"parameters": [path_parameter()]}, "get", PublicView())
    assert set(errors["404"]["content"]) == {"application/json", "text/html"}
    errors = error_responses({"parameters": [query_parameter("page")]}, "get", PublicView())
    assert set(errors["404"]["content"]) == {"application/json"}


def test_a_restricted_view_or_an_unsafe_method_may_be_a_403():
    assert "403" in error_responses({}, "get", MembersView())
    assert "403" in error_responses({}, "post", PublicView())
    assert "403" not in error_responses({}, "get", PublicView())


def test_a_throttled_view_may_be_a_429():
    assert "429" in error_responses({}, "get", ThrottledView())


class Generator:
    """What the hook uses of drf-spectacular's SchemaGenerator."""

    endpoints = [("/orders/{pk}/", "^orders/(?P<pk>[0-9]+)/$", "GET", MembersView.as_view())]

    def create_view(self, callback, method):
        return callback.cls()

    def coerce_path(self, path, method, view):
        return path.replace("{pk}", "{id}")


def test_the_hook_adds_the_errors_and_keeps_what_a_view_documents():
    own_404 = {"description": "Gone for good."}
    result = {
        "paths": {
            "/orders/{id}/": {
                "get": {
                    "parameters": [path_parameter("id")],
                    "responses": {**OK, "404": own_404},
                }
            }
        }
    }

    result = document_errors(result, Generator(), None, True)

    responses = result["paths"]["/orders/{id}/"]["get"]["responses"]
    assert set(responses) == {"200", "400", "403", "404"}
    assert responses["404"] == own_404
    assert responses["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert result["components"]["schemas"] == {"Error": ERROR, "ValidationError": VALIDATION_ERROR}
