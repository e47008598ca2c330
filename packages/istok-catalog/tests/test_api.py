import pytest

from istok_catalog.testing.factories import image_upload, make_furniture, model_upload

pytestmark = pytest.mark.django_db

LIST = "/api/catalog/products/"
FACETS = "/api/catalog/facets/"


def test_list_gives_a_page_of_products_with_facets(api, catalog):
    response = api.get(LIST, {"page_size": 2})
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["page_size"], data["num_pages"]) == (7, 1, 2, 4)
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/catalog/products/?page=2&page_size=2"
    first = data["results"][0]
    assert first == {
        "id": catalog["verona"].pk,
        "kind": "furniture",
        "kind_label": "Furniture",
        "name": "Kitchen Verona",
        "slug": "kitchen-verona",
        "price": "100000.00",
        "price_from": False,
        "thumbnail": None,
        "url": "http://testserver/api/catalog/products/kitchen-verona/",
        "page_url": "http://testserver/catalog/kitchen-verona/",
    }
    assert data["facets"]["count"] == 7
    assert data["facets"]["price"] == {"min": "1500.00", "max": "200000.00"}


def test_list_uses_the_same_filters_as_the_page(api, catalog):
    data = api.get(
        LIST + "?category=kitchen&category=wardrobe&facade_material=mdf-enamel&ordering=-price"
    ).json()
    assert [p["slug"] for p in data["results"]] == ["kitchen-verona", "wardrobe-oslo"]
    (category,) = [d for d in data["facets"]["dimensions"] if d["name"] == "category"]
    assert {o["value"]: o["count"] for o in category["options"]}["wardrobe"] == 1
    assert {o["value"] for o in category["options"] if o["selected"]} == {"kitchen", "wardrobe"}


def test_last_page_links_back(api, catalog):
    data = api.get(LIST, {"page_size": 3, "page": 3}).json()
    assert data["next"] is None
    assert data["previous"] == "http://testserver/api/catalog/products/?page=2&page_size=3"
    assert len(data["results"]) == 1
    second = api.get(LIST, {"page_size": 3, "page": 2}).json()
    assert second["previous"] == "http://testserver/api/catalog/products/?page_size=3"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such"}, "category"),
        ({"purpose": ["home", "garage"]}, "purpose"),
        ({"price_min": "-1"}, "price_min"),
        ({"price_min": "900", "price_max": "100"}, "price_max"),
        ({"price_max": "cheap"}, "price_max"),
        ({"kind": "boat"}, "kind"),
        ({"ordering": "name"}, "ordering"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, catalog, params, field):
    response = api.get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_page_past_the_end_is_a_404(api, catalog):
    assert api.get(LIST, {"page": 99}).status_code == 404


def test_an_empty_result_is_page_one_not_a_404(api, catalog):
    data = api.get(LIST, {"price_min": 10**9}).json()
    assert (data["count"], data["results"], data["num_pages"]) == (0, [], 1)


def test_facets_endpoint(api, catalog):
    response = api.get(FACETS, {"kind": "service"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    (kind,) = [d for d in data["dimensions"] if d["name"] == "kind"]
    assert kind["options"] == [
        {"value": "furniture", "label": "Furniture", "count": 5, "selected": False},
        {"value": "service", "label": "Service", "count": 2, "selected": True},
    ]
    assert api.get(FACETS, {"shape": "hexagon"}).status_code == 400


def test_furniture_detail_has_its_own_fields(api):
    product = make_furniture(
        slug="verona",
        countertop_material="quartz",
        purposes=("home", "office"),
        colour_image=image_upload("verona.png"),
        model_3d=model_upload("verona.glb"),
    )
    data = api.get("/api/catalog/products/verona/").json()
    assert data["kind"] == "furniture"
    assert data["category"] == {"slug": "kitchen", "name": "Kitchen"}
    assert [p["slug"] for p in data["purposes"]] == ["home", "office"]
    assert data["countertop_material"]["slug"] == "quartz"
    assert data["colour_image"] == f"http://testserver{product.colour_image.url}"
    assert data["sketch_image"].startswith("http://testserver/media/istok_catalog/sketch/")
    assert data["model_3d"].endswith(".glb")
    assert data["images"] == []


def test_service_detail_has_its_own_fields(api, catalog):
    data = api.get("/api/catalog/products/measuring/").json()
    assert data["kind"] == "service"
    assert (data["price_unit"], data["price_unit_label"]) == ("visit", "per visit")
    assert "category" not in data


def test_unpublished_product_is_not_found(api, catalog):
    assert api.get("/api/catalog/products/hidden-kitchen/").status_code == 404


def test_list_queries_do_not_grow_with_the_page(api, catalog, django_assert_max_num_queries):
    for size in (1, 100):
        with django_assert_max_num_queries(12):
            assert api.get(LIST, {"category": "kitchen", "page_size": size}).status_code == 200


def test_the_api_is_read_only(api, catalog):
    assert api.post(LIST, {"name": "x"}).status_code == 405
    assert api.delete("/api/catalog/products/measuring/").status_code == 405
