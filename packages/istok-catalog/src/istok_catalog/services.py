"""Use cases of istok_catalog: the only code that writes its data.

The admin (and a project's own forms or API) save products and gallery images through
these functions. Each validates what it is given and raises
:class:`~django.core.exceptions.ValidationError` before it stores anything: a refused
upload leaves no file behind.
"""

import io
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageFilter, ImageMath, ImageOps

from .models import FurnitureProduct, Product, ProductImage

#: Pillow format -> (file extension, save options) for images we write.
_ENCODINGS = {
    "JPEG": (".jpg", {"quality": 85, "optimize": True, "progressive": True}),
    "PNG": (".png", {"optimize": True}),
    "WEBP": (".webp", {"quality": 85}),
}


def _open(field_file):
    """The image of a file (upright, as its EXIF says), and its Pillow format name."""
    field_file.open("rb")
    field_file.seek(0)
    with Image.open(field_file) as image:
        image_format = image.format
        image.load()
        upright = ImageOps.exif_transpose(image)
    field_file.seek(0)
    return upright, image_format


def _encode(image, image_format, name):
    extension, options = _ENCODINGS.get(image_format, _ENCODINGS["PNG"])
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = _flatten(image)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format if image_format in _ENCODINGS else "PNG", **options)
    stem = os.path.splitext(os.path.basename(name))[0] or "image"
    return ContentFile(buffer.getvalue(), name=f"{stem}{extension}")


def _flatten(image):
    """RGB on a white background (JPEG has no transparency)."""
    image = image.convert("RGBA")
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def _is_new(field_file):
    return bool(field_file) and not field_file._committed


def fit_image(field_file):
    """Scale a newly uploaded image down to ``ISTOK_CATALOG_IMAGE_MAX_SIZE`` if larger.

    Returns the file to store: the upload itself when it already fits, else a re-encoded
    copy in the same format.
    """
    image, image_format = _open(field_file)
    max_size = tuple(settings.ISTOK_CATALOG_IMAGE_MAX_SIZE)
    if image.width <= max_size[0] and image.height <= max_size[1]:
        return field_file.file
    image.thumbnail(max_size, Image.Resampling.LANCZOS)
    return _encode(image, image_format, field_file.name)


def make_thumbnail(field_file):
    """A JPEG of the image fitted into ``ISTOK_CATALOG_THUMBNAIL_SIZE``, for lists."""
    image, _format = _open(field_file)
    image.thumbnail(tuple(settings.ISTOK_CATALOG_THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    stem = os.path.splitext(os.path.basename(field_file.name))[0]
    return _encode(_flatten(image), "JPEG", f"{stem}-thumb")


def make_sketch(field_file):
    """A black-and-white line drawing of the image (PNG): the product's sketch."""
    image, _format = _open(field_file)
    image.thumbnail(tuple(settings.ISTOK_CATALOG_IMAGE_MAX_SIZE), Image.Resampling.LANCZOS)
    grey = ImageOps.grayscale(_flatten(image))
    # Pencil effect: divide the grey image by a blurred negative of itself ("colour dodge"),
    # which keeps the edges dark and washes flat areas out to white.
    blurred = ImageOps.invert(grey).filter(ImageFilter.GaussianBlur(radius=8))
    sketch = ImageOps.autocontrast(_dodge(grey, blurred), cutoff=1)
    stem = os.path.splitext(os.path.basename(field_file.name))[0]
    return _encode(sketch, "PNG", f"{stem}-sketch")


def _dodge(front, back):
    return ImageMath.lambda_eval(
        lambda a: a["convert"](a["min"](a["front"] * 256 / (256 - a["back"]), 255), "L"),
        front=front,
        back=back,
    )


def _prepare_furniture_images(product):
    colour_changed = _is_new(product.colour_image)
    colour_cleared = not product.colour_image and bool(product.thumbnail) and product.pk
    if _is_new(product.sketch_image):
        product.sketch_image = fit_image(product.sketch_image)
        product.sketch_is_generated = False
    if colour_changed:
        product.colour_image = fit_image(product.colour_image)
    if product.colour_image:
        needs_sketch = not product.sketch_image or (product.sketch_is_generated and colour_changed)
        if needs_sketch:
            product.sketch_image = make_sketch(product.colour_image)
            product.sketch_is_generated = True
        if colour_changed or not product.thumbnail:
            product.thumbnail = make_thumbnail(product.colour_image)
    else:
        if product.sketch_is_generated:
            product.sketch_image = None
            product.sketch_is_generated = False
        if colour_cleared:
            product.thumbnail = None


@transaction.atomic
def save_product(product, *, purposes=None):
    """Validate and save a product of any kind, preparing its pictures.

    For furniture, a new colour image is scaled down to the size limit and gives the
    list thumbnail; without an uploaded sketch, the sketch is drawn from the colour
    image. ``purposes`` (furniture only) replaces the product's purposes when given.
    """
    product.full_clean()
    if isinstance(product, FurnitureProduct):
        _prepare_furniture_images(product)
    product.save()
    if purposes is not None:
        product.purposes.set(purposes)
    if not product.thumbnail:
        refresh_thumbnail(product)
    return product


@transaction.atomic
def save_product_image(image):
    """Validate and save a gallery image, scaled down, with its thumbnail."""
    image.full_clean()
    if _is_new(image.image):
        image.image = fit_image(image.image)
        image.thumbnail = make_thumbnail(image.image)
    image.save()
    refresh_thumbnail(image.product)
    return image


@transaction.atomic
def delete_product_image(image):
    """Remove a gallery image (its files stay in storage, as Django leaves them)."""
    product = image.product
    image.delete()
    refresh_thumbnail(product)


def refresh_thumbnail(product):
    """Give a product without a colour image the first gallery image's thumbnail."""
    if getattr(product, "colour_image", None):
        return
    first = (
        ProductImage.objects.filter(product_id=product.pk)
        .exclude(thumbnail="")
        .values_list("thumbnail", flat=True)
        .first()
    )
    name = first or ""
    if product.thumbnail.name != name:
        product.thumbnail = name
        Product.objects.non_polymorphic().filter(pk=product.pk).update(thumbnail=name)
