"""istok_orders, read through its selectors: the customer's orders for the bot ("About my
current order"), and the order attached to a conversation."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError


def available():
    return apps.is_installed("istok_orders")


def order_info(order):
    """What the chat shows of ``order``, JSON-ready: ``pk``, ``number``, ``status``,
    ``status_label``, ``progress`` (``done`` steps of ``total``, and ``percent``) and
    ``deadline`` (ISO date or ``None``), read as the order is now."""
    from istok_orders.selectors import order_progress

    steps = order_progress(order)
    reached = sum(1 for step in steps if step.state in ("done", "current"))
    total = len(steps)
    return {
        "pk": str(order.pk),
        "number": order.number,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "progress": {
            "done": reached,
            "total": total,
            "percent": round(100 * reached / total) if total else 0,
        },
        "deadline": order.deadline.isoformat() if order.deadline else None,
    }


def open_orders(user, limit=None):
    """The open orders of ``user``, newest first, at most ``limit``
    (``ISTOK_SUPPORT_BOT_ORDERS_LIMIT``), as :func:`order_info` dicts."""
    if not available():
        return []
    from istok_orders.selectors import customer_orders

    limit = limit or settings.ISTOK_SUPPORT_BOT_ORDERS_LIMIT
    queryset = customer_orders(user).open().order_by("-order_date", "-pk")[:limit]
    return [order_info(order) for order in queryset]


def customer_order(user, pk):
    """The order ``pk`` of ``user`` as an :func:`order_info` dict, or ``None`` when it is
    not theirs, does not exist, or istok_orders is not installed."""
    if not available():
        return None
    from istok_orders.selectors import customer_orders

    queryset = customer_orders(user)
    try:
        return order_info(queryset.get(pk=pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def attached_order(conversation):
    """The order attached to ``conversation``, as it is now (an :func:`order_info` dict),
    or ``None`` (none attached, istok_orders not installed, the order gone)."""
    if not conversation.order_pk or not available():
        return None
    return customer_order(conversation.customer, conversation.order_pk)


def orders_of(user):
    """Every order of ``user`` (open or not), newest first, as :func:`order_info` dicts:
    what the staff see beside a conversation. Empty without istok_orders."""
    if not available():
        return []
    from istok_orders.selectors import customer_orders

    return [order_info(o) for o in customer_orders(user).order_by("-order_date", "-pk")]
