"""The catalog API as its OpenAPI schema describes it (drf-spectacular), and its 404s."""

import pytest

from .test_api_parameters import FILTERS

pytestmark = pytest.mark.django_db


def ok_body(schema, path):
    return schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def parameters(schema, path):
    return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}


def test_the_product_list_is_documented_as_the_page_object_it_returns(schema, api, catalog):
    assert ok_body(schema, "/api/catalog/products/") == {
        "$ref": "#/components/schemas/ProductPage"
    }
    page = schema["components"]["schemas"]["ProductPage"]
    data = api.get("/api/catalog/products/").json()
    assert set(page["properties"]) == set(data)
    assert set(page["required"]) == set(data)
    assert page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/ProductList"}


def test_the_list_and_the_facets_document_every_filter_and_the_list_its_pages(schema):
    assert parameters(schema, "/api/catalog/products/") == {
        *FILTERS,
        "page",
        "page_size",
        "facets",
    }
    assert parameters(schema, "/api/catalog/facets/") == set(FILTERS)


def test_the_facets_are_documented_as_one_object(schema):
    assert ok_body(schema, "/api/catalog/facets/") == {"$ref": "#/components/schemas/Facets"}


@pytest.mark.parametrize(
    "path",
    ["/api/catalog/products/no-such-product/", "/api/catalog/products/hidden-kitchen/"],
)
def test_a_missing_product_is_a_translated_404_naming_no_model(api, catalog, path):
    response = api.get(path, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}
    assert api.get(path).json() == {"detail": "Not found."}


def test_a_page_past_the_end_is_a_translated_404(api, catalog):
    response = api.get("/api/catalog/products/", {"page": 99}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Недопустимый номер страницы."}
