import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from istok_catalog.testing.factories import (
    glb_bytes,
    gltf_bytes,
    image_upload,
    model_upload,
)
from istok_catalog.validators import validate_image, validate_model_3d


def _codes(error):
    return [e.code for e in error.value.error_list]


def test_a_real_image_is_accepted():
    validate_image(image_upload("photo.jpg"))
    validate_image(image_upload("photo.png"))


def test_a_text_file_named_like_an_image_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image(SimpleUploadedFile("fake.jpg", b"not an image at all"))
    assert _codes(error) == ["invalid_image"]


def test_an_image_format_not_allowed_is_refused():
    with pytest.raises(ValidationError):
        validate_image(image_upload("anim.gif", image_format="GIF"))


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.ISTOK_CATALOG_IMAGE_MAX_UPLOAD_SIZE = 100
    with pytest.raises(ValidationError) as error:
        validate_image(image_upload("big.png", size=(400, 400)))
    assert _codes(error) == ["file_too_large"]


def test_a_glb_model_is_accepted():
    validate_model_3d(model_upload("sofa.glb", glb_bytes()))


def test_a_gltf_model_with_embedded_data_is_accepted():
    embedded = {"buffers": [{"byteLength": 3, "uri": "data:application/octet-stream;base64,AAAA"}]}
    validate_model_3d(model_upload("sofa.gltf", gltf_bytes(**embedded)))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("sofa.glb", b"PK\x03\x04 a zip file", "invalid_model"),
        ("sofa.obj", glb_bytes(), "invalid_extension"),
        ("sofa.gltf", glb_bytes(), "invalid_extension"),
        ("sofa.glb", glb_bytes(version=1), "invalid_model"),
        ("sofa.glb", glb_bytes(declared_length=9999), "invalid_model"),
        ("sofa.gltf", b'{"scenes": []}', "invalid_model"),
        ("sofa.gltf", b'{"asset": {"version": 2}}', "invalid_model"),
        ("sofa.gltf", b"\xff\xfe garbage", "invalid_model"),
        ("sofa.gltf", gltf_bytes(buffers=[{"uri": "sofa.bin"}]), "external_resources"),
    ],
)
def test_what_is_not_a_usable_gltf_model_is_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_model_3d(model_upload(name, content))
    assert _codes(error) == [code]


def test_a_model_over_the_size_limit_is_refused(settings):
    settings.ISTOK_CATALOG_MODEL_MAX_SIZE = 10
    with pytest.raises(ValidationError) as error:
        validate_model_3d(model_upload("sofa.glb"))
    assert _codes(error) == ["file_too_large"]
