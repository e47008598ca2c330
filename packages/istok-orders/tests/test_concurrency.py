"""Races that only a real database with concurrent transactions shows (PostgreSQL)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from istok_core.testing import run_at_once
from istok_orders import services
from istok_orders.models import Document, Order, OrderEvent
from istok_orders.testing.factories import make_order, pdf_file

# serialized_rollback: the flush after each test would drop the seeded delivery zones.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fresh(order):
    return Order.objects.get(pk=order.pk)


def test_two_conflicting_transitions_one_wins_the_other_is_refused(postgres_only, customer):
    for _attempt in range(5):
        order = make_order(customer, status="correction")
        results = run_at_once(
            lambda o=order: services.set_status(fresh(o), "engineering"),
            lambda o=order: services.set_status(fresh(o), "measurement"),
        )
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1, results
        assert isinstance(errors[0], ValidationError)
        (message,) = errors[0].message_dict["status"]
        assert message.startswith("An order cannot go from “")
        winner = next(r for r in results if not isinstance(r, Exception))
        assert fresh(order).status == winner.status
        events = OrderEvent.objects.filter(order=order, kind="status", old_status="correction")
        assert events.count() == 1
        assert events.get().new_status == winner.status


def test_the_same_transition_twice_at_once_is_recorded_once(postgres_only, customer):
    order = make_order(customer, status="production")
    results = run_at_once(*[lambda: services.set_status(fresh(order), "preparing_delivery")] * 4)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 3, results
    assert all("already in the status" in e.message_dict["status"][0] for e in errors)
    assert OrderEvent.objects.filter(order=order, new_status="preparing_delivery").count() == 1


def test_concurrent_orders_get_distinct_consecutive_numbers(postgres_only, customer):
    results = run_at_once(*[lambda: make_order(customer)] * 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(order.number for order in results)
    year = numbers[0][:4]
    assert numbers == [f"{year}-{n:05d}" for n in range(1, 9)]


def test_concurrent_uploads_get_distinct_versions(postgres_only, customer):
    order = make_order(customer)
    results = run_at_once(
        *[lambda: services.attach_document(fresh(order), "contract", pdf_file())] * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    versions = sorted(Document.objects.filter(order=order).values_list("version", flat=True))
    assert versions == [1, 2, 3, 4]


def test_concurrent_adjustments_never_exceed_the_subtotal(postgres_only, customer):
    order = make_order(customer)  # subtotal 150000
    results = run_at_once(*[lambda: services.add_adjustment(fresh(order), "discount", 60000)] * 3)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert "amount" in errors[0].message_dict
    order = fresh(order)
    assert order.adjustments_total == Decimal("120000.00")
    assert order.total == Decimal("30000.00")
