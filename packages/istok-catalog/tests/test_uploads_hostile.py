"""Hostile uploads: refused with a field error (never a 500), and what is accepted is stored
under the extension of what it is, never the one it was sent with (no ``.html`` or
``.svg`` under ``MEDIA_URL``)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from istok_catalog import services
from istok_catalog.models import FurnitureProduct, Product, ProductImage
from istok_catalog.testing.factories import (
    glb_bytes,
    gltf_bytes,
    image_upload,
    make_furniture,
    model_upload,
)
from istok_catalog.validators import validate_image, validate_model_3d

from .test_admin import FURNITURE_ADD, furniture_data, inline

pytestmark = pytest.mark.django_db

HOSTILE_MODELS = {
    "nested": b'{"asset": {"version": "2.0"}, "extras": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "buffers": b'{"asset": {"version": "2.0"}, "buffers": 5}',
    "images": b'{"asset": {"version": "2.0"}, "images": [1, 2]}',
    "byte_length": gltf_bytes(buffers=[{"byteLength": "36", "uri": "data:,"}]),
    "index": gltf_bytes(nodes=[{"mesh": 3}]),
}


def renamed(upload, name):
    upload.name = name
    return upload


@pytest.mark.parametrize("content", HOSTILE_MODELS.values(), ids=HOSTILE_MODELS)
def test_a_hostile_gltf_is_refused_by_the_validator(content):
    with pytest.raises(ValidationError) as error:
        validate_model_3d(model_upload("sofa.gltf", content))
    assert [e.code for e in error.value.error_list] == ["invalid_model"]


@pytest.mark.parametrize("content", HOSTILE_MODELS.values(), ids=HOSTILE_MODELS)
def test_a_hostile_gltf_is_a_form_error_in_the_admin(admin_client, stored_files, content):
    data = furniture_data(model_3d=model_upload("sofa.gltf", content))
    response = admin_client.post(FURNITURE_ADD, data)
    assert response.status_code == 200
    assert "model_3d" in response.context["adminform"].form.errors
    assert not Product.objects.exists()
    assert stored_files() == []


def test_a_glb_with_a_damaged_chunk_is_refused():
    content = bytearray(glb_bytes())
    content[12:16] = (400).to_bytes(4, "little")  # the JSON chunk claims 400 bytes
    with pytest.raises(ValidationError):
        validate_model_3d(model_upload("sofa.glb", bytes(content)))


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.ISTOK_CATALOG_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError) as error:
        validate_image(image_upload("wide.png", size=(100, 20)))
    assert [e.code for e in error.value.error_list] == ["image_too_large"]


@pytest.mark.parametrize(
    ("upload", "stored"),
    [
        (renamed(image_upload("x.png"), "evil.html"), "istok_catalog/colour/evil.png"),
        (renamed(image_upload("x.jpg"), "evil.svg"), "istok_catalog/colour/evil.jpg"),
        (renamed(image_upload("x.png"), "photo.jpg"), "istok_catalog/colour/photo.png"),
    ],
)
def test_a_colour_image_is_stored_under_the_extension_of_its_content(upload, stored):
    product = make_furniture(colour_image=upload)
    product.refresh_from_db()
    assert product.colour_image.name == stored
    assert product.colour_image.url == f"/media/{stored}"
    assert product.sketch_image.name.endswith(".png")


def test_a_large_colour_image_scaled_down_keeps_the_extension_of_its_content(settings):
    settings.ISTOK_CATALOG_IMAGE_MAX_SIZE = (50, 50)
    product = make_furniture(colour_image=renamed(image_upload("x.jpg", size=(200, 100)), "a.svg"))
    assert product.colour_image.name == "istok_catalog/colour/a.jpg"


def test_an_uploaded_sketch_is_stored_under_the_extension_of_its_content():
    product = make_furniture(sketch_image=renamed(image_upload("x.png"), "sketch.html"))
    assert product.sketch_image.name == "istok_catalog/sketch/sketch.png"


def test_a_gallery_image_is_stored_under_the_extension_of_its_content():
    product = make_furniture()
    image = services.save_product_image(
        ProductImage(product=product, image=renamed(image_upload("x.png"), "evil.html"))
    )
    assert image.image.name == "istok_catalog/gallery/evil.png"
    assert image.thumbnail.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("Sofa.GLB", glb_bytes(), "istok_catalog/models/Sofa.glb"),
        ("sofa.gltf", gltf_bytes(), "istok_catalog/models/sofa.gltf"),
    ],
)
def test_a_model_is_stored_under_the_extension_of_its_content(name, content, stored):
    product = make_furniture(model_3d=model_upload(name, content))
    assert product.model_3d.name == stored


@pytest.mark.parametrize("name", ["sofa.exe", "sofa.html", "sofa.svg"])
def test_a_model_named_otherwise_is_refused_and_nothing_is_stored(stored_files, name):
    with pytest.raises(ValidationError) as error:
        make_furniture(model_3d=model_upload(name, glb_bytes()))
    assert list(error.value.message_dict) == ["model_3d"]
    assert stored_files() == []


def test_a_file_saved_without_the_services_is_never_stored_as_html():
    """Code that skips validation still cannot put an ``.html`` file under MEDIA_URL."""
    product = make_furniture(save_with_service=False)
    product.model_3d = SimpleUploadedFile("evil.html", b"<script>alert(1)</script>")
    product.colour_image = renamed(image_upload("x.png"), "evil.svg")
    product.save()
    assert product.model_3d.name == "istok_catalog/models/evil.bin"
    assert product.colour_image.name == "istok_catalog/colour/evil.png"
    assert FurnitureProduct.objects.get(pk=product.pk).model_3d.name.endswith(".bin")


def test_the_admin_stores_a_gallery_image_under_its_content_type(admin_client, stored_files):
    upload = renamed(image_upload("x.jpg"), "side.jpeg")
    data = furniture_data(**inline(one={"image": upload, "alt": "Side", "position": "0"}))
    response = admin_client.post(FURNITURE_ADD, data)
    assert response.status_code == 302
    assert ProductImage.objects.get().image.name == "istok_catalog/gallery/side.jpg"
