"""istok_orders: a measurement visit booked for an order that waits for its measurement;
completing the visit moves the order on, on its timeline. istok_orders knows nothing of
istok_booking: this module uses its services and selectors only, and adds the "Book the
measurement" link to the order page through istok_orders' ``order_links`` signal."""

from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from istok_core.exceptions import require_app

from ..models import Appointment
from ..services._common import error


def _order_services():
    require_app("istok_orders", "A measurement visit for an order")
    from istok_orders import selectors, services

    return selectors, services


def lock_order(order):
    """Lock the order (an ``Order`` or its key) first, as the lock order wants, and return
    it as it is now."""
    selectors, services = _order_services()
    if not hasattr(order, "pk"):
        order = selectors.order_by_pk(order)
    return services.lock_order(order)


def lock_order_for_booking(order, customer):
    """Lock ``order`` and check a measurement may be booked for it by (or for)
    ``customer``: it is theirs, it waits for its measurement and has no measurement booked
    yet. Returns ``(key, number)``; a field error on ``order`` otherwise."""
    unknown = _("Choose one of your orders.")
    if not apps.is_installed("istok_orders"):
        raise error("order", unknown, "unknown")
    selectors, _services = _order_services()
    pk = getattr(order, "pk", order)
    try:
        locked = lock_order(selectors.order_by_pk(int(pk)))
    except Exception:
        raise error("order", unknown, "unknown") from None
    if customer is None or locked.customer_id != customer.pk:
        raise error("order", unknown, "unknown")
    if locked.status != settings.ISTOK_BOOKING_ORDER_MEASUREMENT_STATUS:
        raise error("order", _("This order is not waiting for a measurement."), "not_waiting")
    if measurement_appointment(locked) is not None:
        raise error(
            "order", _("A measurement is already booked for this order."), "already_booked"
        )
    return locked.pk, locked.number


def measurement_completed(order, appointment, *, actor=None):
    """Move ``order`` (locked by the caller) from the measurement to the next status
    (``ISTOK_BOOKING_ORDER_AFTER_MEASUREMENT_STATUS``) through istok_orders'
    ``set_status``, so the change is on the order's timeline and its customer is told.
    Nothing happens when the order has already moved on."""
    _selectors, services = _order_services()
    if order.status != settings.ISTOK_BOOKING_ORDER_MEASUREMENT_STATUS:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The measurement visit took place.")
    services.set_status(
        order, settings.ISTOK_BOOKING_ORDER_AFTER_MEASUREMENT_STATUS, actor=actor, note=note
    )
    return True


def measurement_appointment(order):
    """The measurement visit booked for ``order`` and still to take place (requested or
    confirmed), or ``None``."""
    return (
        Appointment.objects.filter(order_id=order.pk, status__in=Appointment.ACTIVE)
        .order_by("-starts_at")
        .first()
    )


def order_links(sender, order, user, **kwargs):
    """``istok_orders.signals.order_links``: on the page of an order waiting for its
    measurement, its customer gets "Book the measurement" (the booking page with the
    measurement kind and the order chosen), or a link to the visit booked already."""
    if order.status != settings.ISTOK_BOOKING_ORDER_MEASUREMENT_STATUS:
        return []
    if getattr(user, "pk", None) != order.customer_id:
        return []
    booked = measurement_appointment(order)
    try:
        if booked is not None:
            url = reverse("istok_booking:appointment_detail", kwargs={"pk": booked.pk})
            when = formats.date_format(
                timezone.localtime(booked.starts_at), "DATETIME_FORMAT", use_l10n=True
            )
            return [{"label": _("Your measurement: %(when)s") % {"when": when}, "url": url}]
        url = reverse("istok_booking:appointment_create")
    except NoReverseMatch:
        return []
    query = urlencode({"kind": settings.ISTOK_BOOKING_ORDER_MEASUREMENT_KIND, "order": order.pk})
    return [{"label": _("Book the measurement"), "url": f"{url}?{query}"}]


def connect():
    """Connect to istok_orders' signals (``AppConfig.ready()``, when it is installed)."""
    from istok_orders.signals import order_links as order_links_signal

    order_links_signal.connect(order_links, dispatch_uid="istok_booking.order_links")
