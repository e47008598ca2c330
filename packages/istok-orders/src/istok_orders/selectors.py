"""Read queries shared by the pages, the API, the admin, the command and other apps."""

import logging
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from . import signals
from .models import Adjustment, Document, Order, OrderEvent
from .pipeline import get_pipeline

logger = logging.getLogger("istok_orders")

VIEW_ANY_ORDER = "istok_orders.view_order"


def customer_orders(user):
    """The orders of ``user`` (none for an anonymous visitor), newest first."""
    if not getattr(user, "is_authenticated", False):
        return Order.objects.none()
    return Order.objects.filter(customer=user).select_related("delivery_zone")


def can_see_any_order(user):
    """Staff with the ``view_order`` permission see every order and every document."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_staff
        and user.has_perm(VIEW_ANY_ORDER)
    )


def visible_orders(user):
    """The orders ``user`` may open: their own, or all of them for staff who may view
    orders. Anybody else gets none (so a view answers 404)."""
    if can_see_any_order(user):
        return Order.objects.select_related("delivery_zone")
    return customer_orders(user)


def visible_documents(user, order):
    """The documents of ``order`` that ``user`` may download (all versions)."""
    documents = Document.objects.filter(order=order)
    if not can_see_any_order(user):
        documents = documents.filter(customer_visible=True)
    return documents


def order_adjustments(
    order, *, kind=None, reference_prefix=None, source_prefix=None, source_key=None
):
    """The adjustments of ``order``, oldest first; of one ``kind`` and/or whose reference
    starts with ``reference_prefix`` and/or whose ``source_key`` starts with
    ``source_prefix`` or is ``source_key`` (how another app finds the adjustments it
    made)."""
    adjustments = Adjustment.objects.filter(order=order).order_by("created", "pk")
    if kind is not None:
        adjustments = adjustments.filter(kind=kind)
    if reference_prefix is not None:
        adjustments = adjustments.filter(reference__startswith=reference_prefix)
    if source_prefix is not None:
        adjustments = adjustments.filter(source_key__startswith=source_prefix)
    if source_key is not None:
        adjustments = adjustments.filter(source_key=source_key)
    return adjustments


def managed_adjustments(source_prefix, *, kind=None):
    """``(order primary key, source_key, amount)`` of every adjustment, over all orders,
    whose ``source_key`` starts with ``source_prefix`` (what another app's consistency
    check compares with its own records)."""
    adjustments = Adjustment.objects.filter(source_key__startswith=source_prefix)
    if kind is not None:
        adjustments = adjustments.filter(kind=kind)
    return adjustments.order_by("pk").values_list("order_id", "source_key", "amount")


def order_links(order, user):
    """The links other apps offer on the page of ``order`` for ``user`` (their answers to
    the ``order_links`` signal), in the order they answered. A receiver that fails is
    logged and left out: the order page still opens."""
    links = []
    for receiver, answer in signals.order_links.send_robust(sender=Order, order=order, user=user):
        if isinstance(answer, Exception):
            logger.error("order_links receiver %r failed", receiver, exc_info=answer)
            continue
        for link in answer or ():
            if link.get("label") and link.get("url"):
                links.append({"label": str(link["label"]), "url": str(link["url"])})
    return links


def order_by_pk(pk):
    """The order whose primary key is ``pk`` (for a system task that kept only the key),
    or raise ``Order.DoesNotExist``."""
    return Order.objects.select_related("delivery_zone").get(pk=pk)


def order_for_user(user, number):
    """The order ``number`` if ``user`` may open it, else raise ``Order.DoesNotExist``."""
    return visible_orders(user).get(number=number)


def customer_timeline(order):
    """The events of ``order`` the customer sees, oldest first."""
    return order.events.filter(customer_visible=True)


@dataclass
class DocumentGroup:
    """The versions of one kind of document, newest first."""

    kind: str
    label: str
    latest: Document
    older: list = field(default_factory=list)


def document_groups(documents):
    """Group ``documents`` by kind (in the order of ``Document.Kind``), newest version first."""
    by_kind = {}
    for document in sorted(documents, key=lambda d: -d.version):
        by_kind.setdefault(document.kind, []).append(document)
    groups = []
    for kind, label in Document.Kind.choices:
        versions = by_kind.get(kind)
        if versions:
            groups.append(DocumentGroup(kind, label, versions[0], versions[1:]))
    return groups


@dataclass(frozen=True)
class ProgressStep:
    code: str
    label: str
    state: str  # "done", "current" or "upcoming"


def order_progress(order):
    """The progress bar of ``order``: every step of the pipeline with its state. An order
    in a status off the bar (cancelled) has every step upcoming."""
    steps = get_pipeline().progress_steps
    codes = [step.code for step in steps]
    position = codes.index(order.status) if order.status in codes else -1
    result = []
    for index, step in enumerate(steps):
        if position < 0 or index > position:
            state = "upcoming"
        elif index == position:
            state = "current"
        else:
            state = "done"
        result.append(ProgressStep(step.code, step.label, state))
    return result


def order_detail_queryset(user, *, staff_timeline=False):
    """``visible_orders(user)`` with what an order page shows, prefetched."""
    events = (
        OrderEvent.objects.all()
        if staff_timeline
        else OrderEvent.objects.filter(customer_visible=True)
    )
    return visible_orders(user).prefetch_related(
        "lines",
        "adjustments",
        Prefetch("events", queryset=events, to_attr="timeline"),
    )


@dataclass(frozen=True)
class FlaggedOrder:
    order: Order
    reasons: list


def flagged_orders(now=None):
    """Open orders that are overdue or stuck in their status, with the reasons, oldest
    deadline first."""
    now = now or timezone.now()
    orders = (
        Order.objects.flagged(now)
        .select_related("customer", "delivery_zone")
        .order_by("deadline", "status_changed_at", "pk")
    )
    return [FlaggedOrder(order, order.flags(now)) for order in orders]


def personal_data(user):
    """What the orders of ``user`` hold, JSON-ready (for the data export)."""
    orders = (
        Order.objects.filter(customer=user)
        .select_related("delivery_zone")
        .prefetch_related("lines", "adjustments", "documents")
        .order_by("order_date", "pk")
    )
    return [
        {
            "number": order.number,
            "status": order.status,
            "status_label": str(order.get_status_display()),
            "order_date": order.order_date,
            "deadline": order.deadline,
            "completion_date": order.completion_date,
            "delivery_date": order.delivery_date,
            "installation_date": order.installation_date,
            "delivery_address": order.delivery_address,
            "phone": order.phone,
            "delivery_zone": order.delivery_zone.code if order.delivery_zone else "",
            "subtotal": order.subtotal,
            "adjustments": [
                {"kind": a.kind, "label": a.label, "amount": a.amount}
                for a in order.adjustments.all()
            ],
            "delivery_cost": order.delivery_cost,
            "total": order.total,
            "currency": order.currency,
            "lines": [
                {
                    "name": line.product_name,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "configuration": line.configuration,
                }
                for line in order.lines.all()
            ],
            "documents": [
                {
                    "kind": d.kind,
                    "version": d.version,
                    "name": d.original_name,
                    "uploaded_at": d.uploaded_at,
                }
                for d in order.documents.all()
                if d.customer_visible
            ],
        }
        for order in orders
    ]
