"""Points and orders on both sides of the seam: idempotency keys scoped to the account and
the operation, 64-bit points, the checks of ``istok_loyalty_verify`` on the orders' side,
failed reactions kept for a retry, and database conflicts that never reach the user as a
500. The races themselves are in ``test_money_races.py`` (PostgreSQL)."""

from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from rest_framework.test import APIClient

from istok_loyalty import receivers, selectors, services
from istok_loyalty.models import FailedReaction, LoyaltyTransaction
from istok_loyalty.services import IdempotencyConflict, TryAgain
from istok_loyalty.testing.factories import give_points

pytestmark = pytest.mark.django_db

with_orders = pytest.mark.skipif(
    not apps.is_installed("istok_orders"),
    reason="istok_orders is not installed (run with --ds tests.settings_orders)",
)


def make_order(customer, **kwargs):
    from istok_orders.testing.factories import make_order

    return make_order(customer, **kwargs)  # one line of 150 000.00


def fresh(order):
    from istok_orders import selectors as order_selectors

    return order_selectors.order_by_pk(order.pk)


def points_adjustments(order):
    from istok_orders import selectors as order_selectors

    return list(order_selectors.order_adjustments(order, kind="points"))


def verify():
    out, err = StringIO(), StringIO()
    try:
        call_command("istok_loyalty_verify", stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


# Idempotency keys -----------------------------------------------------------------------


def test_keys_belong_to_one_account(customer, other_customer):
    mine = services.earn(customer, 100, reason="other", idempotency_key="gift-1")
    theirs = services.earn(other_customer, 100, reason="other", idempotency_key="gift-1")
    assert mine.pk != theirs.pk
    assert selectors.balance(other_customer) == 100


def test_a_key_sent_again_for_another_movement_is_refused(customer):
    services.earn(customer, 100, reason="other", idempotency_key="gift-1")
    for call in (
        lambda: services.earn(customer, 200, reason="other", idempotency_key="gift-1"),
        lambda: services.earn(customer, 100, reason="signup", idempotency_key="gift-1"),
        lambda: services.redeem(customer, 100, idempotency_key="gift-1"),
    ):
        with pytest.raises(IdempotencyConflict) as caught:
            call()
        assert caught.value.error_dict["idempotency_key"][0].code == "idempotency_key_reused"
    assert selectors.balance(customer) == 100
    assert LoyaltyTransaction.objects.count() == 1


def test_an_over_long_key_is_a_field_error(customer):
    with pytest.raises(ValidationError) as caught:
        services.earn(customer, 100, reason="other", idempotency_key="k" * 256)
    assert "idempotency_key" in caught.value.message_dict
    assert not LoyaltyTransaction.objects.exists()
    row = services.earn(customer, 100, reason="other", idempotency_key="k" * 255)
    assert row.idempotency_key == "k" * 255


# 64-bit points ----------------------------------------------------------------------------


def test_more_points_than_32_bits_hold(customer, staff):
    services.adjust(customer, 2_147_483_647, note="Migration from the old system", actor=staff)
    services.adjust(customer, 2_147_483_647, note="Second half", actor=staff)
    assert selectors.balance(customer) == 4_294_967_294
    assert selectors.balance_mismatches() == []


def test_points_beyond_the_bound_are_a_field_error(customer, staff):
    with pytest.raises(ValidationError) as caught:
        services.adjust(customer, services.MAX_POINTS + 1, note="x", actor=staff)
    assert caught.value.error_dict["points"][0].code == "too_large"
    assert not LoyaltyTransaction.objects.exists()


def test_the_admin_adjusts_by_two_billion_points(client, customer, staff):
    from istok_loyalty.models import LoyaltyAccount

    account = services.get_or_create_account(customer)
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "x"))
    url = reverse("admin:istok_loyalty_loyaltyaccount_adjust", args=[account.pk])
    response = client.post(url, {"points": "2147483647", "note": "Big"}, follow=True)
    assert response.status_code == 200
    assert LoyaltyAccount.objects.get(pk=account.pk).balance == 2_147_483_647
    response = client.post(url, {"points": str(10**13), "note": "Too big"})
    assert response.status_code == 200
    assert LoyaltyAccount.objects.get(pk=account.pk).balance == 2_147_483_647


@with_orders
def test_cashback_on_a_very_large_order_is_paid_not_lost(
    customer, settings, django_capture_on_commit_callbacks
):
    from istok_orders.testing.factories import move_to

    settings.ISTOK_LOYALTY_ORDER_CASHBACK_PERCENT = 50
    order = make_order(customer, lines=[{"name": "Palace", "unit_price": "9000000000.00"}])
    with django_capture_on_commit_callbacks(execute=True):
        move_to(order, "delivered")
    assert selectors.balance(customer) == 4_500_000_000
    assert not FailedReaction.objects.exists()


# Paying with points: both sides -----------------------------------------------------------


@with_orders
def test_a_payment_key_reused_on_another_order_is_refused(customer):
    give_points(customer, 5000)
    first, second = make_order(customer), make_order(customer)
    services.pay_order_with_points(customer, first, 1000, idempotency_key="pay")
    with pytest.raises(IdempotencyConflict):
        services.pay_order_with_points(customer, second, 1000, idempotency_key="pay")
    with pytest.raises(IdempotencyConflict):
        services.pay_order_with_points(customer, first, 999, idempotency_key="pay")
    assert points_adjustments(second) == []
    assert len(points_adjustments(first)) == 1
    assert selectors.balance(customer) == 4000


@with_orders
def test_a_replayed_payment_adds_no_second_adjustment(customer):
    give_points(customer, 5000)
    order = make_order(customer)
    first = services.pay_order_with_points(customer, order, 1000, idempotency_key="pay")
    again = services.pay_order_with_points(customer, order, 1000, idempotency_key="pay")
    assert (first.pk, first.replayed, again.replayed) == (again.pk, False, True)
    assert [a.source_key for a in points_adjustments(order)] == [
        services.payment_source_key(first)
    ]
    assert fresh(order).total == Decimal("149000.00")


@with_orders
def test_points_cannot_pay_a_cancelled_order(customer, django_capture_on_commit_callbacks):
    from istok_orders.testing.factories import move_to

    give_points(customer, 5000)
    order = make_order(customer)
    move_to(order, "cancelled")
    with pytest.raises(ValidationError) as caught:
        services.pay_order_with_points(customer, order, 1000)  # a stale "open" instance
    assert caught.value.error_dict["order"][0].code == "closed"
    assert selectors.balance(customer) == 5000


@with_orders
def test_verify_compares_the_orders_side(customer):
    from istok_orders.models import Adjustment

    give_points(customer, 5000)
    order = make_order(customer)
    row = services.pay_order_with_points(customer, order, 1000)
    assert verify() == (
        0,
        "All 1 account(s) match their ledger.\n"
        "Every order's points adjustments match the ledger's payments.\n",
    )
    # A points adjustment changed behind the services' back.
    Adjustment.objects.filter(source_key=services.payment_source_key(row)).update(amount=3000)
    code, output = verify()
    assert code == 1
    assert f"Order {order.pk}: adjustment 3000.00 != 1000.00" in output
    Adjustment.objects.filter(source_key=services.payment_source_key(row)).delete()
    code, output = verify()
    assert (code, "payment without adjustment" in output) == (1, True)


# Failures of the reactions ----------------------------------------------------------------


@with_orders
def test_a_failed_reaction_is_kept_and_retried(customer, django_capture_on_commit_callbacks):
    from istok_orders.testing.factories import move_to

    give_points(customer, 5000)
    order = make_order(customer)
    services.pay_order_with_points(customer, order, 1000)
    failing = mock.patch.object(
        services, "order_status_changed", side_effect=OperationalError("server closed")
    )
    with failing, django_capture_on_commit_callbacks(execute=True):
        move_to(order, "cancelled")
    assert selectors.balance(customer) == 4000  # not given back yet
    failed = FailedReaction.objects.get()
    assert (failed.order_pk, failed.status, failed.resolved_at) == (
        str(order.pk),
        "cancelled",
        None,
    )
    code, output = verify()
    assert code == 1 and "Not applied yet" in output
    out = StringIO()
    call_command("istok_loyalty_retry", stdout=out)
    assert "1 reaction(s) applied, 0 still failing." in out.getvalue()
    assert selectors.balance(customer) == 5000
    assert points_adjustments(order) == []
    assert verify()[0] == 0
    call_command("istok_loyalty_retry", stdout=StringIO())  # nothing more to do
    assert selectors.balance(customer) == 5000


def deadlock():
    cause = Exception("deadlock detected")
    cause.sqlstate = "40P01"
    error = OperationalError("deadlock detected")
    error.__cause__ = cause
    return error


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_victim_runs_again(customer):
    from istok_loyalty.services import _ledger

    real = _ledger.lock_account
    calls = []

    def lock_once_deadlocked(user):
        calls.append(user)
        if len(calls) == 1:
            raise deadlock()
        return real(user)

    with mock.patch.object(_ledger, "lock_account", lock_once_deadlocked):
        row = services.earn(customer, 100, reason="other")
    assert len(calls) == 2
    assert row.points == 100
    assert selectors.balance(customer) == 100


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_that_keeps_coming_back_is_try_again(customer):
    from istok_loyalty.services import _ledger

    patched = mock.patch.object(_ledger, "lock_account", side_effect=deadlock())
    with patched, pytest.raises(TryAgain):
        services.earn(customer, 100, reason="other")
    assert not LoyaltyTransaction.objects.exists()


@with_orders
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_lasting_conflict_with_503_and_retry_after(customer):
    give_points(customer, 5000)
    order = make_order(customer)
    api = APIClient()
    api.force_authenticate(customer)
    path = f"/api/loyalty/orders/{order.number}/pay/"
    with mock.patch("istok_loyalty.services._ledger.lock_account", side_effect=deadlock()):
        response = api.post(path, {"points": 100}, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "try again" in response.json()["detail"]
    assert selectors.balance(customer) == 5000


@with_orders
def test_the_api_scopes_and_checks_idempotency_keys(customer):
    give_points(customer, 5000)
    first, second = make_order(customer), make_order(customer)
    api = APIClient()
    api.force_authenticate(customer)

    def pay(order, points, key):
        return api.post(
            f"/api/loyalty/orders/{order.number}/pay/",
            {"points": points},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    created = pay(first, 100, "k1")
    replayed = pay(first, 100, "k1")
    assert (created.status_code, replayed.status_code) == (201, 201)
    assert replayed.json() == created.json()
    assert replayed["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in created
    for response in (pay(second, 100, "k1"), pay(first, 200, "k1")):
        assert response.status_code == 422
        assert "idempotency_key" in response.json()
    too_long = pay(first, 100, "k" * 201)
    assert too_long.status_code == 400
    assert "idempotency_key" in too_long.json()
    assert selectors.balance(customer) == 4900
    assert len(points_adjustments(second)) == 0


@with_orders
def test_the_receiver_replays_a_cancellation_without_a_second_refund(
    customer, django_capture_on_commit_callbacks
):
    from istok_orders.testing.factories import move_to

    give_points(customer, 5000)
    order = make_order(customer)
    services.pay_order_with_points(customer, order, 1000)
    with django_capture_on_commit_callbacks(execute=True):
        move_to(order, "cancelled")
    for _ in range(3):
        receivers.on_order_status_changed(None, order=order, new_status="cancelled")
    assert selectors.balance(customer) == 5000
    assert services.payment_mismatches() == []


@with_orders
@pytest.mark.django_db(transaction=True)
def test_the_pay_page_answers_a_lasting_conflict_with_a_message(client, customer):
    give_points(customer, 5000)
    order = make_order(customer)
    client.force_login(customer)
    url = reverse("istok_loyalty:pay_order", args=[order.number])
    with mock.patch("istok_loyalty.services._ledger.lock_account", side_effect=deadlock()):
        response = client.post(url, {"points": 100})
    assert response.status_code == 200
    assert "Please try again." in response.content.decode()
    assert selectors.balance(customer) == 5000
