"""Factories for tests: plain functions, no extra dependency. They write through the
services, so what they make is what a real conversation looks like.

    from istok_support.testing.factories import make_conversation, make_customer, make_staff
    conversation = make_conversation(handed_off=True)
    services.take(conversation, make_staff())
"""

import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from .. import services

DEFAULT_PASSWORD = "correct-horse-battery-42"
#: What the staff of :func:`make_staff` may do by default.
STAFF_PERMISSIONS = ("view_conversation", "change_conversation")
_numbers = itertools.count(1)


def make_customer(*, password=DEFAULT_PASSWORD, **fields):
    """Create and return a user of ``AUTH_USER_MODEL`` with a usable ``password``."""
    number = next(_numbers)
    User = get_user_model()
    fields.setdefault(User.USERNAME_FIELD, f"support-customer{number}")
    if "email" in {f.name for f in User._meta.get_fields()}:
        fields.setdefault("email", f"support-customer{number}@example.com")
    return User._default_manager.create_user(password=password, **fields)


def make_staff(*, permissions=STAFF_PERMISSIONS, **fields):
    """A staff user with the given ``istok_support`` permissions (codenames)."""
    fields.setdefault("is_staff", True)
    user = make_customer(**fields)
    if permissions:
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="istok_support", codename__in=permissions
            )
        )
    return get_user_model()._default_manager.get(pk=user.pk)  # fresh permission cache


def make_conversation(customer=None, *, handed_off=False, specialist=None):
    """A conversation the bot has greeted (for a new customer unless given); handed to the
    specialists with ``handed_off``, taken by ``specialist`` when given."""
    conversation = services.start_conversation(customer or make_customer())
    if handed_off:
        services.request_handoff(conversation, conversation.customer)
    if specialist is not None:
        services.take(conversation, specialist)
    return conversation


def png_file(name="photo.png", size=(4, 3)):
    """A small valid PNG upload."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_file(name="invoice.pdf"):
    """A small valid PDF upload (a header and the end-of-file marker)."""
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")
