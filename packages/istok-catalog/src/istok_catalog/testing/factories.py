"""Helpers for tests (yours and ours): products and uploads built in one call.

They use the taxonomy the migrations seed; pass your own terms to use others.
"""

import io
import itertools
import json
import struct
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from .. import services
from ..models import (
    Category,
    CountertopMaterial,
    FacadeMaterial,
    FurnitureProduct,
    Purpose,
    ServiceProduct,
    Shape,
)

_numbers = itertools.count(1)


def image_upload(name="picture.png", size=(64, 48), colour=(200, 80, 40), image_format=None):
    """An uploaded image file made with Pillow (PNG unless the name says otherwise)."""
    image_format = image_format or ("JPEG" if name.lower().endswith((".jpg", ".jpeg")) else "PNG")
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format)
    content_type = "image/jpeg" if image_format == "JPEG" else f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def glb_bytes(version=2, declared_length=None):
    """A minimal GLB (binary glTF) file: header and one JSON chunk."""
    document = json.dumps({"asset": {"version": "2.0"}}).encode()
    document += b" " * (-len(document) % 4)
    body = struct.pack("<I4s", len(document), b"JSON") + document
    length = 12 + len(body) if declared_length is None else declared_length
    return b"glTF" + struct.pack("<II", version, length) + body


def gltf_bytes(**extra):
    """A minimal glTF (JSON) document; ``extra`` keys are added to it."""
    return json.dumps({"asset": {"version": "2.0", "generator": "istok"}, **extra}).encode()


def model_upload(name="model.glb", content=None):
    content = glb_bytes() if content is None else content
    return SimpleUploadedFile(name, content, content_type="model/gltf-binary")


def _term(model, slug):
    if slug is None or hasattr(slug, "pk"):
        return slug
    return model.objects.get(slug=slug)


def make_furniture(
    *,
    category="kitchen",
    shape="straight",
    facade_material="mdf-enamel",
    countertop_material=None,
    purposes=("home",),
    price="100000.00",
    save_with_service=True,
    **fields,
):
    """A saved ``FurnitureProduct``; taxonomy arguments are slugs (or terms)."""
    number = next(_numbers)
    fields.setdefault("name", f"Furniture {number}")
    fields.setdefault("slug", f"furniture-{number}")
    product = FurnitureProduct(
        category=_term(Category, category),
        shape=_term(Shape, shape),
        facade_material=_term(FacadeMaterial, facade_material),
        countertop_material=_term(CountertopMaterial, countertop_material),
        price=Decimal(price),
        **fields,
    )
    terms = [_term(Purpose, slug) for slug in purposes]
    if save_with_service:
        return services.save_product(product, purposes=terms)
    product.save()
    product.purposes.set(terms)
    return product


def make_service(*, price="1500.00", price_unit=ServiceProduct.PriceUnit.VISIT, **fields):
    """A saved ``ServiceProduct``."""
    number = next(_numbers)
    fields.setdefault("name", f"Service {number}")
    fields.setdefault("slug", f"service-{number}")
    product = ServiceProduct(price=Decimal(price), price_unit=price_unit, **fields)
    return services.save_product(product)
