"""The use cases: what they do, what they record, and what they refuse without a trace."""

import logging
import smtplib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from istok_orders import services
from istok_orders.models import (
    Adjustment,
    DeliveryZone,
    Document,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumberCounter,
)
from istok_orders.signals import document_attached, order_created, order_status_changed
from istok_orders.testing.factories import (
    make_customer,
    make_document,
    make_order,
    pdf_file,
)
from tests.adapters import RecordingAdapter
from tests.testapp.models import Product

pytestmark = pytest.mark.django_db


def snapshot(order):
    """Everything a refused change must leave as it was."""
    fresh = Order.objects.get(pk=order.pk)
    fields = {f.attname: getattr(fresh, f.attname) for f in Order._meta.concrete_fields}
    return (
        fields,
        list(OrderLine.objects.filter(order=fresh).values()),
        list(Adjustment.objects.filter(order=fresh).values()),
        list(OrderEvent.objects.filter(order=fresh).values()),
        list(Document.objects.filter(order=fresh).values()),
    )


@pytest.fixture
def sofa():
    return Product.objects.create(name="Sofa “Oslo”", price=Decimal("45000.00"))


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# Numbers ----------------------------------------------------------------------------------


def test_numbers_run_per_year_of_the_contract_date(customer):
    year = timezone.localdate().year
    first, second = make_order(customer), make_order(customer)
    assert first.number == f"{year}-00001"
    assert second.number == f"{year}-00002"
    old = make_order(customer, order_date=date(2025, 12, 30))
    assert old.number == "2025-00001"
    assert make_order(customer).number == f"{year}-00003"


def test_a_refused_order_takes_no_number(customer):
    with pytest.raises(ValidationError):
        make_order(customer, lines=[{"name": "Wardrobe", "quantity": -1, "unit_price": 10}])
    assert not Order.objects.exists()
    assert not OrderNumberCounter.objects.filter(last__gt=0).exists()
    assert make_order(customer).number.endswith("-00001")


def test_the_adapter_formats_numbers(settings, customer):
    settings.ISTOK_ORDERS_ADAPTER = "tests.adapters.PrefixedNumbersAdapter"
    assert make_order(customer).number == f"IS-{timezone.localdate().year}/1"


# Creating orders --------------------------------------------------------------------------


def test_new_order_starts_at_the_first_status_with_its_breakdown(customer, sofa, capture):
    with capture():
        order = services.create_order(
            customer,
            lines=[
                {"product": sofa, "quantity": 2, "configuration": "grey velvet"},
                {"name": "Assembly", "unit_price": "3500"},
            ],
            deadline=date(2030, 1, 31),
            delivery_address="Nevsky prospekt 1",
            delivery_zone="kad-30",
        )
    order = Order.objects.get(pk=order.pk)
    assert order.status == "sketch"
    assert order.get_status_display() == "Sketch preparation"
    assert order.order_date == timezone.localdate()
    assert order.currency == "RUB"
    assert order.subtotal == Decimal("93500.00")
    assert order.delivery_cost == Decimal("1500.00")
    assert order.total == Decimal("95000.00")
    event = order.events.get()
    assert event.kind == "created" and event.customer_visible
    assert event.describe() == f"Order {order.number} was created."


def test_order_created_is_sent_after_commit(customer, capture):
    received = []
    order_created.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t1")
    try:
        with capture() as callbacks:
            order = make_order(customer, actor=customer)
            assert received == []
        assert len(callbacks) == 1
        assert received[0]["order"] == order
        assert received[0]["actor"] == customer
    finally:
        order_created.disconnect(dispatch_uid="t1")


def test_create_order_refuses_an_unknown_status_and_no_customer(customer):
    with pytest.raises(ValidationError) as exc:
        services.create_order(customer, status="teleported")
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_order(None)
    assert "customer" in exc.value.message_dict
    assert not Order.objects.exists()


def test_an_imported_order_may_start_further_and_gets_its_date(customer):
    order = services.create_order(customer, status="delivered", lines=[])
    assert order.delivery_date == timezone.localdate()


# Lines ------------------------------------------------------------------------------------


def test_a_line_keeps_the_product_name_and_price_of_the_day(order, sofa):
    line = services.add_line(order, sofa, quantity=2)
    sofa.name, sofa.price = "Sofa “Oslo 2”", Decimal("50000.00")
    sofa.save()
    line.refresh_from_db()
    assert (line.product_name, line.product_price, line.unit_price) == (
        "Sofa “Oslo”",
        Decimal("45000.00"),
        Decimal("45000.00"),
    )
    assert order.subtotal == Decimal("240000.00")  # the caller's instance is up to date
    sofa.delete()
    line.refresh_from_db()
    assert line.product is None and line.product_name == "Sofa “Oslo”"


def test_a_line_may_be_priced_apart_from_the_catalog(order, sofa):
    line = services.add_line(order, sofa.pk, unit_price="39999.995", name="Sofa, showroom")
    assert line.unit_price == Decimal("40000.00")
    assert line.product_price == Decimal("45000.00")
    assert line.product_name == "Sofa, showroom"


def test_a_product_without_a_price_needs_one(order):
    bare = Product.objects.create(name="Custom shelf")
    with pytest.raises(ValidationError) as exc:
        services.add_line(order, bare)
    assert exc.value.message_dict == {"unit_price": ["Enter the unit price."]}


def test_a_line_is_recorded_on_the_timeline(order, staff):
    line = services.add_line(order, name="Hallway", unit_price=20000, actor=staff)
    event = order.events.last()
    assert (event.kind, event.actor, event.customer_visible) == ("line", staff, True)
    assert event.describe() == "Added: Hallway × 1."
    assert event.data["old_total"] == "150000.00" and event.data["new_total"] == "170000.00"
    services.update_line(line, quantity=3, actor=staff)
    assert order.total == Decimal("210000.00")
    assert order.events.last().describe() == "Changed: Hallway × 3."
    services.remove_line(line, actor=staff)
    assert order.total == Decimal("150000.00")
    assert order.events.last().describe() == "Removed: Hallway."


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": -1}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "two"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": 10**12}, "quantity"),
        ({"unit_price": -5}, "unit_price"),
        ({"unit_price": "abc"}, "unit_price"),
        ({"unit_price": "NaN"}, "unit_price"),
        ({"unit_price": "1e40"}, "unit_price"),
        ({"unit_price": 10**11}, "unit_price"),
        ({"unit_price": None}, "unit_price"),
        ({"name": ""}, "name"),
        ({"product": 999999}, "product"),
        ({"product": "not-a-pk"}, "product"),
    ],
)
def test_bad_lines_are_refused_and_nothing_changes(order, changes, field):
    before = snapshot(order)
    arguments = {"name": "Shelf", "quantity": 1, "unit_price": 100, **changes}
    with pytest.raises(ValidationError) as exc:
        services.add_line(order, arguments.pop("product", None), **arguments)
    assert list(exc.value.message_dict) == [field]
    assert snapshot(order) == before


@pytest.mark.parametrize(
    "changes", [{"quantity": -3}, {"unit_price": "-0.01"}, {"name": " "}, {"quantity": 0}]
)
def test_bad_line_changes_are_refused_and_nothing_changes(order, changes):
    line = order.lines.get()
    before = snapshot(order)
    with pytest.raises(ValidationError):
        services.update_line(line, **changes)
    assert snapshot(order) == before


def test_removing_a_line_under_the_adjustments_is_refused(order):
    line = order.lines.get()
    services.add_adjustment(order, "discount", 1000)
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.remove_line(line)
    assert "cannot exceed the subtotal" in exc.value.messages[0]
    assert snapshot(order) == before


# Adjustments ------------------------------------------------------------------------------


def test_adjustments_come_off_the_subtotal(order, staff):
    services.set_delivery_zone(order, "kad-60")
    services.add_adjustment(order, "discount", "5000", label="Spring sale", actor=staff)
    points = services.add_adjustment(order, "points", 1200, reference="ledger:42")
    assert points.label == "Loyalty points"
    order = Order.objects.get(pk=order.pk)
    assert order.subtotal == Decimal("150000.00")
    assert order.adjustments_total == Decimal("6200.00")
    assert order.delivery_cost == Decimal("3000.00")
    assert order.total == Decimal("146800.00")
    assert (
        order.events.last().describe()
        == "Adjustment added: Loyalty points, −1,200\N{NO-BREAK SPACE}₽."
    )
    services.update_adjustment(points, amount=200)
    assert order.adjustments.get(kind="points").amount == Decimal("200.00")
    services.remove_adjustment(points)
    assert Order.objects.get(pk=order.pk).total == Decimal("148000.00")


def test_adjustments_may_take_the_whole_subtotal(order):
    services.add_adjustment(order, "manual", "150000", label="Gift")
    assert order.total == Decimal("0.00")


@pytest.mark.parametrize(
    ("kind", "amount", "field"),
    [
        ("discount", "150000.01", "amount"),
        ("discount", 0, "amount"),
        ("discount", -100, "amount"),
        ("discount", "lots", "amount"),
        ("bribe", 100, "kind"),
    ],
)
def test_bad_adjustments_are_refused_and_nothing_changes(order, kind, amount, field):
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.add_adjustment(order, kind, amount)
    assert list(exc.value.message_dict) == [field]
    assert snapshot(order) == before


def test_adjustments_together_may_not_exceed_the_subtotal(order):
    services.add_adjustment(order, "discount", 100000)
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.add_adjustment(order, "promotion", 50001)
    assert exc.value.message_dict["amount"] == [
        "The adjustments (150001.00) cannot exceed the subtotal (150000.00)."
    ]
    adjustment = order.adjustments.get()
    with pytest.raises(ValidationError):
        services.update_adjustment(adjustment, amount="150000.01")
    assert snapshot(order) == before


# Delivery zones ---------------------------------------------------------------------------


def test_delivery_within_the_ring_road_is_free_and_beyond_is_paid(order):
    services.set_delivery_zone(order, "kad")
    assert (order.delivery_cost, order.total) == (Decimal("0.00"), Decimal("150000.00"))
    services.set_delivery_zone(order, DeliveryZone.objects.get(code="kad-30"))
    assert (order.delivery_cost, order.total) == (Decimal("1500.00"), Decimal("151500.00"))
    assert order.delivery_zone.code == "kad-30"
    services.set_delivery_zone(order, None)
    assert (order.delivery_zone, order.total) == (None, Decimal("150000.00"))


def test_a_manager_overrides_the_delivery_cost_with_a_reason(order, staff):
    services.set_delivery_zone(
        order, "region", cost="2500", reason="Two orders, one trip", actor=staff
    )
    order = Order.objects.get(pk=order.pk)
    assert order.delivery_cost == Decimal("2500.00") and order.delivery_cost_overridden
    assert order.delivery_cost_reason == "Two orders, one trip"
    assert order.total == Decimal("152500.00")
    services.set_delivery_zone(order, "region")  # back to the zone's cost
    assert (order.delivery_cost, order.delivery_cost_overridden) == (Decimal("5000.00"), False)


def test_an_override_without_a_reason_is_refused(order):
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.set_delivery_zone(order, "kad", cost=100, reason="  ")
    assert list(exc.value.message_dict) == ["delivery_cost_reason"]
    assert snapshot(order) == before


@pytest.mark.parametrize("zone", ["mars", 999999, 3.5, object()])
def test_an_unknown_zone_is_refused(order, zone):
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.set_delivery_zone(order, zone)
    assert exc.value.message_dict == {"delivery_zone": ["Unknown delivery zone."]}
    assert snapshot(order) == before


def test_an_inactive_zone_is_refused_for_new_choices_only(order):
    services.set_delivery_zone(order, "kad-60")
    DeliveryZone.objects.filter(code__in=["kad-60", "region"]).update(is_active=False)
    with pytest.raises(ValidationError):
        services.set_delivery_zone(order, "region")
    services.set_delivery_zone(order, "kad-60", cost=1000, reason="Old price agreed")
    assert order.delivery_cost == Decimal("1000.00")


def test_a_zone_price_change_keeps_existing_orders(order):
    services.set_delivery_zone(order, "kad-30")
    DeliveryZone.objects.filter(code="kad-30").update(cost=Decimal("9999.00"))
    services.add_line(order, name="Shelf", unit_price=100)
    assert Order.objects.get(pk=order.pk).delivery_cost == Decimal("1500.00")


def test_the_adapter_prices_delivery(settings, order):
    settings.ISTOK_ORDERS_ADAPTER = "tests.adapters.FreeDeliveryAbove100kAdapter"
    services.set_delivery_zone(order, "region")
    assert order.delivery_cost == Decimal("0.00")


def test_the_adapter_prices_delivery_of_a_new_order_by_its_lines(settings, customer):
    settings.ISTOK_ORDERS_ADAPTER = "tests.adapters.FreeDeliveryAbove100kAdapter"
    big = services.create_order(
        customer, lines=[{"name": "Kitchen", "unit_price": "150000"}], delivery_zone="region"
    )
    small = services.create_order(
        customer, lines=[{"name": "Shelf", "unit_price": "9000"}], delivery_zone="region"
    )
    assert big.delivery_cost == Decimal("0.00") and big.total == Decimal("150000.00")
    assert small.delivery_cost > 0 and small.total == Decimal("9000.00") + small.delivery_cost


def test_setting_the_same_zone_again_records_nothing(order):
    services.set_delivery_zone(order, "kad-30")
    count = order.events.count()
    services.set_delivery_zone(order, "kad-30")
    assert order.events.count() == count
    assert (
        order.events.last().describe()
        == "Delivery: Up to 30 km beyond the ring road, 1,500\N{NO-BREAK SPACE}₽."
    )


# Status -----------------------------------------------------------------------------------


def test_a_status_change_follows_the_pipeline_and_is_recorded(order, staff, capture):
    received = []
    order_status_changed.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t2")
    try:
        with capture():
            services.set_status(order, "measurement", staff, "Measurer booked for Monday")
            assert order.status == "measurement"
    finally:
        order_status_changed.disconnect(dispatch_uid="t2")
    event = order.events.last()
    assert (event.kind, event.old_status, event.new_status) == ("status", "sketch", "measurement")
    assert (event.actor, event.note, event.customer_visible) == (
        staff,
        "Measurer booked for Monday",
        True,
    )
    assert received == [
        {
            "signal": order_status_changed,
            "sender": Order,
            "order": order,
            "old_status": "sketch",
            "new_status": "measurement",
            "actor": staff,
        }
    ]
    changed_at = Order.objects.get(pk=order.pk).status_changed_at
    assert abs(changed_at - event.created) < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("sketch", "production"),
        ("sketch", "delivered"),
        ("production", "cancelled"),
        ("delivered", "sketch"),
        ("engineering", "correction"),
        ("cancelled", "sketch"),
        ("installed", "delivered"),
    ],
)
def test_a_transition_the_pipeline_does_not_allow_is_refused(customer, start, target):
    order = make_order(customer, status=start)
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.set_status(order, target)
    assert exc.value.error_dict["status"][0].code == "transition_not_allowed"
    (message,) = exc.value.message_dict["status"]
    assert message.startswith("An order cannot go from “")
    assert snapshot(order) == before
    assert order.status == start


def test_an_unknown_or_current_status_is_refused(order):
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.set_status(order, "teleported")
    assert exc.value.message_dict == {"status": ["Unknown status “teleported”."]}
    with pytest.raises(ValidationError) as exc:
        services.set_status(order, "sketch")
    assert exc.value.message_dict == {
        "status": ["The order is already in the status “Sketch preparation”."]
    }
    assert snapshot(order) == before


@pytest.mark.parametrize("start", ["sketch", "measurement", "correction", "engineering"])
def test_an_order_can_be_cancelled_before_production(customer, start):
    order = make_order(customer, status=start)
    services.set_status(order, "cancelled")
    assert Order.objects.get(pk=order.pk).status == "cancelled"


def test_correction_may_go_back_to_measurement(customer):
    order = make_order(customer, status="correction")
    services.set_status(order, "measurement")
    services.set_status(order, "correction")
    services.set_status(order, "engineering")
    assert order.status == "engineering"


def test_reaching_a_status_fills_its_date_when_empty(customer):
    planned = date(2031, 5, 20)
    order = make_order(customer, status="delivery")
    assert order.completion_date == timezone.localdate()  # production finished
    services.change_dates(order, delivery_date=planned)
    services.set_status(order, "delivered")
    assert order.delivery_date == planned  # a date already set is kept
    services.set_status(order, "installed")
    assert Order.objects.get(pk=order.pk).installation_date == timezone.localdate()


def test_a_refused_status_change_sends_nothing(order, capture, mailoutbox):
    received = []
    order_status_changed.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t3")
    try:
        with capture(), pytest.raises(ValidationError):
            services.set_status(order, "delivered")
    finally:
        order_status_changed.disconnect(dispatch_uid="t3")
    assert received == [] and mailoutbox == []


def test_a_custom_pipeline_is_used(settings, customer):
    settings.ISTOK_ORDERS_PIPELINE = [
        {"status": "new", "label": "New", "next": ["done"]},
        {"status": "done", "label": "Done", "next": [], "date_field": "completion_date"},
    ]
    order = make_order(customer)
    assert order.status == "new"
    services.set_status(order, "done")
    assert order.completion_date == timezone.localdate()


# Notifications ----------------------------------------------------------------------------


def test_the_customer_is_emailed_on_a_visible_status_change(order, capture, mailoutbox):
    with capture():
        services.set_status(order, "measurement", note="We will call you to agree a time.")
    (message,) = mailoutbox
    assert message.to == [order.customer.email]
    assert message.subject == f"Order {order.number}: Waiting for technical measurement"
    assert "Hello, Anna!" in message.body
    assert "We will call you to agree a time." in message.body
    assert f"/orders/{order.number}/" in message.body


def test_links_in_emails_are_absolute_with_the_site_url(settings, order, capture, mailoutbox):
    settings.ISTOK_ORDERS_SITE_URL = "https://mebel.example/"
    with capture():
        services.set_status(order, "measurement")
    assert f"https://mebel.example/orders/{order.number}/" in mailoutbox[0].body


def test_the_email_is_in_the_customers_language(order, capture, mailoutbox, monkeypatch):
    languages = []
    monkeypatch.setattr(
        "istok_orders.adapter.DefaultOrdersAdapter.get_customer_language",
        lambda self, order: languages.append(order.number) or "ru",
    )
    with capture():
        services.set_status(order, "measurement")
    assert languages == [order.number] and len(mailoutbox) == 1


def test_the_email_is_sent_only_after_commit(order, capture, mailoutbox):
    with capture():
        services.set_status(order, "measurement")
        assert mailoutbox == []
    assert len(mailoutbox) == 1


def test_a_hidden_status_change_is_not_sent(settings, customer, capture, mailoutbox):
    settings.ISTOK_ORDERS_PIPELINE = [
        {"status": "new", "label": "New", "next": ["checked"]},
        {"status": "checked", "label": "Checked", "next": [], "customer_visible": False},
    ]
    order = make_order(customer)
    with capture():
        services.set_status(order, "checked")
    assert mailoutbox == []
    assert not order.events.get(kind="status").customer_visible


def test_a_failing_mail_server_is_logged_and_the_change_stays(order, capture, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server is down")

    monkeypatch.setattr("istok_orders.adapter.send_mail", refuse)
    with caplog.at_level(logging.ERROR, logger="istok_orders"), capture():
        services.set_status(order, "measurement")
    assert Order.objects.get(pk=order.pk).status == "measurement"
    assert "Could not notify the customer of order" in caplog.text
    assert "mail server is down" in caplog.text


def test_a_failing_adapter_is_logged_and_the_change_stays(settings, order, capture, caplog):
    settings.ISTOK_ORDERS_ADAPTER = "tests.adapters.BrokenAdapter"
    with caplog.at_level(logging.ERROR, logger="istok_orders"), capture():
        services.set_status(order, "measurement")
    assert Order.objects.get(pk=order.pk).status == "measurement"
    assert "the SMS gateway is down" in caplog.text


def test_the_adapter_routes_notifications(settings, order, capture, mailoutbox):
    settings.ISTOK_ORDERS_ADAPTER = "tests.adapters.RecordingAdapter"
    RecordingAdapter.sent.clear()
    with capture():
        services.set_status(order, "measurement")
        make_document(order, "contract")
        make_document(order, "receipt", customer_visible=False)
    assert RecordingAdapter.sent == [
        (order.number, "status", "measurement"),
        (order.number, "document", ""),
    ]
    assert mailoutbox == []


def test_a_customer_without_email_gets_nothing(capture, mailoutbox):
    order = make_order(make_customer(email=""))
    with capture():
        services.set_status(order, "measurement")
    assert mailoutbox == []


# Dates, details, notes --------------------------------------------------------------------


def test_moving_the_deadline_is_on_the_customers_timeline(order, staff):
    services.change_dates(order, deadline=date(2031, 3, 1), actor=staff)
    services.change_dates(order, deadline="2031-03-15", delivery_date=date(2031, 3, 10))
    assert order.deadline == date(2031, 3, 15)
    events = list(order.events.filter(kind="date"))
    assert [e.data["field"] for e in events] == ["deadline", "deadline", "delivery_date"]
    assert all(e.customer_visible for e in events)
    assert events[0].actor == staff
    assert events[1].describe() == "Deadline set to March 15, 2031."
    services.change_dates(order, deadline=None)
    assert order.events.last().describe() == "Deadline cleared."


def test_an_unchanged_date_records_nothing(order):
    services.change_dates(order, deadline=date(2031, 3, 1))
    count = order.events.count()
    services.change_dates(order, deadline=date(2031, 3, 1))
    assert order.events.count() == count


@pytest.mark.parametrize(
    "dates", [{"deadline": "31.02.2031"}, {"deadline": "soon"}, {"order_date": None}]
)
def test_bad_dates_are_refused_and_nothing_changes(order, dates):
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.change_dates(order, **dates)
    assert list(exc.value.message_dict) == list(dates)
    assert snapshot(order) == before


def test_details_and_notes(order, staff):
    services.update_details(order, delivery_address="Liteyny 5", phone="+7 812 000-00-00")
    event = order.events.last()
    assert event.customer_visible
    assert event.describe() == "Changed: delivery address, contact phone."
    services.update_details(order, notes="Lift is small", actor=staff)
    assert not order.events.last().customer_visible
    assert Order.objects.get(pk=order.pk).delivery_address == "Liteyny 5"


@pytest.mark.parametrize(
    "changes", [{"phone": "+7" * 20}, {"delivery_address": None, "phone": "1" * 33}]
)
def test_a_too_long_phone_is_refused(order, changes):
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.update_details(order, **changes)
    assert exc.value.message_dict == {"phone": ["Use at most 32 characters."]}
    assert snapshot(order) == before


def test_manager_notes_are_hidden_unless_shared(order, staff):
    hidden = services.add_note(order, "Customer prefers mornings", actor=staff)
    shared = services.add_note(order, "Facades are on order", actor=staff, customer_visible=True)
    assert (hidden.kind, hidden.customer_visible, hidden.describe()) == (
        "note",
        False,
        "Customer prefers mornings",
    )
    assert shared.customer_visible
    with pytest.raises(ValidationError):
        services.add_note(order, "   ")


# Documents --------------------------------------------------------------------------------


def test_each_upload_is_a_new_version_and_earlier_ones_stay(order, staff, private_root):
    first = make_document(order, "contract", actor=staff)
    second = services.attach_document(order, "contract", pdf_file("contract-signed.pdf"))
    assert (first.version, second.version) == (1, 2)
    assert second.original_name == "contract-signed.pdf"
    assert second.content_type == "application/pdf"
    assert first.uploaded_by == staff
    assert Document.objects.filter(order=order).count() == 2
    for document in (first, second):
        assert (private_root / document.file.name).exists()
        assert document.file.read().startswith(b"%PDF-")
    assert make_document(order, "specification").version == 1
    event = order.events.filter(kind="document").last()
    assert event.describe() == "New document: Specification, version 1."


def test_documents_are_stored_privately_without_a_url(order, settings, private_root):
    document = make_document(order)
    path = (private_root / document.file.name).resolve()
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


def test_3d_models_are_checked_as_gltf(order):
    from istok_orders.testing.factories import glb_file, gltf_file

    glb = services.attach_document(order, "model_3d", glb_file())
    gltf = services.attach_document(order, "model_3d", gltf_file())
    assert (glb.content_type, gltf.content_type) == ("model/gltf-binary", "model/gltf+json")
    assert gltf.version == 2


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("kind", "file", "message"),
    [
        (
            "contract",
            upload("contract.pdf", b"<html>not a pdf</html>"),
            "The contract must be a PDF file.",
        ),
        ("receipt", upload("receipt.pdf", b"\x89PNG\r\n"), "The receipt must be a PDF file."),
        ("specification", upload("empty.pdf", b""), "The file is empty."),
        (
            "model_3d",
            upload("model.glb", b"%PDF-1.4"),
            "The 3D model must be a glTF file (.glb or .gltf).",
        ),
        (
            "model_3d",
            upload("model.gltf", b'{"scenes": []}'),
            "The 3D model must be a glTF file (.glb or .gltf).",
        ),
        (
            "model_3d",
            upload("model.gltf", b"[" * 100000),
            "The 3D model must be a glTF file (.glb or .gltf).",
        ),
        (
            "model_3d",
            upload("model.gltf", b"\xff\xfe garbage"),
            "The 3D model must be a glTF file (.glb or .gltf).",
        ),
        ("contract", None, "Choose a file."),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_stored(order, kind, file, message, private_root):
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.attach_document(order, kind, file)
    assert exc.value.message_dict == {"file": [message]}
    assert snapshot(order) == before
    assert not private_root.exists() or not any(private_root.rglob("*.*"))


def test_an_oversized_document_is_refused(settings, order, private_root):
    settings.ISTOK_ORDERS_DOCUMENT_MAX_SIZE = 1000
    before = snapshot(order)
    with pytest.raises(ValidationError) as exc:
        services.attach_document(order, "contract", pdf_file(size=1001))
    assert exc.value.message_dict == {
        "file": ["The file is too large (1001\xa0bytes); the limit is 1000\xa0bytes."]
    }
    assert snapshot(order) == before
    assert services.attach_document(order, "contract", pdf_file(size=1000)).size == 1000


def test_an_unknown_document_kind_is_refused(order):
    with pytest.raises(ValidationError) as exc:
        services.attach_document(order, "selfie", pdf_file())
    assert list(exc.value.message_dict) == ["kind"]


def test_document_attached_is_sent_and_the_customer_told(order, capture, mailoutbox):
    received = []
    document_attached.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t4")
    try:
        with capture():
            document = make_document(order, "specification")
            hidden = make_document(order, "receipt", customer_visible=False)
    finally:
        document_attached.disconnect(dispatch_uid="t4")
    assert [r["document"] for r in received] == [document, hidden]
    assert received[0]["order"] == order
    (message,) = mailoutbox
    assert message.subject == f"Order {order.number}: a new document"
    assert "Specification (version 1)" in message.body
    assert not order.events.get(kind="document", data__kind="receipt").customer_visible


def test_a_storage_alias_is_used(settings, order):
    settings.STORAGES = {
        **settings.STORAGES,
        "orders": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.ISTOK_ORDERS_DOCUMENT_STORAGE = "orders"
    document = make_document(order)
    from django.core.files.storage import storages

    assert storages["orders"].exists(document.file.name)
    assert document.file.read().startswith(b"%PDF-")


def test_a_storage_class_path_is_used(settings, order):
    settings.ISTOK_ORDERS_DOCUMENT_STORAGE = "django.core.files.storage.InMemoryStorage"
    document = make_document(order)
    assert document.file.storage.backend.__class__.__name__ == "InMemoryStorage"


# The timeline for the customer ------------------------------------------------------------


def test_the_customer_timeline_leaves_out_internal_events(order, staff):
    from istok_orders.selectors import customer_timeline

    services.add_note(order, "internal", actor=staff)
    services.set_status(order, "measurement", actor=staff)
    services.update_details(order, notes="internal too")
    kinds = [e.kind for e in customer_timeline(order)]
    assert kinds == ["created", "status"]


def test_an_event_of_a_status_the_pipeline_dropped_shows_its_code(order, settings):
    services.set_status(order, "measurement")
    settings.ISTOK_ORDERS_PIPELINE = [{"status": "new", "label": "New", "next": []}]
    event = order.events.get(kind="status")
    assert event.describe() == "Status changed from “sketch” to “measurement”."
    assert Order.objects.get(pk=order.pk).get_status_display() == "measurement"


def test_timestamps(order):
    assert order.created <= timezone.now()
    assert order.status_changed_at <= timezone.now() + timedelta(seconds=1)


def test_other_apps_find_their_adjustments_through_the_selector(order):
    from istok_orders.selectors import order_adjustments

    services.add_adjustment(order, "discount", 100, reference="shop:1")
    services.add_adjustment(order, "points", 50, reference="istok_loyalty:redeem:7")
    assert [a.kind for a in order_adjustments(order)] == ["discount", "points"]
    assert [a.amount for a in order_adjustments(order, kind="points")] == [Decimal("50.00")]
    found = order_adjustments(order, reference_prefix="istok_loyalty:")
    assert [a.reference for a in found] == ["istok_loyalty:redeem:7"]
