"""Factories for tests: plain functions, no extra dependency. Bookings go through the
services, so what they make is what a real booking looks like.

    from istok_booking.testing.factories import book_visit, make_customer, next_slot
    appointment = book_visit(make_customer())              # the first free showroom slot
    appointment = book_visit(customer, kind="video", starts_at=next_slot("video").starts_at)
"""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from .. import services
from ..models import Appointment, Designer, VisitKind

DEFAULT_PASSWORD = "correct-horse-battery-42"
#: What the staff of :func:`make_staff` may do by default.
STAFF_PERMISSIONS = ("view_appointment", "change_appointment")
_numbers = itertools.count(1)


def make_customer(*, password=DEFAULT_PASSWORD, **fields):
    """Create and return a user of ``AUTH_USER_MODEL`` with a usable ``password``."""
    number = next(_numbers)
    User = get_user_model()
    fields.setdefault(User.USERNAME_FIELD, f"booking-customer{number}")
    if "email" in {f.name for f in User._meta.get_fields()}:
        fields.setdefault("email", f"booking-customer{number}@example.com")
    return User._default_manager.create_user(password=password, **fields)


def make_staff(*, permissions=STAFF_PERMISSIONS, **fields):
    """A staff user with the given ``istok_booking`` permissions (codenames)."""
    fields.setdefault("is_staff", True)
    user = make_customer(**fields)
    if permissions:
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="istok_booking", codename__in=permissions
            )
        )
    return get_user_model()._default_manager.get(pk=user.pk)  # fresh permission cache


def make_designer(*kinds, user=None, **fields):
    """A designer (a new staff user unless ``user``) who takes ``kinds`` (codes or
    ``VisitKind``); each kind is switched to visits with designers."""
    designer = Designer.objects.create(user=user or make_staff(), **fields)
    for kind in kinds:
        if not isinstance(kind, VisitKind):
            kind = VisitKind.objects.get(code=kind)
        if not kind.uses_designers:
            kind.uses_designers = True
            kind.save(update_fields=["uses_designers"])
        designer.kinds.add(kind)
    return designer


def next_slot(kind="showroom", *, after=None, days=14, **kwargs):
    """The first free slot of ``kind`` (from ``after``, default now) within ``days``."""
    start = after or timezone.now()
    slots = services.available_slots(kind, start, start + timedelta(days=days), **kwargs)
    if not slots:
        raise LookupError(f"No free slot of {kind!r} within {days} days.")
    return slots[0]


def book_visit(customer=None, *, kind="showroom", starts_at=None, purpose="kitchen", **fields):
    """Book a visit for ``customer`` (a new one unless given) at ``starts_at`` (default:
    the first free slot of ``kind``); the contact defaults to a phone number."""
    if starts_at is None:
        starts_at = next_slot(kind).starts_at
    fields.setdefault("contact_value", "+79123456789")
    if kind == "measurement" or getattr(kind, "at_home", False):
        fields.setdefault("address", "Nevsky prospekt 1, flat 2")
    return services.book(
        kind=kind,
        starts_at=starts_at,
        purpose=purpose,
        customer=customer if customer is not None else make_customer(),
        **fields,
    )


def move_into_past(appointment, *, hours=2):
    """Put ``appointment`` ``hours`` in the past (the visit has taken place), as a test
    needs before :func:`~istok_booking.services.mark_no_show`. Its seats move with it."""
    shift = appointment.starts_at - (timezone.now() - timedelta(hours=hours))
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=appointment.starts_at - shift, ends_at=appointment.ends_at - shift
    )
    for seat in appointment.seats.all():
        seat.starts_at -= shift
        seat.save(update_fields=["starts_at"])
    appointment.refresh_from_db()
    return appointment
