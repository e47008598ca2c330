"""istok_orders composed with the catalog: pages in the portal, the demo order, email."""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import resolve, reverse

from tests.test_pages import assert_portal_page, get_in

pytestmark = pytest.mark.skipif(
    not (apps.is_installed("istok_orders") and apps.is_installed("istok_catalog")),
    reason="istok_orders and istok_catalog are not both composed",
)


@pytest.fixture
def demo_order(db):
    from istok_orders import selectors

    call_command("load_demo", stdout=StringIO())
    demo = get_user_model().objects.get(username="demo")
    return selectors.customer_orders(demo).get()


def demo_client(client):
    assert client.login(request=HttpRequest(), username="demo", password="istok-demo")
    return client


def test_orders_use_the_catalog_product(settings):
    from istok_orders import get_product_model

    assert settings.ISTOK_ORDERS_PRODUCT_MODEL == "istok_catalog.Product"
    assert get_product_model()._meta.label == "istok_catalog.Product"
    assert list(settings.INSTALLED_APPS).index("istok_catalog") < list(
        settings.INSTALLED_APPS
    ).index("istok_orders")


def test_orders_are_routed_under_orders():
    assert reverse("istok_orders:order_list") == "/orders/"
    assert resolve("/api/orders/").namespace == "istok_orders_api"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_my_orders_is_in_the_navigation_of_a_customer(customer_client, language):
    html = get_in(customer_client, "/", language)
    assert 'href="/orders/"' in html
    assert ("Мои заказы" if language == "ru" else "My orders") in html
    page = get_in(customer_client, "/orders/", language)
    assert_portal_page(page, language)
    assert 'aria-current="page"' in page


@pytest.mark.django_db
def test_my_orders_needs_a_signed_in_user(client):
    response = client.get("/orders/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("istok_accounts:login"))


def test_demo_customer_sees_the_demo_order(client, demo_order):
    demo_client(client)
    listing = client.get("/orders/").content.decode()
    assert demo_order.number in listing
    html = client.get(f"/orders/{demo_order.number}/").content.decode()
    assert 'lang="ru"' in html
    assert "istok-steps__item--done" in html
    assert "istok-steps__item--current" in html
    assert html.count("istok-orders-timeline__event ") >= 4
    assert "Замерщик приедет" in html  # a note of the timeline
    assert "Кухня" in html  # the kitchen from the catalog

    document = demo_order.documents.get(kind="contract")
    response = client.get(f"/orders/{demo_order.number}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")


def test_demo_order_is_a_kitchen_delivered_beyond_the_ring_road(demo_order):
    from django.http import QueryDict

    from istok_catalog.selectors import filter_products

    kitchen = demo_order.lines.order_by("pk").first()
    kitchens = filter_products(QueryDict("category=kitchen")).qs
    assert kitchens.filter(pk=kitchen.product_id).exists()
    assert kitchen.product_name.startswith("Кухня")
    assert demo_order.delivery_zone.code == "kad-30"
    # With istok_booking the order waits for its booked measurement visit (booking_demo).
    waiting = "measurement" if apps.is_installed("istok_booking") else "correction"
    assert demo_order.status == waiting
    assert demo_order.total == demo_order.subtotal + demo_order.delivery_cost


def test_another_customer_gets_404(customer_client, demo_order):
    number = demo_order.number
    document = demo_order.documents.get(kind="contract")
    assert customer_client.get(f"/orders/{number}/").status_code == 404
    assert customer_client.get(f"/orders/{number}/documents/{document.pk}/").status_code == 404
    assert number not in customer_client.get("/orders/").content.decode()
    assert customer_client.get(f"/api/orders/{number}/").status_code == 404


def test_demo_order_in_the_api(client, demo_order):
    demo_client(client)
    response = client.get(f"/api/orders/{demo_order.number}/")
    assert response.status_code == 200
    assert response.json()["number"] == demo_order.number


def test_status_change_emails_the_customer(
    customer, mailoutbox, django_capture_on_commit_callbacks
):
    # istok_orders sends with django.core.mail.send_mail: whatever configures the backend
    # (MAILERS on Django 6.1+, EMAIL_BACKEND before), the test runner's outbox gets it.
    from istok_orders import services

    with django_capture_on_commit_callbacks(execute=True):
        order = services.create_order(customer, lines=[{"name": "Шкаф", "unit_price": "1000"}])
        services.set_status(order, "measurement")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [customer.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert order.number in message.subject + message.body


def test_overdue_orders_are_mailed_to_the_managers(customer, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from istok_orders import services

    services.create_order(
        customer,
        lines=[{"name": "Шкаф", "unit_price": "1000"}],
        order_date=timezone.localdate() - timedelta(days=30),
        deadline=timezone.localdate() - timedelta(days=1),
    )
    call_command("istok_orders_overdue", "--email", stdout=StringIO())
    assert len(mailoutbox) == 1
    managers = [m if isinstance(m, str) else m[1] for m in settings.MANAGERS]
    assert mailoutbox[0].to == managers


def test_order_emails_link_to_the_site_absolutely():
    from istok_orders.adapter import get_adapter

    class Order:
        number = "2026-00042"

    assert get_adapter().get_order_url(Order()) == "http://127.0.0.1:8000/orders/2026-00042/"
