"""What the services share: checking input, locking, the timeline, totals, notifying."""

import logging
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import get_product_model
from ..adapter import get_adapter
from ..models import Order, OrderEvent

logger = logging.getLogger("istok_orders")

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_MONEY = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
MAX_QUANTITY = 2_147_483_647
#: The dates :func:`change_dates` changes.
DATE_FIELDS = ("order_date", "deadline", "completion_date", "delivery_date", "installation_date")
#: The fields :func:`update_details` changes.
DETAIL_FIELDS = ("delivery_address", "phone", "notes")
#: The line fields :func:`update_line` changes.
LINE_FIELDS = ("quantity", "unit_price", "name", "configuration")

Event = OrderEvent.Kind


# Checking input ---------------------------------------------------------------------------


def _error(field, message, code):
    """A ``ValidationError`` on ``field`` whose error carries ``code``."""
    return ValidationError({field: ValidationError(message, code=code)})


def _money(value, field, *, positive=False):
    """``value`` as an amount of money with two decimals, or a field error."""
    if value is None or value == "" or isinstance(value, bool):
        raise _error(field, _("Enter an amount."), "required")
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite():
            raise ValueError(value)
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise _error(field, _("Enter a valid amount."), "invalid") from None
    if amount < 0:
        raise _error(field, _("The amount cannot be negative."), "negative")
    if positive and amount == 0:
        raise _error(field, _("The amount must be greater than zero."), "zero")
    if amount > MAX_MONEY:
        raise _error(field, _("The amount is too large."), "too_large")
    return amount


def _quantity(value):
    message = _("The quantity must be a whole number of at least 1.")
    if isinstance(value, bool) or value is None:
        raise _error("quantity", message, "invalid")
    try:
        number = Decimal(str(value).strip())
        quantity = int(number)
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        raise _error("quantity", message, "invalid") from None
    if number != quantity or quantity < 1:
        raise _error("quantity", message, "invalid")
    if quantity > MAX_QUANTITY:
        raise _error("quantity", _("The quantity is too large."), "too_large")
    return quantity


def _date(value, field, *, required=False):
    if value in (None, ""):
        if required:
            raise _error(field, _("Enter a date."), "required")
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _error(field, _("Enter a valid date."), "invalid") from None


def _text(value, field, max_length=None):
    value = "" if value is None else str(value).strip()
    if max_length and len(value) > max_length:
        raise _error(
            field,
            _("Use at most %(limit)s characters.") % {"limit": max_length},
            "max_length",
        )
    return value


def _actor_id(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor.pk


def _product(product):
    if product is None:
        return None
    model = get_product_model()
    if isinstance(product, model):
        if product.pk is None:
            raise _error("product", _("Save the product first."), "unsaved")
        return product
    try:
        return model._default_manager.get(pk=product)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise _error("product", _("Unknown product."), "unknown") from None


# Helpers ----------------------------------------------------------------------------------


def _lock(order):
    """The order's row, locked until the transaction ends (a no-op lock on SQLite, which
    runs one writer at a time)."""
    return Order.objects.select_for_update(of=("self",)).get(pk=order.pk)


def lock_order(order):
    """Lock the row of ``order`` until the caller's transaction ends and return it as it is
    now (a new instance). Call it inside ``transaction.atomic``.

    The order's row is the first lock of every operation that changes an order together
    with another app's rows (istok_loyalty's payments, refunds and cashback): take it
    before any other row, then check the order's state on what this returns (see the
    lock order in the architecture documentation).
    """
    return _lock(order)


def _sync(target, source):
    """Copy the saved state of ``source`` onto the caller's instance ``target``."""
    if target is source:
        return
    for field in Order._meta.concrete_fields:
        value = getattr(source, field.attname)
        if field.is_relation and field.is_cached(target):
            cached = field.get_cached_value(target)
            if cached is None or cached.pk != value:
                field.delete_cached_value(target)
        setattr(target, field.attname, value)


def _event(order, kind, actor, /, *, customer_visible=True, note="", **data):
    old_status = data.pop("old_status", "")
    new_status = data.pop("new_status", "")
    return OrderEvent.objects.create(
        order=order,
        kind=kind,
        actor_id=_actor_id(actor),
        customer_visible=customer_visible,
        note=note,
        old_status=old_status,
        new_status=new_status,
        data=data,
    )


def _recalculate(order):
    """Store the price breakdown of ``order`` (locked) from its lines and adjustments."""
    subtotal = sum(
        (
            quantity * price
            for quantity, price in order.lines.values_list("quantity", "unit_price")
        ),
        ZERO,
    )
    adjustments = sum(order.adjustments.values_list("amount", flat=True), ZERO)
    if adjustments > subtotal:
        raise ValidationError(
            _("The adjustments (%(adjustments)s) cannot exceed the subtotal (%(subtotal)s).")
            % {"adjustments": adjustments, "subtotal": subtotal},
            code="adjustments_exceed_subtotal",
        )
    total = subtotal - adjustments + order.delivery_cost
    if subtotal > MAX_MONEY or total > MAX_MONEY:
        raise ValidationError(_("The order's total is too large."), code="too_large")
    order.subtotal, order.adjustments_total, order.total = subtotal, adjustments, total
    order.save(update_fields=["subtotal", "adjustments_total", "total"])


def _notify(order, event):
    try:
        get_adapter().notify_customer(order, event)
    except Exception:
        # The change has committed; a mail server or an adapter failing must not undo it
        # or reach the user as an error.
        logger.exception("Could not notify the customer of order %s", order.number)


def _after_commit(function, *args, **kwargs):
    transaction.on_commit(partial(function, *args, **kwargs))
