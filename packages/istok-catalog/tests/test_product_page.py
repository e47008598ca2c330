"""A product's page leads somewhere: the actions the installed apps allow (booking,
support), else the business's contacts; the price explained for made-to-order furniture
only; the 3D model shown by the ``<model-viewer>`` the package ships in its static files."""

import hashlib
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import include, path

from istok_catalog import model_viewer
from istok_catalog.testing.factories import make_furniture, make_service, model_upload

pytestmark = pytest.mark.django_db


def _never(request):  # pragma: no cover
    raise AssertionError


booking = ([path("new/", _never, name="appointment_create")], "istok_booking")
support = ([path("chat/", _never, name="conversation")], "istok_support")
catalog = path("catalog/", include("istok_catalog.urls"))


class with_booking_and_support:
    urlpatterns = [catalog, path("booking/", include(booking)), path("support/", include(support))]


class with_support_only:
    urlpatterns = [catalog, path("support/", include(support))]


CONTACTS = [
    {"label": "Phone", "text": "+7 812 000-00-00", "url": "tel:+78120000000"},
    {"label": "Telegram", "text": "@istok_mebel", "url": "https://t.me/istok_mebel"},
    {"label": "Showroom", "text": "Nevsky prospekt, 1"},
]


def page(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@override_settings(ROOT_URLCONF=with_booking_and_support, ISTOK_CATALOG_CONTACTS=CONTACTS)
def test_with_booking_and_support_the_page_offers_both_and_no_contacts(client):
    html = page(client, make_furniture(slug="verona"))
    assert (
        '<a class="istok-button istok-catalog-product__booking" '
        'href="/booking/new/?product=verona">Book a consultation</a>'
    ) in html
    assert (
        '<a class="istok-button istok-button--secondary istok-catalog-product__ask" '
        'href="/support/chat/?product=verona">Ask about this product</a>'
    ) in html
    assert "tel:+78120000000" not in html
    service = page(client, make_service(slug="assembly"))
    assert "Book this service</a>" in service and "Ask about this service</a>" in service


@override_settings(ROOT_URLCONF=with_support_only)
def test_with_support_alone_asking_is_the_main_action(client):
    html = page(client, make_furniture(slug="verona"))
    assert (
        '<a class="istok-button istok-catalog-product__ask" '
        'href="/support/chat/?product=verona">Ask about this product</a>'
    ) in html
    assert "Book a consultation" not in html


@override_settings(ISTOK_CATALOG_CONTACTS=CONTACTS)
def test_without_booking_and_support_the_contacts_from_settings_are_shown(client):
    html = page(client, make_furniture())
    assert "To order or ask a question, contact us" in html
    assert '<a href="tel:+78120000000">+7 812 000-00-00</a>' in html
    assert '<a href="https://t.me/istok_mebel">@istok_mebel</a>' in html
    assert "<dd>Nevsky prospekt, 1</dd>" in html
    assert "Book a consultation" not in html and "Ask about" not in html
    assert "To order this service, contact us" in page(client, make_service())


def test_without_apps_and_contacts_the_page_has_no_empty_block(client):
    html = page(client, make_furniture())
    assert "istok-catalog-contacts" not in html
    assert "istok-catalog-product__actions" not in html


def test_price_from_is_explained_for_made_to_order_furniture_only(client):
    html = page(client, make_furniture(price="185000", price_from=True))
    assert re.search(r'istok-catalog-product__amount">from 185.000\xa0₽<', html.replace(",", "."))
    assert "the final price depends on your measurements" in html
    fixed = page(client, make_furniture(price="185000", price_from=False))
    assert "measurements" not in fixed
    service = page(client, make_service(price="1500", price_from=True))
    assert "from 1" in service and "per visit" in service
    assert "measurements" not in service and "dimensions" not in service


def test_the_3d_viewer_is_the_shipped_one_from_static_files(client):
    html = page(client, make_furniture(model_3d=model_upload("kitchen.glb")))
    script = "/static/istok_catalog/vendor/model-viewer/model-viewer.min.js"
    assert f'<script type="module" src="{script}"></script>' in html
    assert '<model-viewer class="istok-catalog-model__viewer" src="/media/' in html
    # Nothing on the page comes from another site: no CDN for the viewer.
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_the_shipped_viewer_is_the_pinned_npm_release_without_its_source_map():
    found = finders.find("istok_catalog/vendor/model-viewer/model-viewer.min.js")
    assert found, "the viewer is in the package's static files"
    with open(found, "rb") as script:
        content = script.read()
    assert hashlib.sha256(content).hexdigest() == model_viewer.SHA256
    assert b'customElements.define("model-viewer"' in content
    # No sourceMappingURL: a manifest storage would fail on the map we do not ship.
    assert b"sourceMappingURL" not in content
    assert finders.find("istok_catalog/vendor/model-viewer/LICENSE")


@override_settings(ISTOK_CATALOG_MODEL_VIEWER_URL="")
def test_without_a_viewer_the_model_can_still_be_downloaded(client):
    html = page(client, make_furniture(model_3d=model_upload("kitchen.glb")))
    assert "<model-viewer" not in html and "model-viewer.min.js" not in html
    assert "Download the 3D model" in html


def test_the_list_page_scripts_are_files_not_inline(client):
    html = client.get("/catalog/").content.decode()
    assert '<script src="/static/istok_catalog/catalog.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert finders.find("istok_catalog/catalog.js")
