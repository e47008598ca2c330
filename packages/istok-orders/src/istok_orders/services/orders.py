"""Creating orders, moving them along the pipeline, their dates, details and notes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from istok_core.transactions import retrying

from ..adapter import get_adapter
from ..models import Order
from ..pipeline import get_pipeline
from ..signals import order_created, order_status_changed
from ._common import (
    DATE_FIELDS,
    Event,
    _after_commit,
    _date,
    _error,
    _event,
    _lock,
    _money,
    _notify,
    _recalculate,
    _sync,
    _text,
)
from .prices import _insert_line, _resolve_zone


@retrying
@transaction.atomic
def create_order(
    customer,
    *,
    lines=(),
    actor=None,
    status=None,
    order_date=None,
    deadline=None,
    delivery_address="",
    phone="",
    notes="",
    delivery_zone=None,
):
    """Create an order (contract) of ``customer`` and return it.

    ``lines`` is a list of dicts with the arguments of :func:`add_line` (``product``,
    ``quantity``, ``unit_price``, ``name``, ``configuration``). The number comes from the
    adapter's ``next_number``; the status is the pipeline's first unless ``status`` is
    given (importing an order already under way). ``order_created`` is sent after commit.
    """
    pipeline = get_pipeline()
    status = status or pipeline.initial.code
    if status not in pipeline:
        raise _error(
            "status", _("Unknown status “%(status)s”.") % {"status": status}, "unknown_status"
        )
    if customer is None or getattr(customer, "pk", None) is None:
        raise _error("customer", _("Choose the customer."), "required")
    order = Order(
        customer=customer,
        status=status,
        order_date=_date(order_date, "order_date") or timezone.localdate(),
        deadline=_date(deadline, "deadline"),
        delivery_address=_text(delivery_address, "delivery_address"),
        phone=_text(phone, "phone", 32),
        notes=_text(notes, "notes"),
    )
    date_field = pipeline[status].date_field
    if date_field and getattr(order, date_field) is None:
        setattr(order, date_field, timezone.localdate())
    order.number = get_adapter().next_number(order)
    order.save()
    names = []
    for line in lines:
        line = dict(line)
        added = _insert_line(
            order,
            line.pop("product", None),
            line.pop("quantity", 1),
            line.pop("unit_price", None),
            line.pop("name", ""),
            line.pop("configuration", ""),
        )
        if line:
            raise TypeError(f"Unknown line arguments: {', '.join(sorted(line))}")
        names.append(added.product_name)
    # The lines' subtotal first: the adapter may price the delivery by it.
    _recalculate(order)
    if delivery_zone not in (None, ""):
        zone = _resolve_zone(delivery_zone)
        order.delivery_zone = zone
        order.delivery_cost = _money(get_adapter().delivery_cost(zone, order), "delivery_cost")
        order.save(update_fields=["delivery_zone", "delivery_cost"])
        _recalculate(order)
    _event(order, Event.CREATED, actor, number=order.number, lines=names, total=order.total)
    _after_commit(order_created.send, sender=Order, order=order, actor=actor)
    return order


@retrying
@transaction.atomic
def set_status(order, status, actor=None, note=""):
    """Move ``order`` to ``status`` if the pipeline allows it from its current status.

    Refuses an unknown status, the status it is already in, and any transition the
    pipeline does not list (``ValidationError`` on ``status``). Locks the order's row, so
    of two conflicting changes at once one wins and the other is refused. Fills the
    status's ``date_field`` when still empty (the delivery date on "delivered"), records
    the event (visible to the customer as the status says) and, after commit, sends
    ``order_status_changed`` and notifies the customer of a visible change.
    """
    pipeline = get_pipeline()
    target = pipeline.get(status)
    if target is None:
        raise _error(
            "status", _("Unknown status “%(status)s”.") % {"status": status}, "unknown_status"
        )
    locked = _lock(order)
    old = locked.status
    if old == status:
        raise _error(
            "status",
            _("The order is already in the status “%(status)s”.") % {"status": target.label},
            "same_status",
        )
    if not pipeline.allows(old, status):
        raise _error(
            "status",
            _("An order cannot go from “%(old)s” to “%(new)s”.")
            % {"old": pipeline.label(old), "new": target.label},
            "transition_not_allowed",
        )
    now = timezone.now()
    locked.status, locked.status_changed_at = status, now
    fields = ["status", "status_changed_at"]
    filled = {}
    if target.date_field and getattr(locked, target.date_field) is None:
        setattr(locked, target.date_field, timezone.localdate(now))
        fields.append(target.date_field)
        filled = {"date_field": target.date_field}
    locked.save(update_fields=fields)
    event = _event(
        locked,
        Event.STATUS,
        actor,
        customer_visible=target.customer_visible,
        note=_text(note, "note"),
        old_status=old,
        new_status=status,
        **filled,
    )
    _after_commit(
        order_status_changed.send,
        sender=Order,
        order=locked,
        old_status=old,
        new_status=status,
        actor=actor,
    )
    if target.customer_visible:
        _after_commit(_notify, locked, event)
    _sync(order, locked)
    return order


@retrying
@transaction.atomic
def change_dates(order, *, actor=None, **dates):
    """Set or clear the dates given (names in :data:`DATE_FIELDS`; a ``date``, an ISO
    string or ``None``). Each changed date is an event the customer sees."""
    unknown = set(dates) - set(DATE_FIELDS)
    if unknown:
        raise TypeError(f"Not order dates: {', '.join(sorted(unknown))}")
    values = {
        name: _date(value, name, required=name == "order_date") for name, value in dates.items()
    }
    locked = _lock(order)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name in changed:
        old = getattr(locked, name)
        setattr(locked, name, values[name])
        _event(locked, Event.DATE, actor, field=name, old=old, new=values[name])
    if changed:
        locked.save(update_fields=changed)
    _sync(order, locked)
    return order


@retrying
@transaction.atomic
def update_details(order, *, actor=None, delivery_address=None, phone=None, notes=None):
    """Change the delivery address, the contact phone or the internal notes (``None``:
    unchanged). The event is visible to the customer unless only the notes changed."""
    given = {"delivery_address": delivery_address, "phone": phone, "notes": notes}
    values = {
        name: _text(value, name, 32 if name == "phone" else None)
        for name, value in given.items()
        if value is not None
    }
    locked = _lock(order)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if changed:
        for name in changed:
            setattr(locked, name, values[name])
        locked.save(update_fields=changed)
        visible = changed != ["notes"]
        _event(locked, Event.DETAILS, actor, customer_visible=visible, fields=changed)
    _sync(order, locked)
    return order


@retrying
@transaction.atomic
def add_note(order, text, *, actor=None, customer_visible=False):
    """Put a manager's note on the order's timeline (hidden from the customer unless
    ``customer_visible``)."""
    text = _text(text, "note")
    if not text:
        raise _error("note", _("Write the note."), "required")
    locked = _lock(order)
    return _event(locked, Event.NOTE, actor, customer_visible=customer_visible, note=text)
