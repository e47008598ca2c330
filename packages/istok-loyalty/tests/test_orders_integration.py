"""The optional integration with istok_orders (``--ds tests.settings_orders`` or
``tests.settings_full``): cashback, referral confirmation, paying with points within the
limit and getting them back on cancellation. Without the app, nothing is connected."""

import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from istok_core.exceptions import AppNotInstalled
from istok_loyalty import receivers, selectors, services
from istok_loyalty.models import LoyaltyTransaction
from istok_loyalty.testing.factories import give_points

with_orders = pytest.mark.skipif(
    not apps.is_installed("istok_orders"),
    reason="istok_orders is not installed (run with --ds tests.settings_orders)",
)
without_orders = pytest.mark.skipif(
    apps.is_installed("istok_orders"), reason="istok_orders is installed"
)

pytestmark = pytest.mark.django_db


def make_order(customer, **kwargs):
    from istok_orders.testing.factories import make_order

    return make_order(customer, **kwargs)  # one line of 150 000.00


def move(order, status, callbacks):
    from istok_orders.testing.factories import move_to

    with callbacks(execute=True):
        move_to(order, status)
    return order


def fresh(order):
    from istok_orders import selectors as order_selectors

    return order_selectors.customer_orders(order.customer).get(pk=order.pk)


@without_orders
def test_without_orders_nothing_is_connected(customer):
    pytest.importorskip("istok_orders", reason="istok-orders is not even importable")
    from istok_orders.signals import order_status_changed

    assert receivers.on_order_status_changed not in {
        r() for _key, r in order_status_changed.receivers
    }
    assert selectors.earning_rules(customer)["cashback_percent"] == 0


@without_orders
def test_without_orders_paying_with_points_is_refused_with_app_not_installed(customer):
    with pytest.raises(AppNotInstalled, match="needs istok_orders") as refused:
        services.pay_order_with_points(customer, object(), 10)
    assert refused.value.app_label == "istok_orders"


# Cashback -------------------------------------------------------------------------------


@with_orders
def test_cashback_is_earned_once_when_the_order_is_delivered(
    customer, django_capture_on_commit_callbacks
):
    order = make_order(customer)
    move(order, "delivery", django_capture_on_commit_callbacks)
    assert selectors.balance(customer) == 0
    move(order, "delivered", django_capture_on_commit_callbacks)
    assert selectors.balance(customer) == 4500  # 3% of 150 000
    row = LoyaltyTransaction.objects.get(reason="order_cashback")
    assert (row.reference, row.source, row.idempotency_key) == (
        order.number,
        order,
        f"cashback:{order.pk}",
    )
    # The signal again (a retry): nothing more.
    receivers.on_order_status_changed(
        None, order=order, old_status="delivery", new_status="delivered"
    )
    assert selectors.balance(customer) == 4500


@with_orders
def test_cashback_follows_the_settings(customer, settings, django_capture_on_commit_callbacks):
    settings.ISTOK_LOYALTY_ORDER_CASHBACK_PERCENT = Decimal("2.5")
    settings.ISTOK_LOYALTY_ORDER_CASHBACK_STATUS = "production"
    settings.ISTOK_LOYALTY_POINT_VALUE = Decimal("2")
    order = make_order(customer)
    move(order, "production", django_capture_on_commit_callbacks)
    assert selectors.balance(customer) == 1875  # 2.5% of 150 000 = 3750 ₽, 2 ₽ a point
    settings.ISTOK_LOYALTY_ORDER_CASHBACK_PERCENT = 0
    move(make_order(customer), "production", django_capture_on_commit_callbacks)
    assert selectors.balance(customer) == 1875


# Referral confirmation ------------------------------------------------------------------


@with_orders
def test_the_first_order_in_production_confirms_the_referral_once(
    customer, other_customer, django_capture_on_commit_callbacks
):
    services.apply_referral(other_customer, services.get_or_create_account(customer).referral_code)
    order = make_order(other_customer)
    move(order, "engineering", django_capture_on_commit_callbacks)
    assert not selectors.referral_of(other_customer).confirmed
    move(order, "production", django_capture_on_commit_callbacks)
    referral = selectors.referral_of(other_customer)
    assert referral.confirmed and referral.confirmed_by_order == order.number
    assert selectors.balance(customer) == 1000
    receivers.on_order_status_changed(None, order=order, old_status="x", new_status="production")
    move(make_order(other_customer), "production", django_capture_on_commit_callbacks)
    assert selectors.balance(customer) == 1000
    assert LoyaltyTransaction.objects.filter(reason="referral").count() == 1


@with_orders
def test_an_order_of_a_customer_without_referral_confirms_nothing(
    customer, django_capture_on_commit_callbacks
):
    move(make_order(customer), "production", django_capture_on_commit_callbacks)
    assert not LoyaltyTransaction.objects.exists()


@with_orders
def test_a_failing_rule_does_not_break_the_status_change(
    customer, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "order_status_changed", lambda *a: 1 / 0)
    order = move(make_order(customer), "measurement", django_capture_on_commit_callbacks)
    assert fresh(order).status == "measurement"
    assert "Could not apply the loyalty rules" in caplog.text


# Paying with points ---------------------------------------------------------------------


@with_orders
def test_paying_with_points_redeems_and_adds_the_adjustment(customer):
    give_points(customer, 50000)
    order = make_order(customer)
    row = services.pay_order_with_points(customer, order, 20000, actor=customer)
    assert (row.type, row.reason, row.points, row.source, row.reference) == (
        "redeem",
        "redeemed_on_order",
        20000,
        order,
        order.number,
    )
    order = fresh(order)
    (adjustment,) = order.adjustments.all()
    assert (adjustment.kind, adjustment.amount, adjustment.reference) == (
        "points",
        Decimal("20000.00"),
        f"istok_loyalty:{row.pk}",
    )
    assert adjustment.label == "Paid with 20000 bonus points"
    assert order.total == Decimal("130000.00")
    assert selectors.balance(customer) == 30000
    assert selectors.points_paid_for_order(order) == 20000


@with_orders
def test_points_pay_at_most_the_share_of_the_order_in_all(customer):
    give_points(customer, 100000)
    order = make_order(customer)  # 30% of 150 000 = 45 000
    assert services.max_points_for_order(customer, order) == 45000
    services.pay_order_with_points(customer, order, 40000)
    assert services.max_points_for_order(customer, fresh(order)) == 5000
    with pytest.raises(ValidationError) as caught:
        services.pay_order_with_points(customer, fresh(order), 5001)
    assert caught.value.message_dict["points"] == ["At most 5000 points can pay for this order."]
    assert selectors.balance(customer) == 60000
    assert fresh(order).adjustments.count() == 1
    services.pay_order_with_points(customer, fresh(order), 5000)
    assert services.max_points_for_order(customer, fresh(order)) == 0


@with_orders
def test_the_limit_leaves_room_for_other_adjustments(customer):
    from istok_orders import services as order_services

    give_points(customer, 100000)
    order = make_order(customer)
    order_services.add_adjustment(order, "discount", "140000")
    assert services.max_points_for_order(customer, fresh(order)) == 10000


@with_orders
def test_paying_more_than_the_balance_is_refused_and_writes_nothing(customer):
    give_points(customer, 100)
    order = make_order(customer)
    with pytest.raises(ValidationError) as caught:
        services.pay_order_with_points(customer, order, 101)
    assert "points" in caught.value.message_dict
    assert fresh(order).adjustments.count() == 0
    assert LoyaltyTransaction.objects.count() == 1


@with_orders
def test_nobody_pays_another_customers_order(customer, other_customer):
    give_points(other_customer, 1000)
    order = make_order(customer)
    with pytest.raises(ValidationError) as caught:
        services.pay_order_with_points(other_customer, order, 100)
    assert caught.value.message_dict["order"] == ["This is not your order."]


@with_orders
def test_a_closed_order_cannot_be_paid_with_points(customer, django_capture_on_commit_callbacks):
    give_points(customer, 1000)
    order = move(make_order(customer), "cancelled", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as caught:
        services.pay_order_with_points(customer, fresh(order), 100)
    assert caught.value.message_dict["order"] == ["Points can no longer pay for this order."]


@with_orders
def test_a_refused_adjustment_rolls_back_the_redemption(customer, monkeypatch):
    from istok_orders import services as order_services

    give_points(customer, 1000)
    order = make_order(customer)

    def refuse(*args, **kwargs):
        raise ValidationError({"amount": "no"})

    monkeypatch.setattr(order_services, "add_adjustment", refuse)
    with pytest.raises(ValidationError):
        services.pay_order_with_points(customer, order, 100)
    assert selectors.balance(customer) == 1000
    assert LoyaltyTransaction.objects.count() == 1


@with_orders
def test_the_same_payment_key_twice_pays_once(customer):
    give_points(customer, 1000)
    order = make_order(customer)
    first = services.pay_order_with_points(customer, order, 100, idempotency_key="pay-1")
    second = services.pay_order_with_points(customer, fresh(order), 100, idempotency_key="pay-1")
    assert first == second
    assert fresh(order).adjustments.count() == 1
    assert selectors.balance(customer) == 900


@with_orders
def test_cancelling_the_order_gives_the_points_back_once(
    customer, django_capture_on_commit_callbacks
):
    give_points(customer, 10000)
    order = make_order(customer)
    services.pay_order_with_points(customer, order, 3000)
    services.pay_order_with_points(customer, fresh(order), 2000)
    assert selectors.balance(customer) == 5000
    payments = list(LoyaltyTransaction.objects.filter(type="redeem").order_by("pk"))
    move(fresh(order), "cancelled", django_capture_on_commit_callbacks)
    assert selectors.balance(customer) == 10000
    # One refund per payment, each naming the payment it gives back; the payments'
    # adjustments leave the order with them.
    refunds = LoyaltyTransaction.objects.filter(reason="order_cancelled").order_by("pk")
    assert [(r.type, r.delta, r.idempotency_key, r.reverses_id) for r in refunds] == [
        ("adjust", 3000, f"refund:{payments[0].pk}", payments[0].pk),
        ("adjust", 2000, f"refund:{payments[1].pk}", payments[1].pk),
    ]
    assert not fresh(order).adjustments.filter(kind="points").exists()
    assert fresh(order).total == fresh(order).subtotal
    receivers.on_order_status_changed(None, order=order, old_status="x", new_status="cancelled")
    assert selectors.balance(customer) == 10000
    assert LoyaltyTransaction.objects.filter(reason="order_cancelled").count() == 2
    assert selectors.points_paid_for_order(order) == 0
    assert selectors.balance_mismatches() == []
    assert services.payment_mismatches() == []


# Pages and API --------------------------------------------------------------------------


@with_orders
def test_the_pay_page_pays_within_the_limit_and_shows_the_result(client, customer):
    give_points(customer, 60000)
    order = make_order(customer)
    client.force_login(customer)
    url = reverse("istok_loyalty:pay_order", args=[order.number])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["max_points"] == 45000
    too_much = client.post(url, {"points": 45001})
    assert too_much.status_code == 200
    assert "At most 45000 points can pay for this order." in too_much.content.decode()
    for bad in ("", "abc", "-3", "1.5", "99999999999"):
        assert client.post(url, {"points": bad}).status_code == 200
    response = client.post(url, {"points": 10000}, follow=True)
    content = response.content.decode()
    assert "10,000\N{NO-BREAK SPACE}points paid 10,000\N{NO-BREAK SPACE}₽ of order" in content
    assert "Paid with 10000 bonus points" in content
    assert fresh(order).total == Decimal("140000.00")
    history = client.get(reverse("istok_loyalty:points")).content.decode()
    assert "Paid for an order" in history and order.number in history


@with_orders
def test_the_points_page_links_the_orders_points_may_pay(
    client, customer, django_capture_on_commit_callbacks
):
    give_points(customer, 100)
    open_order = make_order(customer)
    closed = move(make_order(customer), "cancelled", django_capture_on_commit_callbacks)
    client.force_login(customer)
    response = client.get(reverse("istok_loyalty:points"))
    assert response.context["payable_orders"] == [open_order]
    content = response.content.decode()
    assert reverse("istok_loyalty:pay_order", args=[open_order.number]) in content
    assert reverse("istok_loyalty:pay_order", args=[closed.number]) not in content


@with_orders
def test_another_customers_order_page_is_404(client, customer, other_customer):
    order = make_order(customer)
    client.force_login(other_customer)
    url = reverse("istok_loyalty:pay_order", args=[order.number])
    assert client.get(url).status_code == 404
    assert client.post(url, {"points": 1}).status_code == 404
    assert client.get(reverse("istok_loyalty:pay_order", args=["nope"])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@with_orders
def test_paying_through_the_api(customer, other_customer):
    give_points(customer, 1000)
    order = make_order(customer)
    api = APIClient()
    api.force_authenticate(customer)
    path = f"/api/loyalty/orders/{order.number}/pay/"
    for bad in ({}, {"points": "x"}, {"points": 0}, {"points": 5000}):
        response = api.post(path, bad, format="json")
        assert response.status_code == 400, bad
        assert "points" in response.json()
    response = api.post(path, {"points": 300}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert response.status_code == 201
    assert response.json()["delta"] == -300
    again = api.post(path, {"points": 300}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert again.json()["id"] == response.json()["id"]
    assert selectors.balance(customer) == 700
    other = APIClient()
    other.force_authenticate(other_customer)
    assert other.post(path, {"points": 1}, format="json").status_code == 404


# Races (PostgreSQL) ---------------------------------------------------------------------


@with_orders
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_exceed_the_limit(postgres_only, customer):
    give_points(customer, 100000)
    order = make_order(customer)  # at most 45 000 points
    barrier = threading.Barrier(6)
    results = []

    def pay():
        try:
            barrier.wait()
            results.append(services.pay_order_with_points(customer, fresh(order), 10000))
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    paid = [r for r in results if isinstance(r, LoyaltyTransaction)]
    errors = [r for r in results if not isinstance(r, LoyaltyTransaction)]
    assert len(paid) == 4 and len(errors) == 2, results
    assert all(isinstance(e, ValidationError) for e in errors)
    assert fresh(order).adjustments_total == Decimal("40000.00")
    assert selectors.balance(customer) == 60000
    assert selectors.balance_mismatches() == []
