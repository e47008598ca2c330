import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from istok_catalog import services
from istok_catalog.demo.pictures import draw_scene
from istok_catalog.demo.scenes import build
from istok_catalog.models import FurnitureProduct, Product, ProductImage, ServiceProduct
from istok_catalog.testing.factories import image_upload, make_furniture, make_service

pytestmark = pytest.mark.django_db


def _is_black_and_white(field_file):
    with Image.open(field_file.path) as image:
        if image.mode in ("L", "1"):
            return True
        rgb = image.convert("RGB")
        return all(r == g == b for r, g, b in rgb.getdata())


def test_sketch_is_drawn_from_the_colour_image_when_none_is_uploaded():
    product = make_furniture(colour_image=image_upload("kitchen.jpg", size=(320, 240)))
    product.refresh_from_db()
    assert product.sketch_image.name.startswith("istok_catalog/sketch/kitchen-sketch")
    assert product.sketch_is_generated
    assert _is_black_and_white(product.sketch_image)
    with Image.open(product.sketch_image.path) as sketch:
        assert sketch.size == (320, 240)


def _tones(image):
    """Shares of (white, dark, grey in between) pixels of a greyscale image."""
    histogram = image.convert("L").histogram()
    total = sum(histogram)
    return (
        sum(histogram[200:]) / total,
        sum(histogram[:60]) / total,
        sum(histogram[60:200]) / total,
    )


def test_the_sketch_is_a_line_drawing_of_the_outlines_not_a_grey_photograph():
    # A wardrobe in a room (the demo's drawing): coloured fronts, a wall and a floor.
    picture = draw_scene(build("wardrobe", "corner", "solid-wood", None, seed=1))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    product = make_furniture(colour_image=SimpleUploadedFile("wardrobe.png", buffer.getvalue()))
    with Image.open(product.sketch_image.path) as sketch:
        white, dark, grey = _tones(sketch)
        # Mostly white paper, dark lines, next to no grey: the fronts' brown and the
        # floor's beige are not painted grey, only their outlines are drawn.
        assert white > 0.85 and 0.01 < dark < 0.12 and grey < 0.03
        # The lines are where the picture changes: along the floor's edge, not across
        # the plain wall above the furniture.
        wall = sketch.crop((0, 0, sketch.width, 40))
        assert _tones(wall)[0] > 0.99
    with Image.open(product.colour_image.path) as colour:
        assert _tones(colour)[2] > 0.3  # where the picture itself has a third in mid tones


def test_a_picture_without_edges_sketches_to_blank_paper():
    product = make_furniture(colour_image=image_upload("plain.png", colour=(120, 90, 60)))
    with Image.open(product.sketch_image.path) as sketch:
        assert _tones(sketch)[0] == 1.0


def test_an_uploaded_sketch_is_kept_as_it_is():
    product = make_furniture(
        colour_image=image_upload("colour.png"), sketch_image=image_upload("drawn.png")
    )
    assert product.sketch_image.name == "istok_catalog/sketch/drawn.png"
    assert not product.sketch_is_generated


def test_a_new_colour_image_redraws_a_generated_sketch_but_not_an_uploaded_one():
    product = make_furniture(colour_image=image_upload("first.png"))
    product.colour_image = image_upload("second.png")
    services.save_product(product)
    assert "second-sketch" in product.sketch_image.name

    product.sketch_image = image_upload("mine.png")
    services.save_product(product)
    product.colour_image = image_upload("third.png")
    services.save_product(product)
    assert product.sketch_image.name == "istok_catalog/sketch/mine.png"


def test_a_large_image_is_scaled_down_to_the_limit(settings):
    settings.ISTOK_CATALOG_IMAGE_MAX_SIZE = (200, 100)
    product = make_furniture(colour_image=image_upload("big.jpg", size=(800, 600)))
    with Image.open(product.colour_image.path) as image:
        assert image.size == (133, 100)
        assert image.format == "JPEG"


def test_a_small_image_is_stored_untouched():
    upload = image_upload("small.png", size=(40, 30))
    content = upload.read()
    upload.seek(0)
    product = make_furniture(colour_image=upload)
    with open(product.colour_image.path, "rb") as stored:
        assert stored.read() == content


def test_the_list_thumbnail_is_made_from_the_colour_image(settings):
    settings.ISTOK_CATALOG_THUMBNAIL_SIZE = (60, 60)
    product = make_furniture(colour_image=image_upload("wide.png", size=(300, 150)))
    assert product.thumbnail.name.startswith("istok_catalog/thumbnails/wide-thumb")
    with Image.open(product.thumbnail.path) as thumbnail:
        assert thumbnail.size == (60, 30)


def test_clearing_the_colour_image_clears_what_was_made_from_it():
    product = make_furniture(colour_image=image_upload())
    product.colour_image = None
    services.save_product(product)
    product.refresh_from_db()
    assert not product.sketch_image
    assert not product.thumbnail


def test_a_product_without_colour_image_shows_its_first_gallery_image():
    service = make_service()
    image = services.save_product_image(
        ProductImage(product=service, image=image_upload("work.png"), alt="Assembly")
    )
    assert image.thumbnail
    assert Product.objects.get(pk=service.pk).thumbnail.name == image.thumbnail.name
    services.delete_product_image(image)
    assert not Product.objects.get(pk=service.pk).thumbnail


def test_an_invalid_product_is_refused_before_anything_is_stored(stored_files):
    product = FurnitureProduct(name="No taxonomy", slug="x", price=1)
    product.colour_image = image_upload()
    with pytest.raises(ValidationError) as caught:
        services.save_product(product)
    assert "category" in caught.value.message_dict
    assert stored_files() == []
    assert not Product.objects.exists()


def test_a_service_keeps_its_unit_and_duration():
    service = make_service(
        price_unit=ServiceProduct.PriceUnit.SQUARE_METRE, duration=timedelta(minutes=90)
    )
    service = ServiceProduct.objects.get(pk=service.pk)
    assert service.get_price_unit_display() == "per square metre"
    assert service.duration == timedelta(minutes=90)
