"""The admin: lists, filters and search; every change goes through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from istok_orders import services
from istok_orders.models import Adjustment, DeliveryZone, Document, Order, OrderEvent
from istok_orders.testing.factories import make_customer, make_order, make_staff, pdf_file

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:istok_orders_order_changelist"


def change_url(order):
    return reverse("admin:istok_orders_order_change", args=[order.pk])


@pytest.fixture
def admin_client(client):
    client.force_login(make_staff(is_superuser=True, username="boss"))
    return client


def _put(data, bound):
    value = bound.value()
    if isinstance(bound.field, forms.BooleanField):
        if value:
            data[bound.html_name] = "on"
        return
    if isinstance(value, FieldFile) or isinstance(bound.field, forms.FileField):
        return
    if value is None:
        value = ""
    if isinstance(value, list | tuple):
        data[bound.html_name] = [str(v) for v in value]
    elif isinstance(value, date):
        data[bound.html_name] = value.isoformat()
    else:
        data[bound.html_name] = str(value)


def form_data(response, **changes):
    """The change form as the browser would post it back, with ``changes``."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            _put(data, formset.management_form[name])
        for item in formset.forms:
            for name in item.fields:
                _put(data, item[name])
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def prefix(response, model):
    for inline in response.context["inline_admin_formsets"]:
        # Two inlines show documents: the upload one is the one with a file field.
        uploads = "file" in inline.formset.form.base_fields
        if inline.formset.model is model and (model is not Document or uploads):
            return inline.formset.prefix
    raise LookupError(model)


def post_change(client, order, **changes):
    response = client.get(change_url(order))
    return client.post(change_url(order), form_data(response, **changes))


def snapshot(order):
    fresh = Order.objects.get(pk=order.pk)
    return (
        {f.attname: getattr(fresh, f.attname) for f in Order._meta.concrete_fields},
        list(fresh.lines.values()),
        list(fresh.adjustments.values()),
        fresh.events.count(),
        fresh.documents.count(),
    )


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_status_total_zone_and_flags(admin_client, customer):
    order = make_order(customer, deadline=timezone.localdate() - timedelta(days=3))
    services.set_delivery_zone(order, "kad-30")
    response = admin_client.get(reverse(CHANGELIST))
    content = response.content.decode()
    assert response.status_code == 200
    assert order.number in content
    assert "Sketch preparation" in content
    assert "deadline passed 3 day(s) ago" in content
    assert "Up to 30 km beyond the ring road" in content


def test_the_list_runs_the_same_queries_for_many_orders(
    admin_client, customer, django_assert_max_num_queries
):
    make_order(customer)
    with django_assert_max_num_queries(20) as few:
        admin_client.get(reverse(CHANGELIST))
    for number in range(10):
        make_order(make_customer(), deadline=date(2020, 1, number + 1))
    with django_assert_max_num_queries(len(few)):
        admin_client.get(reverse(CHANGELIST))


def numbers_in(response):
    return {order.number for order in response.context["cl"].result_list}


@pytest.fixture
def several(customer):
    today = timezone.localdate()
    late = make_order(customer, deadline=today - timedelta(days=1))
    stuck = make_order(customer, status="production")
    Order.objects.filter(pk=stuck.pk).update(status_changed_at=timezone.now() - timedelta(days=31))
    fine = make_order(
        make_customer(first_name="Vera", email="vera@mebel.example"), phone="+7 921 555-44-33"
    )
    services.set_delivery_zone(fine, "region")
    delivered = make_order(customer, status="delivered", deadline=today - timedelta(days=9))
    return {"late": late, "stuck": stuck, "fine": fine, "delivered": delivered}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("flag=overdue", {"late"}),
        ("flag=stuck", {"stuck"}),
        ("flag=any", {"late", "stuck"}),
        ("status=production", {"stuck"}),
        ("status=delivered", {"delivered"}),
        ("delivery_zone__id__exact={region}", {"fine"}),
    ],
)
def test_filters(admin_client, several, query, expected):
    region = DeliveryZone.objects.get(code="region").pk
    response = admin_client.get(reverse(CHANGELIST) + "?" + query.format(region=region))
    assert response.status_code == 200
    assert numbers_in(response) == {several[name].number for name in expected}


def test_date_filters(admin_client, several):
    today = timezone.localdate()
    response = admin_client.get(
        reverse(CHANGELIST) + f"?order_date__gte={today.isoformat()}"
        f"&order_date__lt={(today + timedelta(days=1)).isoformat()}"
    )
    assert response.status_code == 200
    assert len(numbers_in(response)) == 4


@pytest.mark.parametrize("term", ["{number}", "vera@mebel", "Vera", "555-44-33"])
def test_search_by_number_customer_and_phone(admin_client, several, term):
    fine = several["fine"]
    response = admin_client.get(reverse(CHANGELIST), {"q": term.format(number=fine.number)})
    assert numbers_in(response) == {fine.number}


def test_orders_cannot_be_deleted(admin_client, order):
    response = admin_client.get(reverse("admin:istok_orders_order_delete", args=[order.pk]))
    assert response.status_code == 403


# The change form --------------------------------------------------------------------------


def test_the_change_form_shows_the_inlines(admin_client, order):
    services.add_adjustment(order, "discount", 100)
    services.attach_document(order, "contract", pdf_file())
    response = admin_client.get(change_url(order))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kitchen “Nord”" in content
    assert f"/orders/{order.number}/documents/" in content
    assert "Order " + order.number + " was created." in content
    status = response.context["adminform"].form.fields["status"]
    assert [code for code, _label in status.choices] == ["sketch", "measurement", "cancelled"]


def test_a_status_change_in_the_form_goes_through_set_status(admin_client, order, mailoutbox):
    response = post_change(admin_client, order, status="measurement", status_note="Booked")
    assert response.status_code == 302, response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.status == "measurement"
    event = order.events.get(kind="status")
    assert (event.actor.username, event.note) == ("boss", "Booked")


def test_a_status_the_pipeline_does_not_allow_is_a_form_error(admin_client, order):
    before = snapshot(order)
    response = post_change(admin_client, order, status="delivered")
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert snapshot(order) == before


def test_dates_details_zone_and_a_note_from_the_form(admin_client, order):
    response = post_change(
        admin_client,
        order,
        deadline="2031-04-01",
        delivery_address="Liteyny 5",
        delivery_zone=str(DeliveryZone.objects.get(code="kad-60").pk),
        note="Call before coming",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.deadline == date(2031, 4, 1)
    assert order.delivery_address == "Liteyny 5"
    assert order.delivery_cost == Decimal("3000.00") and order.total == Decimal("153000.00")
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == ["created", "date", "details", "delivery", "note"]


def test_a_delivery_cost_by_hand_needs_a_reason(admin_client, order):
    before = snapshot(order)
    response = post_change(admin_client, order, delivery_cost_override="500")
    assert "delivery_cost_reason" in response.context["adminform"].form.errors
    assert snapshot(order) == before
    response = post_change(
        admin_client, order, delivery_cost_override="500", delivery_cost_reason="Regular client"
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.delivery_cost, order.delivery_cost_overridden) == (Decimal("500.00"), True)


def test_lines_are_changed_through_the_services(admin_client, order):
    response = admin_client.get(change_url(order))
    lines = prefix(response, order.lines.model)
    data = form_data(response, **{f"{lines}-0-quantity": "2"})
    data.update(
        {
            f"{lines}-TOTAL_FORMS": "2",
            f"{lines}-1-product_name": "Shelf",
            f"{lines}-1-quantity": "3",
            f"{lines}-1-unit_price": "1000",
            f"{lines}-1-order": str(order.pk),
        }
    )
    response = admin_client.post(change_url(order), data)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.subtotal == Decimal("303000.00")
    actions = [e.data["action"] for e in order.events.filter(kind="line")]
    assert actions == ["changed", "added"]


@pytest.mark.parametrize(
    ("field", "value"), [("quantity", "-1"), ("quantity", "0"), ("unit_price", "-5")]
)
def test_bad_lines_are_form_errors_and_nothing_changes(admin_client, order, field, value):
    before = snapshot(order)
    response = admin_client.get(change_url(order))
    lines = prefix(response, order.lines.model)
    response = admin_client.post(
        change_url(order), form_data(response, **{f"{lines}-0-{field}": value})
    )
    assert response.status_code == 200
    assert snapshot(order) == before


def test_adjustments_over_the_subtotal_are_refused_without_an_error_page(admin_client, order):
    before = snapshot(order)
    response = admin_client.get(change_url(order))
    adjustments = prefix(response, Adjustment)
    data = form_data(response)
    data.update(
        {
            f"{adjustments}-TOTAL_FORMS": "1",
            f"{adjustments}-0-kind": "discount",
            f"{adjustments}-0-amount": "150000.01",
            f"{adjustments}-0-order": str(order.pk),
            "deadline": "2031-01-01",
        }
    )
    response = admin_client.post(change_url(order), data, follow=True)
    assert response.status_code == 200
    assert "cannot exceed the subtotal" in response.content.decode()
    assert snapshot(order) == before  # the deadline change was rolled back with it


def test_a_document_is_uploaded_as_a_new_version(admin_client, order):
    services.attach_document(order, "contract", pdf_file())
    response = admin_client.get(change_url(order))
    uploads = prefix(response, Document)
    data = form_data(response)
    data.update(
        {
            f"{uploads}-0-kind": "contract",
            f"{uploads}-0-file": pdf_file("signed.pdf"),
            f"{uploads}-0-customer_visible": "on",
        }
    )
    response = admin_client.post(change_url(order), data)
    assert response.status_code == 302
    latest = order.documents.get(version=2)
    assert (latest.kind, latest.original_name, latest.uploaded_by.username) == (
        "contract",
        "signed.pdf",
        "boss",
    )


def test_a_non_pdf_contract_is_a_form_error(admin_client, order):
    before = snapshot(order)
    response = admin_client.get(change_url(order))
    uploads = prefix(response, Document)
    data = form_data(response)
    data.update(
        {
            f"{uploads}-0-kind": "contract",
            f"{uploads}-0-file": SimpleUploadedFile("contract.pdf", b"MZ\x90\x00"),
        }
    )
    response = admin_client.post(change_url(order), data)
    assert response.status_code == 200
    assert "The contract must be a PDF file." in response.content.decode()
    assert snapshot(order) == before


def test_adding_an_order_in_the_admin(admin_client, customer):
    url = reverse("admin:istok_orders_order_add")
    response = admin_client.get(url)
    lines = prefix(response, Order.lines.rel.related_model)
    data = form_data(response)
    data.update(
        {
            "customer": str(customer.pk),
            "status": "sketch",
            "order_date": timezone.localdate().isoformat(),
            "delivery_zone": str(DeliveryZone.objects.get(code="kad").pk),
            f"{lines}-TOTAL_FORMS": "1",
            f"{lines}-0-product_name": "Wardrobe",
            f"{lines}-0-quantity": "1",
            f"{lines}-0-unit_price": "80000",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    order = Order.objects.get()
    assert order.number.endswith("-00001")
    assert order.total == Decimal("80000.00")
    assert order.events.first().kind == "created"


# The status action ------------------------------------------------------------------------


def test_the_status_action_asks_then_moves_what_it_may(admin_client, customer):
    first, second = make_order(customer), make_order(customer, status="production")
    url = reverse(CHANGELIST)
    chosen = {"action": "change_status", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}
    response = admin_client.post(url, chosen)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/istok_orders/order/change_status.html"
    response = admin_client.post(
        url, {**chosen, "apply": "1", "status": "measurement", "note": "Bulk"}, follow=True
    )
    content = response.content.decode()
    assert "1 order moved." in content
    assert f"{second.number}: An order cannot go from “Production” to “Waiting" in content
    assert Order.objects.get(pk=first.pk).status == "measurement"
    assert Order.objects.get(pk=second.pk).status == "production"
    assert OrderEvent.objects.filter(kind="status", note="Bulk").count() == 1


def test_zones_are_edited_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:istok_orders_deliveryzone_changelist"))
    assert response.status_code == 200
    assert "Within the ring road (KAD)" in response.content.decode()
