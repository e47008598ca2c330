import pytest
from django.test import Client, override_settings
from django.urls import include, path, reverse

from istok_catalog.models import ProductImage
from istok_catalog.services import save_product_image
from istok_catalog.testing.factories import image_upload, make_furniture, model_upload

from .catalog_data import build_catalog

pytestmark = pytest.mark.django_db

LIST = "/catalog/"


@pytest.fixture
def catalog():
    return build_catalog()


def test_list_shows_published_products_with_facets(client, catalog):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "7 products found" in html
    assert "Kitchen Verona" in html and "Design project" in html
    assert "Hidden kitchen" not in html
    assert 'name="category" value="kitchen"' in html
    assert response.context["facets"]["count"] == 7


def test_filters_come_from_the_url_and_narrow_the_list(client, catalog):
    response = client.get(LIST, {"category": ["wardrobe"], "shape": "corner"})
    assert [p.name for p in response.context["products"]] == ["Wardrobe Loft"]
    html = response.content.decode()
    assert 'name="category" value="wardrobe" checked' in html


def test_an_option_that_would_give_nothing_is_shown_disabled(client, catalog):
    html = client.get(LIST, {"category": "wardrobe"}).content.decode()
    assert 'name="shape" value="island" disabled' in html
    assert "istok-catalog-facet__option--empty" in html


def test_bad_parameters_show_a_notice_and_the_rest_still_applies(client, catalog):
    response = client.get(
        LIST,
        {
            "category": "no-such",
            "shape": "corner",
            "price_min": "-3",
            "page": "two",
            "page_size": "100000",
            "ordering": "random",
        },
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) == 5
    assert any(problem.startswith("Category:") for problem in problems)
    assert "istok-catalog__problems" in response.content.decode()
    assert [p.name for p in response.context["products"]] == ["Kitchen Milano", "Wardrobe Loft"]


@pytest.mark.parametrize(
    "params",
    [
        {"price_min": "1e400"},
        {"price_max": "NaN"},
        {"category": "../../etc"},
        {"page": "-1"},
        {"page": "0"},
        {"kind": ["furniture", "furniture"]},
        {"q": "' OR 1=1 --"},
    ],
)
def test_odd_parameters_never_break_the_page(client, catalog, params):
    assert client.get(LIST, params).status_code == 200


def test_a_nul_in_the_search_is_refused_and_the_page_survives_it_without_the_middleware(
    client, catalog, settings
):
    assert client.get(LIST, {"q": "\x00"}).status_code == 400  # istok_core's middleware
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("istok_core.")]
    assert Client().get(LIST, {"q": "\x00"}).status_code == 200  # a client with the new chain


def test_a_page_past_the_end_shows_the_last_page(client, catalog):
    response = client.get(LIST, {"page_size": 3, "page": 9})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 3
    assert "There is no page 9" in response.context["problems"][0]


def test_pagination_links_keep_the_filters(client, catalog):
    html = client.get(LIST, {"kind": "furniture", "page_size": 2}).content.decode()
    assert "?kind=furniture&amp;page_size=2&amp;page=2" in html


def test_list_queries_do_not_grow_with_the_page(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(LIST, {"category": "kitchen", "page_size": 1})
    with django_assert_max_num_queries(12):
        client.get(LIST, {"category": "kitchen", "page_size": 50})


def test_detail_of_furniture_shows_its_pictures_specs_and_model(client):
    product = make_furniture(
        name="Kitchen Verona",
        colour_image=image_upload("verona.jpg"),
        model_3d=model_upload("verona.glb"),
        countertop_material="quartz",
    )
    save_product_image(ProductImage(product=product, image=image_upload("side.png"), alt="Side"))
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert product.colour_image.url in html
    assert product.sketch_image.url in html
    assert 'id="istok-view-sketch"' in html
    assert "Quartz agglomerate" in html
    assert 'alt="Side"' in html
    assert product.model_3d.url in html
    # The viewer is on by default, from the package's own static files.
    assert "<model-viewer" in html
    assert "Book a consultation" not in html


def test_the_3d_viewer_appears_only_when_its_script_is_set(client, settings):
    settings.ISTOK_CATALOG_MODEL_VIEWER_URL = "https://cdn.example/model-viewer.js"
    product = make_furniture(model_3d=model_upload())
    html = client.get(product.get_absolute_url()).content.decode()
    assert '<script type="module" src="https://cdn.example/model-viewer.js">' in html
    assert "<model-viewer" in html
    without_model = make_furniture()
    assert "<model-viewer" not in client.get(without_model.get_absolute_url()).content.decode()


def test_detail_of_a_service_shows_its_unit_and_duration(client, catalog):
    response = client.get(reverse("istok_catalog:product_detail", args=["measuring"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "per visit" in html


def test_unpublished_and_unknown_products_are_not_found(client, catalog):
    assert client.get("/catalog/hidden-kitchen/").status_code == 404
    assert client.get("/catalog/no-such-product/").status_code == 404


def booking_view(request):  # pragma: no cover
    raise AssertionError


booking_urls = (
    [path("new/", booking_view, name="appointment_create")],
    "istok_booking",
)
urlpatterns = [
    path("catalog/", include("istok_catalog.urls")),
    path("booking/", include(booking_urls)),
]


@override_settings(ROOT_URLCONF=__name__)
def test_book_a_consultation_links_to_istok_booking_when_installed(client):
    product = make_furniture(slug="verona")
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'href="/booking/new/?product=verona"' in html
