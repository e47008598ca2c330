"""Points and orders (istok_orders, optional): cashback, paying with points, giving them
back on cancellation, confirming a referral. Orders are only touched through
``istok_orders.services`` and read through ``istok_orders.selectors``.

A points payment is one unit in two packages: the ledger's debit and the order's
adjustment are written in one transaction, the adjustment's ``source_key`` names the
ledger row (the orders database keeps one adjustment per key) and a refund's ``reverses``
names the payment (the ledger keeps one refund per payment). Every function here takes
its locks in the documented order, the order's row first, then the loyalty accounts, and
decides only after it holds them: so a payment, a cancellation, a delivery and a retry with
the same idempotency key can run at the same moment in any order and leave both sides
equal.
"""

import sys
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from istok_core.exceptions import require_app
from istok_core.transactions import retrying

from .. import selectors
from ..adapter import get_adapter
from ..models import FailedReaction, LoyaltyTransaction
from ._ledger import (
    Reason,
    Type,
    check_key,
    check_points,
    error,
    existing,
    insufficient,
    lock_account,
    replay,
    source_fields,
    write,
)
from .points import earn
from .referrals import confirm_referral

#: The start of the ``source_key`` of a points payment's adjustment on an order; the
#: ledger row's primary key follows (``istok_loyalty:42``).
PAYMENT_SOURCE = "istok_loyalty:"


def payment_source_key(row):
    """The ``source_key`` of the order adjustment that the payment ``row`` backs."""
    return f"{PAYMENT_SOURCE}{row.pk}"


def _require_orders():
    """Raise ``AppNotInstalled`` (istok-core's) naming the calling service."""
    caller = sys._getframe(1).f_code.co_name
    require_app("istok_orders", f"istok_loyalty.services.{caller}")


def _lock_order(order):
    """The order's row locked (the first lock: see the module's docstring)."""
    from istok_orders import services as order_services

    return order_services.lock_order(order)


def award_order_cashback(order):
    """Give the customer of ``order`` its cashback (the adapter's ``order_cashback``),
    once per order, computed under the order's lock from its recorded total. ``None``
    when the cashback is zero or the order was cancelled."""
    _require_orders()
    with transaction.atomic():
        locked = _lock_order(order)
        if locked.status in get_adapter().cancelled_statuses():
            return None
        points = get_adapter().order_cashback(locked)
        if points <= 0:
            return None
        return earn(
            locked.customer,
            points,
            reason=Reason.ORDER_CASHBACK,
            idempotency_key=f"cashback:{locked.pk}",
            source=locked,
            reference=locked.number,
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


@retrying
@transaction.atomic
def pay_order_with_points(user, order, points, *, actor=None, idempotency_key=None):
    """Pay part of ``order`` with ``points`` of ``user`` (its customer) and return the
    ``redeem`` row.

    In one transaction, under the order's lock and then the account's: the points are
    redeemed (oldest first) and the matching amount (``points ×
    ISTOK_LOYALTY_POINT_VALUE``) is added to the order as an adjustment of kind "points"
    through ``istok_orders.services.add_adjustment``, backed by the ledger row
    (``source_key``). Refused with a ``ValidationError`` and nothing written: another
    customer's order, a closed order, more points than the balance or than the order's
    limit (``ISTOK_LOYALTY_MAX_ORDER_SHARE_PERCENT`` of its subtotal in all).

    ``idempotency_key`` (scoped to the customer's account): the same payment sent again
    returns the first row (with ``replayed = True``) and pays nothing more, also when the
    two arrive at once; the key sent with another order or other points raises
    :class:`~istok_loyalty.services.IdempotencyConflict`.
    """
    _require_orders()
    from istok_orders import services as order_services

    points = check_points(points)
    key = check_key(idempotency_key)
    locked = _lock_order(order)
    if locked.customer_id != getattr(user, "pk", None):
        raise error("order", _("This is not your order."), "not_yours")
    account = lock_account(user)
    content_type, object_id = source_fields(locked)
    found = existing(account, key)
    if found is not None:
        row = replay(
            found,
            delta=-points,
            type=Type.REDEEM,
            reason=Reason.REDEEMED_ON_ORDER,
            content_type=content_type,
            object_id=object_id,
        )
        row.replayed = True
        return row
    adapter = get_adapter()
    if not adapter.can_pay_order(locked):
        raise error("order", _("Points can no longer pay for this order."), "closed")
    if points > account.balance:
        raise insufficient(account.balance, points)
    allowed = max_points_for_order(user, locked, balance=account.balance)
    if points > allowed:
        raise error(
            "points",
            _("At most %(max)s points can pay for this order.") % {"max": allowed},
            "over_limit",
        )
    number = selectors.order_transactions(locked).filter(type=Type.REDEEM).count() + 1
    row = write(
        user,
        -points,
        type=Type.REDEEM,
        reason=Reason.REDEEMED_ON_ORDER,
        idempotency_key=key or f"redeem:{locked.pk}:{number}",
        source=locked,
        reference=locked.number,
        actor=actor,
    )
    # ``order`` (the caller's instance) is updated with the new totals.
    order_services.add_adjustment(
        order,
        "points",
        adapter.points_to_money(points),
        label=_("Paid with %(points)s bonus points") % {"points": points},
        reference=payment_source_key(row),
        source_key=payment_source_key(row),
        actor=actor,
    )
    row.replayed = False
    return row


def refund_order_points(order):
    """Give back the points that paid for ``order`` (it was cancelled): for each payment
    not given back yet, a credit that ``reverses`` it, and the payment's adjustment
    removed from the order, in one transaction under the order's lock. Returns the new
    ledger rows (none when points paid nothing, or everything was given back already)."""
    _require_orders()
    from istok_orders import selectors as order_selectors
    from istok_orders import services as order_services

    adapter = get_adapter()
    rows = []
    with transaction.atomic():
        locked = _lock_order(order)
        if locked.status not in adapter.cancelled_statuses():
            return rows
        payments = (
            selectors.order_transactions(locked)
            .filter(type=Type.REDEEM, reason=Reason.REDEEMED_ON_ORDER)
            .filter(reversed_by__isnull=True)
            .select_related("account__user")
            .order_by("pk")
        )
        # istok-loyalty 0.1.0 gave everything back in one row per order (no ``reverses``).
        legacy = (
            selectors.order_transactions(locked)
            .filter(reason=Reason.ORDER_CANCELLED, reverses__isnull=True)
            .exists()
        )
        if legacy:
            return rows
        for payment in payments:
            rows.append(
                write(
                    payment.account.user,
                    payment.points,
                    type=Type.ADJUST,
                    reason=Reason.ORDER_CANCELLED,
                    idempotency_key=f"refund:{payment.pk}",
                    source=locked,
                    reference=locked.number,
                    expires_at=adapter.award_expires_at(Reason.ORDER_CANCELLED),
                    reverses=payment,
                )
            )
            adjustment = order_selectors.order_adjustments(
                locked, source_key=payment_source_key(payment)
            ).first()
            if adjustment is not None:
                order_services.remove_adjustment(
                    adjustment, source_key=payment_source_key(payment)
                )
    return rows


@retrying
@transaction.atomic
def order_status_changed(order, new_status):
    """What a status change of ``order`` means for points: the cashback, the referral's
    confirmation, the points given back. Each happens at most once, however often it is
    called, and is decided under the order's lock from what is recorded, so the order in
    which concurrent changes commit does not matter. Returns the list of what it wrote
    (ledger rows and referrals)."""
    _require_orders()
    adapter = get_adapter()
    locked = _lock_order(order)
    done = []
    if new_status == adapter.cashback_status():
        done.append(award_order_cashback(locked))
    if new_status == adapter.referral_confirm_status() and (
        locked.status not in adapter.cancelled_statuses()
    ):
        done.append(confirm_referral(locked.customer, order=locked))
    if new_status in adapter.cancelled_statuses():
        done.extend(refund_order_points(locked))
    return [item for item in done if item is not None]


@dataclass(frozen=True)
class PaymentMismatch:
    """An order whose points adjustments and ledger payments disagree."""

    order_pk: str
    source_key: str
    problem: str


def payment_mismatches():
    """Every disagreement between the ledger's points payments and the orders' points
    adjustments: each payment not given back must back exactly one adjustment of its
    order, of its amount in money (at today's ``ISTOK_LOYALTY_POINT_VALUE``), and no
    adjustment may claim a payment that was given back or does not exist."""
    _require_orders()
    from istok_orders import selectors as order_selectors

    adapter = get_adapter()
    payments = (
        LoyaltyTransaction.objects.filter(type=Type.REDEEM, reason=Reason.REDEEMED_ON_ORDER)
        .filter(reversed_by__isnull=True)
        .exclude(object_id="")
        .values_list("pk", "object_id", "points")
        .order_by()
    )
    # Orders given back by istok-loyalty 0.1.0's single refund row (no ``reverses``).
    legacy = set(
        LoyaltyTransaction.objects.filter(reason=Reason.ORDER_CANCELLED, reverses__isnull=True)
        .values_list("object_id", flat=True)
        .order_by()
    )
    expected = {
        f"{PAYMENT_SOURCE}{pk}": (object_id, adapter.points_to_money(points))
        for pk, object_id, points in payments.iterator()
        if object_id not in legacy
    }
    found = {
        key: (str(order_pk), amount)
        for order_pk, key, amount in order_selectors.managed_adjustments(
            PAYMENT_SOURCE, kind="points"
        ).iterator()
    }
    problems = []
    for key, (order_pk, amount) in expected.items():
        if key not in found:
            problems.append(PaymentMismatch(order_pk, key, "payment without adjustment"))
        elif found[key][0] != order_pk:
            problems.append(PaymentMismatch(order_pk, key, "adjustment on another order"))
        elif found[key][1] != amount:
            problems.append(
                PaymentMismatch(order_pk, key, f"adjustment {found[key][1]} != {amount}")
            )
    for key, (order_pk, _amount) in found.items():
        if key not in expected:
            problems.append(PaymentMismatch(order_pk, key, "adjustment without payment"))
    return problems


def record_failed_reaction(order_pk, new_status, exc):
    """Keep the reaction to the order ``order_pk`` reaching ``new_status`` that failed
    with ``exc``,
    for :func:`retry_failed_reactions` (one row per order and status; attempts count)."""
    now = timezone.now()
    failed, created = FailedReaction.objects.get_or_create(
        signal=FailedReaction.Signal.ORDER_STATUS_CHANGED,
        order_pk=str(order_pk),
        status=str(new_status)[:64],
        defaults={"error": repr(exc)[:2000], "created": now, "last_attempt": now},
    )
    if not created:
        FailedReaction.objects.filter(pk=failed.pk).update(
            attempts=F("attempts") + 1,
            error=repr(exc)[:2000],
            last_attempt=now,
            resolved_at=None,
        )
    return failed


def retry_failed_reactions():
    """Run every open failed reaction again (each is idempotent: what already happened
    is not done twice). Returns ``(resolved, still_failing)`` counts."""
    _require_orders()
    from istok_orders import selectors as order_selectors

    resolved = failing = 0
    for failed in FailedReaction.objects.filter(resolved_at__isnull=True).order_by("pk"):
        try:
            order = order_selectors.order_by_pk(failed.order_pk)
            order_status_changed(order, failed.status)
        except Exception as exc:
            failing += 1
            record_failed_reaction(failed.order_pk, failed.status, exc)
            continue
        FailedReaction.objects.filter(pk=failed.pk).update(resolved_at=timezone.now())
        resolved += 1
    return resolved, failing
