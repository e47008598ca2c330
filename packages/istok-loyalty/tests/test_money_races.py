"""Points meeting orders under real concurrency (PostgreSQL, real threads): every writer of
the same rows at the same moment, a retried idempotency key among them. Both sides are
checked afterwards: the ledger (balances) and the orders (points adjustments, totals,
cashback), never one alone."""

import logging
import random
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from istok_core.testing import run_at_once, run_plans
from istok_loyalty import selectors, services
from istok_loyalty.models import FailedReaction, LoyaltyTransaction, Referral
from istok_loyalty.testing.factories import give_points, make_customer, make_staff

pytestmark = [
    pytest.mark.skipif(
        not apps.is_installed("istok_orders"),
        reason="istok_orders is not installed (run with --ds tests.settings_orders)",
    ),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def order_services():
    from istok_orders import services

    return services


def make_order(customer, status=None):
    from istok_orders.testing.factories import make_order

    return make_order(customer, status=status)  # one line of 150 000.00


def fresh(order):
    from istok_orders import selectors as order_selectors

    return order_selectors.order_by_pk(order.pk)


def points_adjustments(order):
    from istok_orders import selectors as order_selectors

    return list(order_selectors.order_adjustments(order, kind="points"))


def pay(customer, order, points, key=None):
    return services.pay_order_with_points(
        customer, fresh(order), points, actor=customer, idempotency_key=key
    )


def move(order, status, actor=None):
    return order_services().set_status(fresh(order), status, actor)


def cashback_of(order):
    rows = selectors.order_transactions(order).filter(reason="order_cashback")
    return rows.aggregate(total=Sum("points"))["total"] or 0


def assert_both_sides_agree():
    assert selectors.balance_mismatches() == []
    assert services.payment_mismatches() == []
    assert not FailedReaction.objects.exists()


def assert_only_refusals(results):
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
    ]
    assert not unexpected, unexpected


class ConflictLog(logging.Handler):
    """Counts the database conflicts the services had to run again."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        if "lost a database conflict" in record.getMessage():
            self.count += 1


@pytest.fixture
def conflicts():
    handler = ConflictLog()
    logger = logging.getLogger("istok_core")  # istok_core.transactions.retrying logs there
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_one_payment_sent_eight_times_at_once_pays_once(postgres_only, customer, conflicts):
    give_points(customer, 100000)
    order = make_order(customer)
    for burst in range(10):
        results = run_at_once(*[partial(pay, customer, order, 1000, f"burst-{burst}")] * 8)
        assert all(isinstance(r, LoyaltyTransaction) for r in results), results
        assert len({r.pk for r in results}) == 1
        assert sum(not r.replayed for r in results) == 1
    current = fresh(order)
    assert len(points_adjustments(current)) == 10
    assert current.adjustments_total == Decimal("10000.00")
    assert selectors.balance(customer) == 90000
    assert_both_sides_agree()
    assert conflicts.count == 0


def test_a_cancellation_and_a_payment_at_once_leave_both_sides_equal(
    postgres_only, customer, conflicts
):
    staff = make_staff(username="manager")
    give_points(customer, 1_000_000)
    outcomes = set()
    for _round in range(20):
        order = make_order(customer)
        results = run_at_once(
            partial(pay, customer, order, 500), partial(move, order, "cancelled", staff)
        )
        assert_only_refusals(results)
        outcomes.add("paid" if isinstance(results[0], LoyaltyTransaction) else "refused")
        current = fresh(order)
        assert current.status == "cancelled"
        assert points_adjustments(current) == []
        assert current.total == current.subtotal
    assert selectors.balance(customer) == 1_000_000
    assert_both_sides_agree()
    assert conflicts.count == 0
    assert outcomes  # which ones happened depends on the interleaving


def test_a_delivery_and_a_payment_at_once_give_the_cashback_of_the_final_total(
    postgres_only, customer, conflicts
):
    for _round in range(10):
        give_points(customer, 1000)
        order = make_order(customer, status="delivery")
        results = run_at_once(
            partial(pay, customer, order, 1000), partial(move, order, "delivered")
        )
        assert_only_refusals(results)
        current = fresh(order)
        assert current.status == "delivered"
        # 3 % of what the customer pays in the end, whoever committed first.
        assert cashback_of(current) == int(current.total * 3 / 100)
    assert_both_sides_agree()
    assert conflicts.count == 0


def test_a_referral_confirmed_while_the_referrer_spends_and_earns(
    postgres_only, customer, conflicts
):
    referrer = customer
    code = services.get_or_create_account(referrer).referral_code
    give_points(referrer, 100000)
    own_order = make_order(referrer)
    for round_ in range(8):
        friend = make_customer(username=f"friend-{round_}")
        services.apply_referral(friend, code)
        friends_order = make_order(friend, status="engineering")
        results = run_at_once(
            partial(move, friends_order, "production"),
            partial(pay, referrer, own_order, 100),
            partial(services.earn, referrer, 10, reason="other"),
            partial(services.redeem, referrer, 10),
            partial(services.expire_due),
        )
        assert_only_refusals(results)
    assert Referral.objects.filter(confirmed=True).count() == 8
    bonuses = LoyaltyTransaction.objects.filter(reason="referral", account__user=referrer)
    assert bonuses.count() == 8
    assert_both_sides_agree()
    assert conflicts.count == 0


def test_a_few_hundred_mixed_operations_keep_every_invariant(postgres_only, conflicts):
    """The bounded stress test: 8 threads, 320 operations of every writer of points and
    orders (earn, redeem, pay with and without a reused key, cancel, deliver, confirm a
    referral, expire), then every invariant on both sides."""
    rng = random.Random(20261129)
    staff = make_staff(username="manager")
    customers = [make_customer(username=f"stress-{i}") for i in range(6)]
    for customer in customers:
        give_points(customer, 20000)
        # Awards already due: expire_due has work to do while the others run.
        give_points(customer, 50, expires_at=timezone.now() - timedelta(seconds=1))
    referrer = customers[0]
    code = services.get_or_create_account(referrer).referral_code
    for friend in customers[1:]:
        services.apply_referral(friend, code)
    orders = [make_order(c) for c in customers for _ in range(3)]
    from istok_orders.pipeline import get_pipeline

    pipeline = get_pipeline()

    def advance(order):
        current = fresh(order)
        path = pipeline.path(current.status, "installed")
        if not path:
            return None
        return move(current, path[0], staff)

    def operation(index):
        order = rng.choice(orders)
        customer = order.customer
        kind = rng.choice(
            ["earn", "redeem", "pay", "pay-key", "cancel", "advance", "advance", "expire"]
        )
        if kind == "earn":
            return partial(services.earn, customer, rng.randint(1, 100), reason="other")
        if kind == "redeem":
            return partial(services.redeem, customer, rng.randint(1, 100))
        if kind == "pay":
            return partial(pay, customer, order, rng.randint(1, 2000))
        if kind == "pay-key":
            # A client retrying the same request: same key, same order, same points.
            return partial(pay, customer, order, 700, f"retry-{order.pk}")
        if kind == "cancel":
            return partial(move, order, "cancelled", staff)
        if kind == "advance":
            return partial(advance, order)
        return partial(services.expire_due)

    plans = [[operation(i) for i in range(40)] for _thread in range(8)]
    results = run_plans(plans)

    assert len(results) == 320
    assert_only_refusals(results)
    assert_both_sides_agree()
    adapter_percent = Decimal("3")
    for order in orders:
        current = fresh(order)
        adjustments = points_adjustments(current)
        if current.status == "cancelled":
            assert adjustments == []
            assert current.total == current.subtotal
        assert current.adjustments_total == sum((a.amount for a in adjustments), Decimal(0))
        if current.status in ("delivered", "installed"):
            assert cashback_of(current) == int(current.total * adapter_percent / 100)
        else:
            assert cashback_of(current) == 0
    confirmed = Referral.objects.filter(confirmed=True).count()
    assert (
        LoyaltyTransaction.objects.filter(reason="referral", account__user=referrer).count()
        == confirmed
    )
    for referral in Referral.objects.all():
        reached = any(
            fresh(o).status
            in ("production", "preparing_delivery", "delivery", "delivered", "installed")
            for o in orders
            if o.customer_id == referral.new_user_id
        )
        assert referral.confirmed == reached
    assert conflicts.count == 0
