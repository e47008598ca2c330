"""istok_orders: a measurement visit booked for an order that waits for its measurement;
completing the visit moves the order on, on its timeline. istok_orders knows nothing of
istok_booking: this module uses its services and selectors only, and adds the "Book the
measurement" link to the order page through istok_orders' ``order_links`` signal."""

from django.apps import apps
from django.conf import settings
from django.utils import translation
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
    selectors, _services = _order_services()
    unknown = _("Choose one of your orders.")
    pk = getattr(order, "pk", order)
    try:
        locked = lock_order(selectors.order_by_pk(int(pk)))
    except Exception:
        raise error("order", unknown, "unknown") from None
    if customer is None or locked.customer_id != customer.pk:
        raise error("order", unknown, "unknown")
    if locked.status != settings.ISTOK_BOOKING_ORDER_MEASUREMENT_STATUS:
        raise error("order", _("This order is not waiting for a measurement."), "not_waiting")
    if Appointment.objects.filter(order_id=locked.pk, status__in=Appointment.ACTIVE).exists():
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
    """The active or completed measurement visit booked for ``order``, or ``None``."""
    return (
        Appointment.objects.filter(order_id=order.pk)
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def connect():
    """Connect what istok_orders offers (called by ``AppConfig.ready()`` when it is
    installed)."""
    if not apps.is_installed("istok_orders"):
        return
