"""Adjustments another app backs (``source_key``), and the price of a closed order: the
orders' side of a points payment (istok_loyalty writes the ledger's side)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from istok_orders import selectors, services
from istok_orders.models import Adjustment, Order
from istok_orders.testing.factories import make_customer, make_order, make_staff, move_to

from .test_admin import change_url, form_data, prefix, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return make_order(make_customer())  # one line of 150 000.00


def paid(order, key="istok_loyalty:7", amount="1000"):
    return services.add_adjustment(
        order, "points", amount, label="Paid with 1000 points", reference=key, source_key=key
    )


def test_one_record_backs_at_most_one_adjustment(order):
    paid(order)
    other = make_order(order.customer)
    for target in (order, other):
        with pytest.raises(ValidationError) as caught:
            paid(target)
        assert caught.value.error_dict["source_key"][0].code == "duplicate_source"
    assert Adjustment.objects.filter(source_key="istok_loyalty:7").count() == 1
    assert Order.objects.get(pk=other.pk).adjustments_total == Decimal("0.00")


def test_the_database_keeps_one_adjustment_per_source_key(order):
    paid(order)
    with pytest.raises(IntegrityError), transaction.atomic():
        Adjustment.objects.create(
            order=order, kind="points", label="x", amount=1, source_key="istok_loyalty:7"
        )


def test_a_managed_adjustment_changes_only_with_its_key(order):
    adjustment = paid(order)
    before = snapshot(order)
    with pytest.raises(ValidationError) as caught:
        services.update_adjustment(adjustment, amount="3000")
    assert caught.value.error_dict["amount"][0].code == "managed"
    with pytest.raises(ValidationError):
        services.remove_adjustment(adjustment)
    with pytest.raises(ValidationError):
        services.remove_adjustment(adjustment, source_key="istok_loyalty:8")
    assert snapshot(order) == before
    services.remove_adjustment(adjustment, source_key="istok_loyalty:7")
    assert Order.objects.get(pk=order.pk).total == Decimal("150000.00")


@pytest.mark.parametrize("status", ["delivered", "installed", "cancelled"])
def test_a_closed_order_takes_no_new_adjustment(order, status):
    adjustment = services.add_adjustment(order, "discount", "100")
    move_to(order, status)
    before = snapshot(order)
    for change in (
        lambda: services.add_adjustment(order, "discount", "100"),
        lambda: paid(order),
        lambda: services.update_adjustment(adjustment, amount="200"),
    ):
        with pytest.raises(ValidationError) as caught:
            change()
        assert caught.value.error_dict["order"][0].code == "closed"
    assert snapshot(order) == before


def test_a_closed_order_may_lose_a_managed_adjustment_to_its_owner(order):
    """A cancelled order's points go back to the customer: the payment's owner removes its
    adjustment after the order closed."""
    adjustment = paid(order)
    move_to(order, "cancelled")
    services.remove_adjustment(adjustment, source_key="istok_loyalty:7")
    assert not Order.objects.get(pk=order.pk).adjustments.exists()


def test_lock_order_returns_the_row_as_it_is_now(order):
    Order.objects.filter(pk=order.pk).update(status="measurement")
    with transaction.atomic():
        locked = services.lock_order(order)
    assert locked.status == "measurement"
    assert order.status == "sketch"  # the caller's instance is not touched


def test_selectors_find_managed_adjustments(order):
    paid(order, "istok_loyalty:7", "1000")
    services.add_adjustment(order, "discount", "50")
    assert list(selectors.managed_adjustments("istok_loyalty:", kind="points")) == [
        (order.pk, "istok_loyalty:7", Decimal("1000.00"))
    ]
    assert [
        a.source_key for a in selectors.order_adjustments(order, source_key="istok_loyalty:7")
    ] == ["istok_loyalty:7"]
    assert selectors.order_by_pk(order.pk) == order


# The admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(make_staff(is_superuser=True, username="boss"))
    return client


def test_the_admin_shows_a_points_payment_read_only(admin_client, order):
    paid(order)
    response = admin_client.get(change_url(order))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="istok_loyalty:7"' not in content  # no raw reference to edit
    adjustments = prefix(response, Adjustment)
    form = next(
        inline.formset.forms[0]
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == adjustments
    )
    for name in ("kind", "label", "amount", "DELETE"):
        assert form.fields[name].disabled, name
    assert "changed only there" in content


def test_a_manager_cannot_change_or_delete_a_points_payment_in_the_admin(admin_client, order):
    paid(order)
    before = snapshot(order)
    response = admin_client.get(change_url(order))
    adjustments = prefix(response, Adjustment)
    data = form_data(response)
    data[f"{adjustments}-0-amount"] = "3000"
    data[f"{adjustments}-0-label"] = "Paid with 3000 points"
    response = admin_client.post(change_url(order), data, follow=True)
    assert response.status_code == 200
    assert snapshot(order) == before
    data = form_data(admin_client.get(change_url(order)))
    data[f"{adjustments}-0-DELETE"] = "on"
    admin_client.post(change_url(order), data, follow=True)
    assert snapshot(order) == before


def test_a_manual_discount_is_still_edited_in_the_admin(admin_client, order):
    services.add_adjustment(order, "discount", "100", label="Loyal customer")
    response = admin_client.get(change_url(order))
    adjustments = prefix(response, Adjustment)
    data = form_data(response)
    data[f"{adjustments}-0-amount"] = "250"
    admin_client.post(change_url(order), data, follow=True)
    assert Order.objects.get(pk=order.pk).adjustments_total == Decimal("250.00")
