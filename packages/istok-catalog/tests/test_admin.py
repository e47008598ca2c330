import pytest
from django.contrib.contenttypes.models import ContentType

from istok_catalog.models import (
    Category,
    FacadeMaterial,
    FurnitureProduct,
    Product,
    Purpose,
    ServiceProduct,
    Shape,
)
from istok_catalog.testing.factories import (
    image_upload,
    make_furniture,
    make_service,
    model_upload,
)

pytestmark = pytest.mark.django_db

FURNITURE_ADD = "/admin/istok_catalog/furnitureproduct/add/"
SERVICE_ADD = "/admin/istok_catalog/serviceproduct/add/"


def inline(prefix="images", **forms):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, fields in enumerate(forms.values()):
        data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def furniture_data(**overrides):
    data = {
        "name": "Kitchen Verona",
        "slug": "kitchen-verona",
        "description": "",
        "price": "150000",
        "price_from": "on",
        "category": Category.objects.get(slug="kitchen").pk,
        "purposes": [Purpose.objects.get(slug="home").pk],
        "shape": Shape.objects.get(slug="corner").pk,
        "facade_material": FacadeMaterial.objects.get(slug="mdf-film").pk,
        "countertop_material": "",
        "is_published": "on",
        "position": "0",
        **inline(),
    }
    data.update(overrides)
    return data


def test_the_add_pages_of_each_kind_render(admin_client):
    for url in (FURNITURE_ADD, SERVICE_ADD):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert 'name="slug"' in response.content.decode()


def test_the_product_list_and_kind_choice_render(admin_client):
    make_furniture()
    make_service()
    assert admin_client.get("/admin/istok_catalog/product/").status_code == 200
    choice = admin_client.get("/admin/istok_catalog/product/add/")
    assert choice.status_code == 200
    assert "Furniture</label>" in choice.content.decode()  # the kind as the catalog names it
    ctype = ContentType.objects.get_for_model(ServiceProduct)
    assert (
        admin_client.get(f"/admin/istok_catalog/product/add/?ct_id={ctype.pk}").status_code == 200
    )
    filtered = admin_client.get(
        "/admin/istok_catalog/product/?furnitureproduct__category__id__exact=1"
    )
    assert filtered.status_code == 200


def test_adding_furniture_with_pictures_saves_through_the_service(admin_client):
    data = furniture_data(
        colour_image=image_upload("verona.jpg"),
        model_3d=model_upload("verona.glb"),
        **inline(one={"image": image_upload("side.png"), "alt": "Side view", "position": "1"}),
    )
    response = admin_client.post(FURNITURE_ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    product = FurnitureProduct.objects.get(slug="kitchen-verona")
    assert product.kind == "furniture"
    assert product.sketch_is_generated and product.sketch_image and product.thumbnail
    assert list(product.purposes.values_list("slug", flat=True)) == ["home"]
    image = product.images.get()
    assert (image.alt, bool(image.thumbnail)) == ("Side view", True)


def test_adding_a_service_saves_it(admin_client):
    response = admin_client.post(
        SERVICE_ADD,
        {
            "name": "Measuring",
            "slug": "measuring",
            "price": "1500",
            "price_unit": "visit",
            "duration": "01:30:00",
            "is_published": "on",
            "position": "0",
            **inline(),
        },
    )
    assert response.status_code == 302
    service = ServiceProduct.objects.get()
    assert (service.kind, service.price_unit, service.duration.seconds) == (
        "service",
        "visit",
        5400,
    )


def test_editing_through_the_parent_admin_opens_the_kind_form(admin_client):
    product = make_furniture()
    response = admin_client.get(f"/admin/istok_catalog/product/{product.pk}/change/")
    assert response.status_code == 200
    assert 'name="facade_material"' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "upload", "setting"),
    [
        ("colour_image", model_upload("fake.png", b"GIF89a but not really"), None),
        ("sketch_image", model_upload("sketch.png", b"\x89PNG broken"), None),
        ("model_3d", model_upload("chair.glb", b"this is not a model"), None),
        ("model_3d", model_upload("chair.gltf", b'{"no": "asset"}'), None),
        ("model_3d", model_upload("chair.glb"), ("ISTOK_CATALOG_MODEL_MAX_SIZE", 10)),
        ("colour_image", image_upload("big.png"), ("ISTOK_CATALOG_IMAGE_MAX_UPLOAD_SIZE", 10)),
    ],
)
def test_a_bad_upload_is_a_form_error_and_nothing_is_stored(
    admin_client, settings, stored_files, field, upload, setting
):
    if setting:
        setattr(settings, *setting)
    response = admin_client.post(FURNITURE_ADD, furniture_data(**{field: upload}))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Product.objects.exists()
    assert stored_files() == []


def test_a_bad_gallery_image_is_a_form_error(admin_client, stored_files):
    data = furniture_data(**inline(one={"image": model_upload("x.png", b"nope"), "alt": ""}))
    response = admin_client.post(FURNITURE_ADD, data)
    assert response.status_code == 200
    assert not Product.objects.exists()
    assert stored_files() == []


def test_each_kind_has_its_own_list_with_filters(admin_client):
    make_furniture()
    make_service()
    response = admin_client.get("/admin/istok_catalog/furnitureproduct/", {"q": "Furniture"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client.get("/admin/istok_catalog/serviceproduct/").status_code == 200


def test_taxonomy_admin_lists_terms(admin_client):
    response = admin_client.get("/admin/istok_catalog/category/")
    assert response.status_code == 200
    assert "Kitchen" in response.content.decode()
