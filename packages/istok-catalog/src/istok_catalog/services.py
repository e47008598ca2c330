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
from django.db import connections, router, transaction
from PIL import Image, ImageChops, ImageFilter, ImageOps

from .models import FurnitureProduct, Product, ProductFacet, ProductImage

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
    """A black-and-white line drawing of the image (PNG): the product's sketch.

    The outlines of the picture, found by edge detection: the grey image, smoothed a
    little so that texture and noise do not count as edges, is differentiated in four
    directions (Sobel kernels); where the change is strong (the strongest tenth of the
    pixels at most) a dark line is drawn on white.
    """
    image, _format = _open(field_file)
    image.thumbnail(tuple(settings.ISTOK_CATALOG_IMAGE_MAX_SIZE), Image.Resampling.LANCZOS)
    grey = ImageOps.grayscale(_flatten(image)).filter(ImageFilter.GaussianBlur(radius=1))
    edges = None
    for kernel in _SOBEL:
        for sign in (1, -1):
            part = grey.filter(ImageFilter.Kernel((3, 3), [sign * k for k in kernel], scale=1))
            edges = part if edges is None else ImageChops.lighter(edges, part)
    histogram = edges.histogram()
    # The threshold: at least _EDGE_MIN, and high enough that at most 10% of the pixels
    # are lines (a busy photograph would otherwise turn black).
    threshold, seen, most = _EDGE_MIN, 0, edges.width * edges.height * 0.1
    for value in range(255, -1, -1):
        seen += histogram[value]
        if seen > most:
            threshold = max(threshold, value + 1)
            break
    lines = edges.point(lambda value: 0 if value >= threshold else 255, "L")
    # The kernels see the picture's own border as an edge: no frame around the drawing.
    sketch = ImageOps.expand(ImageOps.crop(lines, 2), 2, fill=255)
    stem = os.path.splitext(os.path.basename(field_file.name))[0]
    return _encode(sketch, "PNG", f"{stem}-sketch")


#: Sobel kernels across and along the rows; each also taken negated (edges both ways).
_SOBEL = [(-1, 0, 1, -2, 0, 2, -1, 0, 1), (-1, -2, -1, 0, 0, 0, 1, 2, 1)]
#: The weakest change of grey (0-255, after the Sobel kernel) drawn as a line.
_EDGE_MIN = 40


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
    # The receivers already did it for the save; once more covers a ``using`` or a
    # disconnected receiver, and costs one statement.
    refresh_facets([product.pk], using=product._state.db)
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


# -- the facet table --------------------------------------------------------------------------

#: Columns of ``ProductFacet`` and what each is in the product tables (p: product,
#: f: furniture). One definition for the refresh, the rebuild and the verification.
FACET_COLUMNS = {
    "product_id": "p.id",
    "is_published": "p.is_published",
    "price": "p.price",
    "position": "p.position",
    "kind": "p.kind",
    "category_id": "f.category_id",
    "shape_id": "f.shape_id",
    "facade_material_id": "f.facade_material_id",
    "countertop_material_id": "f.countertop_material_id",
    "purposes": (
        "CAST(COALESCE((SELECT SUM(CAST(1 AS BIGINT) << pu.bit) "
        "FROM istok_catalog_furnitureproduct_purposes x "
        "JOIN istok_catalog_purpose pu ON pu.id = x.purpose_id "
        "WHERE x.furnitureproduct_id = p.id), 0) AS BIGINT)"
    ),
}
_FACET_SOURCE = (
    "SELECT {columns} FROM istok_catalog_product p "
    "LEFT JOIN istok_catalog_furnitureproduct f ON f.product_ptr_id = p.id"
).format(columns=", ".join(f"{sql} AS {name}" for name, sql in FACET_COLUMNS.items()))
_FACET_TABLE = "SELECT {columns} FROM istok_catalog_productfacet".format(
    columns=", ".join(FACET_COLUMNS)
)
_FACET_UPSERT = (
    "INSERT INTO istok_catalog_productfacet ({columns}) {source} WHERE {where} "
    "ON CONFLICT (product_id) DO UPDATE SET {updates}"
)


def _facet_database(using):
    return using or router.db_for_write(ProductFacet)


def refresh_facets(product_ids, *, using=None):
    """Write the facet rows of ``product_ids`` from the product tables (one statement).

    Called in the transaction that changed the products: by the catalog's receivers on
    every product save, purposes change or delete, and by the services. Code that writes
    products with ``QuerySet.update()``, ``bulk_create()`` or raw SQL calls it itself (or
    runs ``manage.py istok_catalog_facets``). A product that no longer exists is skipped
    (its facet row went with it).
    """
    ids = sorted({int(pk) for pk in product_ids if pk is not None})
    if not ids:
        return
    connection = connections[_facet_database(using)]
    updates = ", ".join(
        f"{name} = EXCLUDED.{name}" for name in FACET_COLUMNS if name != "product_id"
    )
    sql = _FACET_UPSERT.format(
        columns=", ".join(FACET_COLUMNS),
        source=_FACET_SOURCE,
        where="p.id IN ({})".format(", ".join(["%s"] * len(ids))),
        updates=updates,
    )
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.features.has_select_for_update:
            # Purposes change without locking the product: lock its facet row first, so a
            # transaction that changed it meanwhile has committed before the statement
            # below reads the product tables (it would overwrite that change otherwise).
            cursor.execute(
                "SELECT product_id FROM istok_catalog_productfacet "
                f"WHERE product_id IN ({marks}) ORDER BY product_id FOR UPDATE",
                ids,
            )
        cursor.execute(sql, ids)


def rebuild_facets(*, using=None):
    """Rebuild the whole facet table from the product tables; returns the number of rows.

    In one transaction: readers see the old table until it commits.
    """
    database = _facet_database(using)
    connection = connections[database]
    with transaction.atomic(using=database), connection.cursor() as cursor:
        cursor.execute("DELETE FROM istok_catalog_productfacet")
        cursor.execute(
            "INSERT INTO istok_catalog_productfacet ({columns}) {source}".format(
                columns=", ".join(FACET_COLUMNS), source=_FACET_SOURCE
            )
        )
        count = cursor.rowcount
    transaction.on_commit(catalog_changed, using=database)
    return count


def facet_differences(*, using=None, limit=100):
    """Primary keys of the products whose facet row differs from the product tables (or is
    missing, or is left over), at most ``limit`` of them, sorted. Empty: the table is right."""
    connection = connections[_facet_database(using)]
    found = set()
    with connection.cursor() as cursor:
        for first, second in ((_FACET_SOURCE, _FACET_TABLE), (_FACET_TABLE, _FACET_SOURCE)):
            cursor.execute(
                f"SELECT d.product_id FROM ({first} EXCEPT {second}) d ORDER BY 1 LIMIT %s",
                [limit],
            )
            found.update(pk for (pk,) in cursor.fetchall())
    return sorted(found)[:limit]


def catalog_changed(*args, **kwargs):
    """Tell the facet cache the catalogue changed: counts cached before are not used again.

    The receivers call it after the commit of any write that can change a count or a
    facet's options (products, purposes, taxonomy terms).
    """
    from .selectors import bump_catalog_version

    bump_catalog_version()
