"""With istok_orders: a measurement visit for an order waiting for it, the order page's
link, completing the visit moving the order on (on its timeline); without it: nothing of
this, and an order is refused as an unknown one."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from istok_booking import services
from istok_booking.models import Appointment
from istok_booking.testing.factories import book_visit, make_customer
from istok_core.testing import run_at_once

pytestmark = pytest.mark.django_db

with_orders = pytest.mark.skipif(
    not apps.is_installed("istok_orders"), reason="needs istok_orders (tests.settings_orders)"
)
without_orders = pytest.mark.skipif(
    apps.is_installed("istok_orders"), reason="istok_orders is installed"
)

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)


def measurement(customer, order, **fields):
    values = {
        "kind": "measurement",
        "starts_at": MONDAY_10,
        "purpose": None,
        "order": order,
        "address": "Nevsky prospekt 1, flat 2",
        "now": NOW,
    }
    values.update(fields)
    return book_visit(customer, **values)


@pytest.fixture
def waiting_order(customer):
    from istok_orders.testing.factories import make_order

    return make_order(customer, status="measurement")


@with_orders
class TestWithOrders:
    def test_a_measurement_is_booked_for_the_order_waiting_for_it(self, customer, waiting_order):
        appointment = measurement(customer, waiting_order)
        assert appointment.order_id == waiting_order.pk
        assert appointment.order_number == waiting_order.number
        assert appointment.purpose is None and appointment.kind.at_home

    @pytest.mark.parametrize(
        ("case", "message"),
        [
            ("not_waiting", "This order is not waiting for a measurement."),
            ("someone_elses", "Choose one of your orders."),
            ("missing", "Choose one of your orders."),
            ("twice", "A measurement is already booked for this order."),
        ],
    )
    def test_an_order_that_cannot_take_a_measurement_is_refused(
        self, customer, waiting_order, case, message
    ):
        from istok_orders import services as order_services

        order, who = waiting_order, customer
        if case == "not_waiting":
            order_services.set_status(order, "correction")
        elif case == "someone_elses":
            who = make_customer()
        elif case == "missing":
            order = 10**9
        elif case == "twice":
            measurement(customer, order)
        before = Appointment.objects.count()
        with pytest.raises(ValidationError) as exc:
            measurement(who, order, starts_at=MONDAY_10 + timedelta(days=1))
        assert exc.value.message_dict == {"order": [message]}
        assert Appointment.objects.count() == before

    def test_completing_the_visit_moves_the_order_on_its_timeline(
        self, customer, staff, waiting_order
    ):
        from istok_orders import selectors as order_selectors

        appointment = measurement(customer, waiting_order)
        services.confirm(appointment, actor=staff)
        services.complete(appointment, actor=staff)
        order = order_selectors.order_by_pk(waiting_order.pk)
        assert order.status == "correction"
        event = order.events.filter(kind="status").order_by("pk").last()
        assert (event.old_status, event.new_status) == ("measurement", "correction")
        assert event.actor == staff
        assert event.note == "The measurement visit took place."

    def test_an_order_that_moved_on_already_stays_where_it_is(
        self, customer, staff, waiting_order
    ):
        from istok_orders import selectors as order_selectors
        from istok_orders import services as order_services

        appointment = measurement(customer, waiting_order)
        services.confirm(appointment, actor=staff)
        order_services.set_status(waiting_order, "cancelled")
        services.complete(appointment, actor=staff)
        assert appointment.status == Appointment.Status.COMPLETED
        assert order_selectors.order_by_pk(waiting_order.pk).status == "cancelled"

    def test_the_order_page_offers_to_book_the_measurement_then_shows_it(
        self, client, customer, waiting_order
    ):
        client.force_login(customer)
        page = reverse("istok_orders:order_detail", kwargs={"number": waiting_order.number})
        html = client.get(page).content.decode()
        book_url = reverse("istok_booking:appointment_create")
        assert f'href="{book_url}?kind=measurement&amp;order={waiting_order.pk}"' in html
        assert "Book the measurement" in html
        appointment = measurement(customer, waiting_order)
        html = client.get(page).content.decode()
        assert "Book the measurement" not in html
        detail = reverse("istok_booking:appointment_detail", kwargs={"pk": appointment.pk})
        assert f'href="{detail}">Your measurement: ' in html

    def test_the_link_is_only_for_the_orders_customer_and_status(
        self, customer, staff, waiting_order
    ):
        from istok_orders import selectors as order_selectors
        from istok_orders import services as order_services

        assert order_selectors.order_links(waiting_order, staff) == []
        assert len(order_selectors.order_links(waiting_order, customer)) == 1
        order_services.set_status(waiting_order, "correction")
        assert order_selectors.order_links(waiting_order, customer) == []


@with_orders
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_completing_while_the_order_is_cancelled_never_deadlocks(postgres_only, staff):
    from istok_orders import selectors as order_selectors
    from istok_orders import services as order_services
    from istok_orders.testing.factories import make_order

    for attempt in range(4):
        customer = make_customer()
        order = make_order(customer, status="measurement")
        appointment = measurement(customer, order, starts_at=MONDAY_10 + timedelta(days=attempt))
        services.confirm(appointment, actor=staff)
        results = run_at_once(
            lambda a=appointment: services.complete(Appointment.objects.get(pk=a.pk), actor=staff),
            lambda o=order: order_services.set_status(
                order_selectors.order_by_pk(o.pk), "cancelled", actor=staff
            ),
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        order = order_selectors.order_by_pk(order.pk)
        assert order.status == "cancelled"
        statuses = list(
            order.events.filter(kind="status").order_by("pk").values_list("new_status", flat=True)
        )
        # Either the visit's completion came first (measurement -> correction -> cancelled)
        # or the cancellation did and the order stayed cancelled.
        assert statuses[-2:] in (["correction", "cancelled"], ["measurement", "cancelled"])


@without_orders
class TestWithoutOrders:
    def test_an_order_is_refused_as_unknown(self, customer):
        with pytest.raises(ValidationError) as exc:
            measurement(customer, 1)
        assert exc.value.message_dict == {"order": ["Choose one of your orders."]}
        assert not Appointment.objects.exists()

    def test_completing_a_visit_with_an_order_key_changes_only_the_visit(self, customer, staff):
        appointment = book_visit(customer, starts_at=MONDAY_10, now=NOW)
        Appointment.objects.filter(pk=appointment.pk).update(order_id=7, order_number="2027-7")
        appointment.refresh_from_db()
        services.confirm(appointment, actor=staff)
        services.complete(appointment, actor=staff)
        assert appointment.status == Appointment.Status.COMPLETED
