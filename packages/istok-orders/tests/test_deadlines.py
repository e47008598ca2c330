"""Overdue orders and orders stuck in a status: the selector and the daily command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from istok_orders.models import Order
from istok_orders.selectors import flagged_orders
from istok_orders.testing.factories import make_order

pytestmark = pytest.mark.django_db


def age(order, days):
    """Pretend ``order`` has been in its status for ``days`` days."""
    Order.objects.filter(pk=order.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days, minutes=1)
    )


@pytest.fixture
def orders(customer):
    today = timezone.localdate()
    result = {
        "late": make_order(customer, deadline=today - timedelta(days=2)),
        "due_today": make_order(customer, deadline=today),
        "delivered_late": make_order(
            customer, deadline=today - timedelta(days=5), status="delivered"
        ),
        "cancelled_late": make_order(
            customer, deadline=today - timedelta(days=5), status="cancelled"
        ),
        "stuck": make_order(customer, status="production"),
        "producing": make_order(customer, status="production"),
        "both": make_order(customer, deadline=today - timedelta(days=1), status="delivery"),
    }
    age(result["stuck"], 31)
    age(result["producing"], 29)
    age(result["both"], 4)
    age(result["delivered_late"], 400)
    return result


def numbers(orders, *names):
    return {orders[name].number for name in names}


def test_overdue_means_deadline_passed_and_not_delivered(orders):
    assert {o.number for o in Order.objects.overdue()} == numbers(orders, "late", "both")


def test_stuck_means_longer_in_a_status_than_its_max_days(orders):
    assert {o.number for o in Order.objects.stuck()} == numbers(orders, "stuck", "both")


def test_flagged_orders_give_their_reasons(orders):
    flagged = {item.order.number: item.reasons for item in flagged_orders()}
    assert set(flagged) == numbers(orders, "late", "stuck", "both")
    assert flagged[orders["late"].number] == ["deadline passed 2 day(s) ago"]
    assert flagged[orders["stuck"].number] == ["31 days in this status (at most 30)"]
    assert len(flagged[orders["both"].number]) == 2


def test_max_days_come_from_the_pipeline(settings, customer):
    settings.ISTOK_ORDERS_PIPELINE = [
        {"status": "new", "label": "New", "next": [], "max_days": 1},
    ]
    order = make_order(customer)
    assert not order.is_stuck()
    age(order, 2)
    assert [item.order for item in flagged_orders()] == [order]


def test_the_command_lists_flagged_orders(orders):
    out = StringIO()
    call_command("istok_orders_overdue", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 3
    late = next(line for line in lines if line.startswith(orders["late"].number))
    assert "Sketch preparation" in late and "deadline passed 2 day(s) ago" in late


def test_the_command_says_when_all_is_well(db):
    out = StringIO()
    call_command("istok_orders_overdue", stdout=out)
    assert out.getvalue().strip() == "No overdue or stuck orders."


def test_the_command_mails_the_managers(orders, mailoutbox):
    call_command("istok_orders_overdue", "--email", stdout=StringIO())
    (message,) = mailoutbox
    assert message.to == ["manager@example.com"]
    assert message.subject.endswith("3 orders need attention")
    assert orders["late"].number in message.body


def test_the_command_mails_nothing_when_all_is_well(db, mailoutbox):
    call_command("istok_orders_overdue", "--email", stdout=StringIO())
    assert mailoutbox == []


def test_no_managers_no_mail(settings, orders, mailoutbox):
    settings.MANAGERS = []
    err = StringIO()
    call_command("istok_orders_overdue", "--email", stdout=StringIO(), stderr=err)
    assert mailoutbox == [] and "MANAGERS is empty" in err.getvalue()
