from io import StringIO

import pytest
from django.core.management import call_command

from istok_catalog.models import FurnitureProduct, Product, ServiceProduct

pytestmark = pytest.mark.django_db


def test_demo_creates_products_of_both_kinds_sharing_a_few_pictures(stored_files):
    out = StringIO()
    call_command("istok_catalog_demo", products=60, services=0.1, seed=1, stdout=out)
    assert "Created 60 products (54 furniture, 6 services)" in out.getvalue()
    assert Product.objects.count() == 60
    assert {type(p) for p in Product.objects.all()} == {FurnitureProduct, ServiceProduct}
    assert Product.objects.filter(kind="service").count() == 6
    furniture = FurnitureProduct.objects.select_related("category").first()
    assert furniture.purposes.exists()
    assert furniture.colour_image.name.startswith("istok_catalog/demo/")
    assert furniture.name.startswith(furniture.category.name)
    # One colour image, sketch and thumbnail per category, whatever the product count.
    assert len(stored_files()) == 3 * 8
    assert ServiceProduct.objects.exclude(price_unit="").count() == 6


def test_demo_can_run_twice(stored_files):
    call_command("istok_catalog_demo", products=5, stdout=StringIO())
    call_command("istok_catalog_demo", products=5, stdout=StringIO())
    assert Product.objects.count() == 10
    assert len(stored_files()) == 3 * 8


def test_demo_products_show_in_the_catalog(client):
    call_command("istok_catalog_demo", products=30, seed=2, no_images=True, stdout=StringIO())
    response = client.get("/catalog/", {"kind": "furniture"})
    assert response.status_code == 200
    assert (
        response.context["facets"]["count"]
        == Product.objects.filter(is_published=True, kind="furniture").count()
    )
