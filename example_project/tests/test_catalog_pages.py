"""The catalog as composed in the example project: a product page offers what the composed
apps allow (book a consultation, ask about the product) or else the contacts of
ISTOK_CATALOG_CONTACTS; the demo catalogue reads as a real one (no two names alike, a
kitchen is for the home, a picture and a 3D model per piece of furniture, icons for the
services)."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from demo.management.commands.load_demo import APP_DEMO_COMMANDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalog():
    if not apps.is_installed("istok_catalog"):
        pytest.skip("istok_catalog is not composed")
    kwargs = next(options for app, _c, options, _n in APP_DEMO_COMMANDS if app == "istok_catalog")
    call_command("istok_catalog_demo", stdout=StringIO(), **kwargs)
    from istok_catalog.models import FurnitureProduct, Product

    return Product.objects.all(), FurnitureProduct.objects.all()


def routed(name):
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_a_product_page_offers_what_the_composed_apps_allow(client, demo_catalog):
    products, furniture = demo_catalog
    kitchen = furniture.filter(category__slug="kitchen").first()
    html = client.get(kitchen.get_absolute_url()).content.decode()
    booking, support = (
        routed("istok_booking:appointment_create"),
        routed("istok_support:conversation"),
    )
    if booking:
        assert f"/booking/?product={kitchen.slug}" in html
        assert "Записаться на консультацию" in html
    if support:
        assert f"/support/?product={kitchen.slug}" in html
        assert "Задать вопрос о товаре" in html
    if not (booking or support):
        # ISTOK_DEMO_APPS without both: the settings' contacts, in Russian.
        assert '<a href="tel:+78120000000">+7 812 000-00-00</a>' in html
        assert "<dt>Телефон</dt>" in html
    else:
        assert "tel:+78120000000" not in html
    # The price stands out, "from" explained for furniture made to measure.
    assert 'class="istok-catalog-product__amount"' in html


def test_the_demo_catalogue_is_believable(demo_catalog, client):
    products, furniture = demo_catalog
    names = [product.name for product in products]
    assert len(names) == 44 and len(set(names)) == len(names)
    assert not any("«" in name and name.split("«")[1][0].isascii() for name in names)
    for kitchen in furniture.filter(category__slug="kitchen").prefetch_related("purposes"):
        assert {purpose.slug for purpose in kitchen.purposes.all()} == {"home"}
    pictures = {item.colour_image.name for item in furniture}
    assert len(pictures) == furniture.count() == 36
    assert all(item.model_3d.name.endswith(".glb") for item in furniture)
    services = products.filter(kind="service")
    assert services.count() == 8
    assert len({service.thumbnail.name for service in services}) == 8
    # The catalog page shows each picture, none a grey tile.
    html = client.get("/catalog/", {"page_size": 50}).content.decode()
    assert "istok-catalog-card__image--none" not in html
