"""With istok_catalog: the purpose of a visit booked from a product page follows the
product's category; without it, no purpose is guessed."""

import pytest
from django.apps import apps

from istok_booking.integrations.catalog import purpose_for_product
from istok_booking.models import Purpose

pytestmark = pytest.mark.django_db

with_catalog = pytest.mark.skipif(
    not apps.is_installed("istok_catalog"), reason="needs istok_catalog (tests.settings_catalog)"
)
without_catalog = pytest.mark.skipif(
    apps.is_installed("istok_catalog"), reason="istok_catalog is installed"
)


@with_catalog
class TestWithCatalog:
    @pytest.mark.parametrize(
        ("category", "purpose"),
        [
            ("kitchen", "kitchen"),
            ("wardrobe", "wardrobe"),
            ("kids-furniture", "kids_room"),
            ("bathroom-furniture", "bathroom"),
            ("living-room", "living_room"),
        ],
    )
    def test_the_products_category_chooses_the_purpose(self, category, purpose):
        from istok_catalog.testing.factories import make_furniture

        product = make_furniture(category=category)
        assert purpose_for_product(product.slug) == Purpose.objects.get(code=purpose)

    def test_the_mapping_is_a_setting_and_an_inactive_purpose_is_not_chosen(self, settings):
        from istok_catalog.testing.factories import make_furniture

        product = make_furniture(category="kitchen")
        settings.ISTOK_BOOKING_CATALOG_PURPOSES = {"kitchen": "complex"}
        assert purpose_for_product(product.slug).code == "complex"
        Purpose.objects.filter(code="complex").update(is_active=False)
        assert purpose_for_product(product.slug) is None

    def test_no_purpose_for_a_service_an_unpublished_or_unknown_product(self):
        from istok_catalog.testing.factories import make_furniture, make_service

        assert purpose_for_product(make_service().slug) is None
        assert purpose_for_product(make_furniture(is_published=False).slug) is None
        assert purpose_for_product("no-such-product") is None
        assert purpose_for_product("") is None
        assert purpose_for_product(None) is None


@without_catalog
def test_without_catalog_no_purpose_is_guessed():
    assert purpose_for_product("kitchen-nord") is None
