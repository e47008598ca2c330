"""Lines, adjustments and the delivery zone: what an order costs."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from istok_core.transactions import retrying

from ..adapter import get_adapter
from ..models import Adjustment, DeliveryZone, Order, OrderLine
from ._common import (
    LINE_FIELDS,
    Event,
    _actor_id,
    _error,
    _event,
    _lock,
    _money,
    _product,
    _quantity,
    _recalculate,
    _sync,
    _text,
)


def _resolve_zone(zone, current_id=None):
    if zone in (None, ""):
        return None
    if isinstance(zone, DeliveryZone):
        lookup = {"pk": zone.pk}
    elif isinstance(zone, int) and not isinstance(zone, bool):
        lookup = {"pk": zone}
    elif isinstance(zone, str):
        lookup = {"code": zone}
    else:
        lookup = None
    found = DeliveryZone.objects.filter(**lookup).first() if lookup else None
    if found is None:
        raise _error("delivery_zone", _("Unknown delivery zone."), "unknown")
    if not found.is_active and found.pk != current_id:
        raise _error("delivery_zone", _("This delivery zone can no longer be chosen."), "inactive")
    return found


def _insert_line(order, product, quantity, unit_price, name, configuration):
    product = _product(product)
    quantity = _quantity(quantity)
    if unit_price is None and product is not None:
        unit_price = getattr(product, "price", None)
    if unit_price is None:
        raise _error("unit_price", _("Enter the unit price."), "required")
    unit_price = _money(unit_price, "unit_price")
    name = _text(name, "name", 255) or (str(product)[:255] if product is not None else "")
    if not name:
        raise _error("name", _("Name the item or choose a product."), "required")
    catalog_price = getattr(product, "price", None) if product is not None else None
    try:
        catalog_price = (
            _money(catalog_price, "product_price") if catalog_price is not None else None
        )
    except ValidationError:
        catalog_price = None
    position = order.lines.count() + 1
    return OrderLine.objects.create(
        order=order,
        position=position,
        product=product,
        product_name=name,
        product_price=catalog_price,
        quantity=quantity,
        unit_price=unit_price,
        configuration=_text(configuration, "configuration"),
    )


@retrying
@transaction.atomic
def add_line(
    order, product=None, *, quantity=1, unit_price=None, name="", configuration="", actor=None
):
    """Add a line to ``order`` and return it.

    ``product`` (an instance or a primary key of ``ISTOK_ORDERS_PRODUCT_MODEL``) is
    optional: a line without one needs a ``name``. The product's ``str()`` and its
    ``price`` (when it has one) are copied onto the line; ``unit_price`` defaults to that
    price. ``configuration`` holds sizes, colours and options.
    """
    locked = _lock(order)
    old_total = locked.total
    line = _insert_line(locked, product, quantity, unit_price, name, configuration)
    _recalculate(locked)
    _event(
        locked,
        Event.LINE,
        actor,
        action="added",
        line=line.pk,
        name=line.product_name,
        quantity=line.quantity,
        unit_price=line.unit_price,
        old_total=old_total,
        new_total=locked.total,
    )
    _sync(order, locked)
    line.order = order  # so that update_line(line) keeps the caller's order up to date
    return line


@retrying
@transaction.atomic
def update_line(line, *, actor=None, **changes):
    """Change a line's ``quantity``, ``unit_price``, ``name`` or ``configuration``."""
    unknown = set(changes) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"Not line fields: {', '.join(sorted(unknown))}")
    values = {}
    if "quantity" in changes:
        values["quantity"] = _quantity(changes["quantity"])
    if "unit_price" in changes:
        values["unit_price"] = _money(changes["unit_price"], "unit_price")
    if "name" in changes:
        values["product_name"] = _text(changes["name"], "name", 255)
        if not values["product_name"]:
            raise _error("name", _("Name the item."), "required")
    if "configuration" in changes:
        values["configuration"] = _text(changes["configuration"], "configuration")
    locked = _lock(line.order)
    current = OrderLine.objects.get(pk=line.pk, order=locked)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if changed:
        old_total = locked.total
        for name in changed:
            setattr(current, name, values[name])
        current.save(update_fields=changed)
        _recalculate(locked)
        _event(
            locked,
            Event.LINE,
            actor,
            action="changed",
            line=current.pk,
            name=current.product_name,
            quantity=current.quantity,
            unit_price=current.unit_price,
            fields=changed,
            old_total=old_total,
            new_total=locked.total,
        )
    for name in ("quantity", "unit_price", "product_name", "configuration"):
        setattr(line, name, getattr(current, name))
    _sync(line.order, locked)
    return line


@retrying
@transaction.atomic
def remove_line(line, *, actor=None):
    """Remove a line. Refused when the adjustments would then exceed the subtotal."""
    locked = _lock(line.order)
    current = OrderLine.objects.get(pk=line.pk, order=locked)
    old_total = locked.total
    current.delete()
    _recalculate(locked)
    _event(
        locked,
        Event.LINE,
        actor,
        action="removed",
        name=current.product_name,
        quantity=current.quantity,
        old_total=old_total,
        new_total=locked.total,
    )
    _sync(line.order, locked)


def _check_adjustments(order, extra):
    if order.adjustments_total + extra > order.subtotal:
        raise _error(
            "amount",
            _("The adjustments (%(adjustments)s) cannot exceed the subtotal (%(subtotal)s).")
            % {"adjustments": order.adjustments_total + extra, "subtotal": order.subtotal},
            "adjustments_exceed_subtotal",
        )


def _check_open(order):
    """Refuse a price change of a closed order (delivered, installed, cancelled): what it
    cost is settled, and other apps (loyalty's cashback and refunds) read it as final."""
    if order.is_closed:
        raise _error(
            "order",
            _("The order is closed: its price can no longer change."),
            "closed",
        )


def _check_managed(adjustment, source_key):
    """Refuse to change an adjustment another app backs, unless that app asks (it passes
    the adjustment's ``source_key``)."""
    if adjustment.source_key and adjustment.source_key != source_key:
        raise _error(
            "amount",
            _("This adjustment is backed by another record (%(label)s) and changes only with it.")
            % {"label": adjustment.label},
            "managed",
        )


@retrying
@transaction.atomic
def add_adjustment(order, kind, amount, *, label="", reference="", actor=None, source_key=None):
    """Take ``amount`` off the order's subtotal and return the new ``Adjustment``.

    ``kind`` is one of ``Adjustment.Kind`` (discount, promotion, points, manual);
    ``label`` is what the customer reads (default: the kind's name), ``reference`` what it
    comes from (a promotion code, a points transaction). The adjustments together may not
    exceed the subtotal, and a closed order's price does not change.

    ``source_key`` names the record of another app that backs the adjustment (istok_loyalty
    passes its ledger row): the database keeps at most one adjustment per key, and only a
    call that passes the same key may change or remove it (the admin shows it read-only).
    """
    if kind not in Adjustment.Kind.values:
        raise _error("kind", _("Unknown adjustment kind."), "unknown_kind")
    amount = _money(amount, "amount", positive=True)
    label = _text(label, "label", 255) or str(Adjustment.Kind(kind).label)
    reference = _text(reference, "reference", 255)
    source_key = _text(source_key, "source_key", 255) or None
    locked = _lock(order)
    _check_open(locked)
    _check_adjustments(locked, amount)
    old_total = locked.total
    try:
        with transaction.atomic():
            adjustment = Adjustment.objects.create(
                order=locked,
                kind=kind,
                label=label,
                reference=reference,
                amount=amount,
                source_key=source_key,
                created_by_id=_actor_id(actor),
            )
    except IntegrityError:
        if source_key and Adjustment.objects.filter(source_key=source_key).exists():
            raise _error(
                "source_key",
                _("This record already backs an adjustment."),
                "duplicate_source",
            ) from None
        raise
    _recalculate(locked)
    _event(
        locked,
        Event.PRICE,
        actor,
        action="added",
        adjustment=adjustment.pk,
        kind=kind,
        label=label,
        reference=reference,
        amount=amount,
        old_total=old_total,
        new_total=locked.total,
    )
    _sync(order, locked)
    adjustment.order = order
    return adjustment


@retrying
@transaction.atomic
def update_adjustment(adjustment, *, actor=None, amount=None, label=None, reference=None):
    """Change an adjustment's ``amount``, ``label`` or ``reference`` (``None``: unchanged)."""
    values = {}
    if amount is not None:
        values["amount"] = _money(amount, "amount", positive=True)
    if label is not None:
        values["label"] = _text(label, "label", 255)
        if not values["label"]:
            raise _error("label", _("Give the adjustment a label."), "required")
    if reference is not None:
        values["reference"] = _text(reference, "reference", 255)
    locked = _lock(adjustment.order)
    current = Adjustment.objects.get(pk=adjustment.pk, order=locked)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if changed:
        _check_managed(current, None)
        _check_open(locked)
        if "amount" in changed:
            _check_adjustments(locked, values["amount"] - current.amount)
        old_total = locked.total
        for name in changed:
            setattr(current, name, values[name])
        current.save(update_fields=changed)
        _recalculate(locked)
        _event(
            locked,
            Event.PRICE,
            actor,
            action="changed",
            adjustment=current.pk,
            kind=current.kind,
            label=current.label,
            reference=current.reference,
            amount=current.amount,
            old_total=old_total,
            new_total=locked.total,
        )
    for name in ("amount", "label", "reference"):
        setattr(adjustment, name, getattr(current, name))
    _sync(adjustment.order, locked)
    return adjustment


@retrying
@transaction.atomic
def remove_adjustment(adjustment, *, actor=None, source_key=None):
    """Remove an adjustment: its amount is no longer taken off. An adjustment another app
    backs is removed only by that app, which passes its ``source_key`` (istok_loyalty
    does when it gives the points of a cancelled order back)."""
    locked = _lock(adjustment.order)
    current = Adjustment.objects.get(pk=adjustment.pk, order=locked)
    _check_managed(current, source_key)
    old_total = locked.total
    current.delete()
    _recalculate(locked)
    _event(
        locked,
        Event.PRICE,
        actor,
        action="removed",
        kind=current.kind,
        label=current.label,
        amount=current.amount,
        old_total=old_total,
        new_total=locked.total,
    )
    _sync(adjustment.order, locked)


@retrying
@transaction.atomic
def set_delivery_zone(order, zone, *, cost=None, reason="", actor=None):
    """Deliver ``order`` to ``zone`` (a ``DeliveryZone``, its code or primary key; ``None``:
    no delivery) and price the delivery.

    Without ``cost`` the adapter prices it (default: the zone's cost). A manager may
    override it with ``cost`` and must then give a ``reason``. The price is kept as set:
    a later change of the zone's cost in the admin does not change existing orders until
    their zone is set again.
    """
    current_id = (
        Order.objects.filter(pk=order.pk).values_list("delivery_zone_id", flat=True).first()
    )
    zone = _resolve_zone(zone, current_id)
    reason = _text(reason, "delivery_cost_reason", 255)
    if cost not in (None, ""):
        cost = _money(cost, "delivery_cost")
        if not reason:
            raise _error(
                "delivery_cost_reason", _("Say why the delivery cost is set by hand."), "required"
            )
        overridden = True
    else:
        cost, reason, overridden = None, "", False
    locked = _lock(order)
    if cost is None:
        cost = _money(get_adapter().delivery_cost(zone, locked), "delivery_cost")
    new = (zone.pk if zone else None, cost, overridden, reason)
    old = (
        locked.delivery_zone_id,
        locked.delivery_cost,
        locked.delivery_cost_overridden,
        locked.delivery_cost_reason,
    )
    if new != old:
        old_total = locked.total
        locked.delivery_zone = zone
        locked.delivery_cost = cost
        locked.delivery_cost_overridden = overridden
        locked.delivery_cost_reason = reason
        locked.save(
            update_fields=[
                "delivery_zone",
                "delivery_cost",
                "delivery_cost_overridden",
                "delivery_cost_reason",
            ]
        )
        _recalculate(locked)
        _event(
            locked,
            Event.DELIVERY,
            actor,
            zone=zone.code if zone else "",
            zone_name=zone.name if zone else "",
            cost=cost,
            overridden=overridden,
            reason=reason,
            old_total=old_total,
            new_total=locked.total,
        )
    _sync(order, locked)
    return order
