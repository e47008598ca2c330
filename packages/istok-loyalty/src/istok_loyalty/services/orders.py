"""Points and orders (istok_orders, optional): cashback, paying with points, giving them
back on cancellation, confirming a referral. Orders are only touched through
``istok_orders.services``; these functions take an order from ``istok_orders.selectors``
or from its signals."""

from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from .. import selectors
from ..adapter import get_adapter
from ._ledger import Reason, Type, check_points, error, existing, insufficient, lock_account, write
from .points import earn, redeem
from .referrals import confirm_referral


def _require_orders():
    if not apps.is_installed("istok_orders"):
        raise RuntimeError("istok_orders is not installed.")


def award_order_cashback(order):
    """Give the customer of ``order`` its cashback (the adapter's ``order_cashback``),
    once per order. ``None`` when the cashback is zero."""
    points = get_adapter().order_cashback(order)
    if points <= 0:
        return None
    return earn(
        order.customer,
        points,
        reason=Reason.ORDER_CASHBACK,
        idempotency_key=f"cashback:{order.pk}",
        source=order,
        reference=order.number,
    )


def max_points_for_order(user, order, *, balance=None):
    """How many points ``user`` may still spend on ``order`` now: within the adapter's
    share of the subtotal (less what points already paid), what is left of the subtotal
    after the other adjustments, and the balance."""
    adapter = get_adapter()
    if not adapter.can_pay_order(order):
        return 0
    paid = adapter.points_to_money(selectors.points_paid_for_order(order))
    share = adapter.max_points_money(order) - paid
    room = Decimal(order.subtotal) - Decimal(order.adjustments_total)
    points = adapter.money_to_points(min(share, room))
    if balance is None:
        balance = selectors.balance(user)
    return max(0, min(points, balance))


@transaction.atomic
def pay_order_with_points(user, order, points, *, actor=None, idempotency_key=None):
    """Pay part of ``order`` with ``points`` of ``user`` (its customer) and return the
    ``redeem`` row.

    In one transaction: the points are redeemed (oldest first) and the matching amount
    (``points × ISTOK_LOYALTY_POINT_VALUE``) is added to the order as an adjustment of
    kind "points" through ``istok_orders.services.add_adjustment``, whose reference names
    the ledger row. Refused with a ``ValidationError`` and nothing written: another
    customer's order, a closed order, more points than the balance or than the order's
    limit (``ISTOK_LOYALTY_MAX_ORDER_SHARE_PERCENT`` of its subtotal in all).
    """
    _require_orders()
    from istok_orders import selectors as order_selectors
    from istok_orders import services as order_services

    if getattr(order, "customer_id", None) != getattr(user, "pk", None):
        raise error("order", _("This is not your order."), "not_yours")
    adapter = get_adapter()
    if not adapter.can_pay_order(order):
        raise error("order", _("Points can no longer pay for this order."), "closed")
    points = check_points(points)
    found = existing(idempotency_key)
    if found is not None:
        return found
    # The account's lock orders the payments of one customer: the limit below counts
    # every earlier payment.
    account = lock_account(user)
    if points > account.balance:
        raise insufficient(account.balance, points)
    # The limit from the order as it is now (a manager may have changed it meanwhile);
    # add_adjustment below updates the caller's instance.
    current = order_selectors.customer_orders(user).get(pk=order.pk)
    allowed = max_points_for_order(user, current, balance=account.balance)
    if points > allowed:
        raise error(
            "points",
            _("At most %(max)s points can pay for this order.") % {"max": allowed},
            "over_limit",
        )
    number = selectors.order_transactions(order).filter(type=Type.REDEEM).count() + 1
    row = redeem(
        user,
        points,
        reason=Reason.REDEEMED_ON_ORDER,
        idempotency_key=idempotency_key or f"redeem:{order.pk}:{number}",
        source=order,
        reference=order.number,
        actor=actor,
    )
    order_services.add_adjustment(
        order,
        "points",
        adapter.points_to_money(points),
        label=_("Paid with %(points)s bonus points") % {"points": points},
        reference=f"istok_loyalty:{row.pk}",
        actor=actor,
    )
    return row


def refund_order_points(order):
    """Give back the points that paid for ``order`` (it was cancelled), once. ``None``
    when points paid nothing."""
    paid = selectors.points_paid_for_order(order)
    if paid <= 0:
        return None
    return write(
        order.customer,
        paid,
        type=Type.ADJUST,
        reason=Reason.ORDER_CANCELLED,
        idempotency_key=f"refund:{order.pk}",
        source=order,
        reference=order.number,
        expires_at=get_adapter().award_expires_at(Reason.ORDER_CANCELLED),
    )


def order_status_changed(order, new_status):
    """What a status change of ``order`` means for points: the cashback, the referral's
    confirmation, the points given back. Each happens at most once, however often it is
    called. Returns the list of what it wrote (ledger rows and referrals)."""
    adapter = get_adapter()
    done = []
    if new_status == adapter.cashback_status():
        done.append(award_order_cashback(order))
    if new_status == adapter.referral_confirm_status():
        done.append(confirm_referral(order.customer, order=order))
    if new_status in adapter.cancelled_statuses():
        done.append(refund_order_points(order))
    return [item for item in done if item is not None]
