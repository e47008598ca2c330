"""The optional integration with istok_accounts (run with ``--ds tests.settings_accounts``):
a user's data export lists their orders; erasing the user strips the personal data from
the orders and keeps what accounting needs. Without the app, nothing is connected."""

from datetime import date

import pytest
from django.apps import apps

from istok_orders import services
from istok_orders.models import Order
from istok_orders.testing.factories import make_document, make_order

pytestmark = pytest.mark.django_db

with_accounts = pytest.mark.skipif(
    not apps.is_installed("istok_accounts"),
    reason="istok_accounts is not installed (run with --ds tests.settings_accounts)",
)
without_accounts = pytest.mark.skipif(
    apps.is_installed("istok_accounts"), reason="istok_accounts is installed"
)


@pytest.fixture
def placed(customer, staff):
    order = make_order(
        customer,
        delivery_address="Nevsky prospekt 1, flat 5",
        phone="+7 921 000-11-22",
        notes="Ring twice",
        deadline=date(2031, 1, 10),
    )
    services.add_adjustment(order, "discount", 1000)
    services.set_status(order, "measurement", staff, "Anna asked for Monday morning")
    make_document(order, "contract")
    make_document(order, "receipt", customer_visible=False)
    return Order.objects.get(pk=order.pk)


@without_accounts
def test_without_accounts_nothing_is_connected():
    # Installed (in the environment) but not in INSTALLED_APPS: nothing may be connected.
    # Not installed at all (the wheel tested alone): the app works without it, as the
    # rest of this suite shows.
    accounts_signals = pytest.importorskip(
        "istok_accounts.signals", reason="istok-accounts is not in this environment"
    )
    personal_data_requested = accounts_signals.personal_data_requested
    user_erased = accounts_signals.user_erased
    from istok_orders import receivers

    for signal in (personal_data_requested, user_erased):
        connected = [r() for _key, r in signal.receivers]
        assert receivers.export_orders not in connected
        assert receivers.anonymise_orders not in connected


@with_accounts
def test_the_data_export_lists_the_orders(placed, customer):
    from istok_accounts.services import export_personal_data

    data = export_personal_data(customer)
    (order,) = data["istok_orders"]
    assert order["number"] == placed.number
    assert order["delivery_address"] == "Nevsky prospekt 1, flat 5"
    assert order["total"] == "149000.00"
    assert order["lines"][0]["name"] == "Kitchen “Nord”"
    assert [d["kind"] for d in order["documents"]] == ["contract"]


@with_accounts
def test_the_export_of_a_customer_without_orders_is_empty(other_customer):
    from istok_accounts.services import export_personal_data

    assert export_personal_data(other_customer)["istok_orders"] == []


@with_accounts
def test_erasure_strips_personal_data_and_keeps_the_contract(placed, customer, other_customer):
    from istok_accounts.services import erase_user

    theirs = make_order(other_customer, delivery_address="Liteyny 5")
    erase_user(customer)
    order = Order.objects.get(pk=placed.pk)
    assert (order.delivery_address, order.phone, order.notes) == ("", "", "")
    assert not order.events.exclude(note="").exists()
    # what accounting needs stays
    assert (order.number, order.total, order.deadline) == (
        placed.number,
        placed.total,
        date(2031, 1, 10),
    )
    assert order.order_date == placed.order_date and order.status == "measurement"
    assert order.documents.count() == 2 and order.lines.count() == 1
    assert order.customer_id == customer.pk
    assert Order.objects.get(pk=theirs.pk).delivery_address == "Liteyny 5"
