from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.test import override_settings

from istok_catalog import get_product_model, get_product_model_string
from istok_catalog.models import (
    Category,
    CountertopMaterial,
    FacadeMaterial,
    FurnitureProduct,
    Product,
    Purpose,
    ServiceProduct,
    Shape,
)
from istok_catalog.testing.factories import make_furniture, make_service

pytestmark = pytest.mark.django_db


def test_get_product_model_names_the_polymorphic_base():
    assert get_product_model_string() == "istok_catalog.Product"
    assert get_product_model() is Product


def test_get_product_model_without_the_app_installed_says_what_to_do():
    apps = ["django.contrib.contenttypes", "django.contrib.auth"]
    with (
        override_settings(INSTALLED_APPS=apps),
        pytest.raises(ImproperlyConfigured, match="INSTALLED_APPS"),
    ):
        get_product_model()


def test_taxonomy_is_seeded_with_the_russian_market_values():
    assert list(Category.objects.values_list("slug", flat=True)) == [
        "kitchen",
        "wardrobe",
        "hallway",
        "dresser",
        "shelving",
        "kids-furniture",
        "bathroom-furniture",
        "living-room",
    ]
    assert set(Purpose.objects.values_list("slug", flat=True)) == {"home", "office", "kids-room"}
    assert set(Shape.objects.values_list("slug", flat=True)) == {
        "straight",
        "corner",
        "u-shaped",
        "island",
        "radius",
    }
    assert FacadeMaterial.objects.count() == 7
    assert CountertopMaterial.objects.count() == 6
    assert Category.objects.get(slug="kitchen").name == "Kitchen"


def test_each_kind_is_recorded_and_fetched_as_its_own_class():
    furniture = make_furniture()
    service = make_service()
    assert (furniture.kind, service.kind) == ("furniture", "service")
    fetched = {type(p) for p in Product.objects.all()}
    assert fetched == {FurnitureProduct, ServiceProduct}


def test_saving_a_base_row_keeps_its_kind():
    product = make_furniture()
    base = Product.objects.non_polymorphic().get(pk=product.pk)
    base.position = 5
    base.save()
    assert Product.objects.non_polymorphic().get(pk=product.pk).kind == "furniture"


def test_negative_price_is_refused_by_the_database():
    product = make_service()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(price=Decimal("-1"))


def test_absolute_url_is_the_detail_page():
    assert make_service(slug="measuring").get_absolute_url() == "/catalog/measuring/"
