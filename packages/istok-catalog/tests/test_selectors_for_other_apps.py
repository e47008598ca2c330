"""What other apps read through istok_catalog.selectors: the categories to choose from
and the categories of given products (istok-loyalty's promotions for some categories)."""

import pytest

from istok_catalog import selectors
from istok_catalog.testing.factories import make_furniture, make_service

pytestmark = pytest.mark.django_db


def test_the_categories_of_products_are_read_in_one_query(django_assert_num_queries):
    kitchen = make_furniture(category="kitchen")
    wardrobe = make_furniture(category="wardrobe")
    service = make_service()
    with django_assert_num_queries(1):
        slugs = selectors.product_category_slugs([kitchen.pk, wardrobe.pk, service.pk, None])
    assert slugs == {"kitchen", "wardrobe"}
    assert selectors.product_category_slugs([service.pk]) == set()


def test_only_active_categories_are_offered():
    offered = selectors.categories()
    assert "kitchen" in {category.slug for category in offered}
    offered.filter(slug="kitchen").update(is_active=False)
    assert "kitchen" not in {category.slug for category in selectors.categories()}
