"""Factories for tests: plain functions, no extra dependency. They write through the
services, so what they make is what a real order looks like.

    from istok_orders.testing.factories import make_order, move_to, pdf_file
    order = make_order(deadline=date(2026, 12, 31))
    move_to(order, "production")
    services.attach_document(order, "contract", pdf_file())
"""

import itertools
import json
import struct
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from .. import services
from ..pipeline import get_pipeline

DEFAULT_PASSWORD = "correct-horse-battery-42"
#: What the staff of :func:`make_staff` may do by default.
STAFF_PERMISSIONS = ("view_order", "change_order", "add_document", "view_document")
_numbers = itertools.count(1)


def make_customer(*, password=DEFAULT_PASSWORD, **fields):
    """Create and return a user of ``AUTH_USER_MODEL`` with a usable ``password``."""
    number = next(_numbers)
    User = get_user_model()
    fields.setdefault(User.USERNAME_FIELD, f"orders-customer{number}")
    if "email" in {f.name for f in User._meta.get_fields()}:
        fields.setdefault("email", f"orders-customer{number}@example.com")
    return User._default_manager.create_user(password=password, **fields)


def make_staff(*, permissions=STAFF_PERMISSIONS, **fields):
    """A staff user with the given ``istok_orders`` permissions (codenames)."""
    fields.setdefault("is_staff", True)
    user = make_customer(**fields)
    if permissions:
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="istok_orders", codename__in=permissions
            )
        )
    return get_user_model()._default_manager.get(pk=user.pk)  # fresh permission cache


def default_lines():
    return [
        {
            "name": "Kitchen “Nord”",
            "quantity": 1,
            "unit_price": Decimal("150000.00"),
            "configuration": "3.2 m, oak facades, white countertop",
        }
    ]


def make_order(customer=None, *, lines=None, status=None, actor=None, **fields):
    """Create an order (for a new customer unless given) with one line by default, and
    move it along the pipeline to ``status`` when given."""
    order = services.create_order(
        customer or make_customer(),
        lines=default_lines() if lines is None else lines,
        actor=actor,
        **fields,
    )
    if status:
        move_to(order, status, actor=actor)
    return order


def move_to(order, status, *, actor=None):
    """Move ``order`` to ``status`` through the shortest path the pipeline allows."""
    steps = get_pipeline().path(order.status, status)
    if steps is None:
        raise ValueError(f"The pipeline has no way from {order.status!r} to {status!r}.")
    for step in steps:
        services.set_status(order, step, actor=actor)
    return order


def pdf_file(name="contract.pdf", *, size=None):
    """A small PDF upload (``size`` bytes when given)."""
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    if size:
        content = content[:size].ljust(size, b"\n")
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def glb_file(name="kitchen.glb"):
    """A minimal binary glTF (.glb) upload."""
    chunk = json.dumps({"asset": {"version": "2.0"}}).encode()
    chunk += b" " * (-len(chunk) % 4)  # chunks are padded to 4 bytes with spaces
    body = struct.pack("<II", len(chunk), 0x4E4F534A) + chunk
    content = b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body
    return SimpleUploadedFile(name, content, content_type="model/gltf-binary")


def gltf_file(name="kitchen.gltf"):
    """A minimal JSON glTF (.gltf) upload."""
    content = json.dumps({"asset": {"version": "2.0"}, "scenes": []}).encode()
    return SimpleUploadedFile(name, content, content_type="model/gltf+json")


def make_document(order, kind="contract", file=None, **kwargs):
    """Attach a document of ``kind`` (a PDF, or a .glb for the 3D model) and return it."""
    if file is None:
        file = glb_file() if kind == "model_3d" else pdf_file(f"{kind}.pdf")
    return services.attach_document(order, kind, file, **kwargs)
