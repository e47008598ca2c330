import importlib
import re

import pytest
from django.conf import settings
from drf_spectacular.validation import validate_schema

from demo.urls import module_exists


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_schema_is_valid_openapi(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "ISTOK API"
    validate_schema(schema)


@pytest.mark.django_db
def test_schema_documents_the_error_answers(schema):
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert all(
        "403" in op["responses"] for op in operations if op["security"] == [{"cookieAuth": []}]
    )
    order = schema["paths"]["/api/orders/{number}/"]["get"]["responses"]
    assert order["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    products = schema["paths"]["/api/catalog/products/"]["get"]["responses"]
    assert {"400", "404"} <= set(products)


@pytest.mark.django_db
def test_schema_describes_each_installed_apps_api(schema):
    for app in settings.INSTALLED_ISTOK_APPS:
        module = f"{app}.api.urls"
        if not module_exists(module) or not importlib.import_module(module).urlpatterns:
            continue
        prefix = f"/api/{app.removeprefix('istok_')}/"
        assert any(path.startswith(prefix) for path in schema["paths"]), prefix


@pytest.mark.django_db
def test_schema_is_served_as_yaml_by_default(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi:")


@pytest.mark.django_db
def test_swagger_page_renders_without_fetching_anything(client):
    # The page links Swagger UI's assets from this site's static files
    # (drf-spectacular-sidecar), never from a CDN: it works offline.
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    from django.contrib.staticfiles import finders

    for asset in assets:
        if asset.startswith(settings.STATIC_URL):
            assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
    # Its own script comes from the same view (?script), not inline (Content-Security-Policy).
    assert b'<script src="/api/docs/?script="></script>' in response.content
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/schema/" in script.content


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_swagger_page_answers_every_method_without_a_server_error(client, method):
    response = client.generic(method, "/api/docs/")
    if method == "OPTIONS":
        assert response.status_code == 200
        assert response["Allow"] == "GET, HEAD, OPTIONS"
    else:
        assert response.status_code == 405
        assert "GET" in response["Allow"]
