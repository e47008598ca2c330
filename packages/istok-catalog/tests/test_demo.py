import hashlib
import json
import struct
from io import StringIO

import pytest
from django.core.management import call_command

from istok_catalog.demo import glb, scenes
from istok_catalog.models import Category, FurnitureProduct, Product, ServiceProduct
from istok_catalog.validators import validate_model_3d

pytestmark = pytest.mark.django_db


def test_demo_creates_products_of_both_kinds_with_a_bounded_number_of_files(stored_files):
    out = StringIO()
    call_command("istok_catalog_demo", products=60, services=0.1, seed=1, variants=8, stdout=out)
    assert "Created 60 products (54 furniture, 6 services)" in out.getvalue()
    assert Product.objects.count() == 60
    assert {type(p) for p in Product.objects.all()} == {FurnitureProduct, ServiceProduct}
    assert Product.objects.filter(kind="service").count() == 6
    furniture = FurnitureProduct.objects.select_related("category").first()
    assert furniture.purposes.exists()
    assert furniture.colour_image.name.startswith("istok_catalog/demo/")
    assert furniture.name.startswith(furniture.category.name)
    assert ServiceProduct.objects.exclude(price_unit="").count() == 6
    # Past --variants distinct pictures, products share their category's: a load test of
    # 100,000 products stores a bounded number of files (4 a variant, an icon a service).
    variants = {p.colour_image.name for p in FurnitureProduct.objects.all()}
    assert len(variants) == 8  # one per category, in turn
    assert len(stored_files()) == 4 * len(variants) + 6


def test_demo_can_run_twice(stored_files):
    call_command("istok_catalog_demo", products=5, seed=4, stdout=StringIO())
    files = stored_files()
    call_command("istok_catalog_demo", products=5, seed=4, stdout=StringIO())
    assert Product.objects.count() == 10
    assert stored_files() == files


def test_demo_names_are_unique_and_taxonomy_fits_the_category():
    call_command("istok_catalog_demo", products=80, services=0.1, seed=2026, stdout=StringIO())
    names = list(Product.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    purposes = {}
    for product in FurnitureProduct.objects.select_related("category").prefetch_related(
        "purposes"
    ):
        purposes.setdefault(product.category.slug, set()).update(
            p.slug for p in product.purposes.all()
        )
        assert product.purposes.exists()
        # A countertop only where there is one.
        if product.category.slug not in ("kitchen", "bathroom-furniture"):
            assert product.countertop_material_id is None
    assert purposes["kitchen"] == {"home"}
    assert purposes["kids-furniture"] == {"kids-room"}
    assert purposes["hallway"] == {"home"}
    # Every category shows up, even in a small demo.
    assert set(purposes) == set(Category.objects.values_list("slug", flat=True))


def test_demo_furniture_has_its_own_picture_sketch_and_3d_model(stored_files):
    call_command("istok_catalog_demo", products=16, services=0, seed=7, stdout=StringIO())
    products = list(FurnitureProduct.objects.select_related("category", "facade_material"))
    pictures = {p.colour_image.name for p in products}
    assert len(pictures) == len(products)  # one per category and variant, not one for all
    digests = {hashlib.sha256(p.colour_image.read()).hexdigest() for p in products}
    assert len(digests) == len(products)
    for product in products:
        assert product.sketch_is_generated
        assert product.model_3d.name.endswith(".glb")
        validate_model_3d(product.model_3d)  # the upload check accepts it
        document = glb_json(product.model_3d.read())
        assert document["asset"]["version"] == "2.0"
        assert document["meshes"][0]["primitives"]
        # The fronts take a colour of the product's facade material.
        front = next(m for m in document["materials"] if m["name"].startswith("facade-"))
        assert front["name"] == f"facade-{product.facade_material.slug}"


def test_a_kitchen_model_has_cabinets_and_a_worktop_in_its_colours():
    boxes = scenes.build("kitchen", "u-shaped", "mdf-enamel", "quartz", seed=1)
    materials = {material.name for _low, _high, material in boxes}
    assert {"carcass", "facade-mdf-enamel", "countertop-quartz"} <= materials
    straight = scenes.build("kitchen", "straight", "mdf-enamel", "quartz", seed=1)
    # A U-shaped kitchen has runs along three walls: more cabinets than a straight one.
    assert len(boxes) > len(straight)
    document = glb_json(glb.write_glb(boxes))
    worktop = next(m for m in document["materials"] if m["name"] == "countertop-quartz")
    red, green, blue, _alpha = worktop["pbrMetallicRoughness"]["baseColorFactor"]
    assert red > 0.5 and green > 0.5 and blue > 0.5  # quartz is light


def test_demo_services_get_an_icon_each(stored_files):
    call_command("istok_catalog_demo", products=8, services=1, seed=5, stdout=StringIO())
    services = list(ServiceProduct.objects.all())
    assert len(services) == 8
    icons = {service.thumbnail.name for service in services}
    assert len(icons) == 8 and all(name.endswith("-thumb.jpg") for name in icons)
    assert all(service.description for service in services)


def glb_json(data):
    """The JSON chunk of a GLB file."""
    magic, version, length = struct.unpack_from("<4sII", data)
    assert (magic, version, length) == (b"glTF", 2, len(data))
    chunk_length, chunk_type = struct.unpack_from("<I4s", data, 12)
    assert chunk_type == b"JSON"
    return json.loads(data[20 : 20 + chunk_length])


def test_demo_products_show_in_the_catalog(client):
    call_command("istok_catalog_demo", products=30, seed=2, no_images=True, stdout=StringIO())
    response = client.get("/catalog/", {"kind": "furniture"})
    assert response.status_code == 200
    assert (
        response.context["facets"]["count"]
        == Product.objects.filter(is_published=True, kind="furniture").count()
    )
