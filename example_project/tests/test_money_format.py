"""One money format across the composed apps: the catalog's card, the order page, the
loyalty pages, the order email and the admin all read an amount the same way
(istok_core.formatting): grouped by the language, the rouble sign, kopecks only when
there are some."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.test_pages import get_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not all(
            apps.is_installed(app) for app in ("istok_catalog", "istok_orders", "istok_loyalty")
        ),
        reason="the catalog, orders and loyalty are not all composed",
    ),
]

NBSP = "\N{NO-BREAK SPACE}"
RU = {
    "whole": f"132{NBSP}300{NBSP}₽",
    "kopecks": f"99,50{NBSP}₽",
    "points": f"1{NBSP}200{NBSP}баллов",
}
EN = {"whole": f"132,300{NBSP}₽", "kopecks": f"99.50{NBSP}₽", "points": f"1,200{NBSP}points"}


@pytest.fixture
def priced(customer, django_capture_on_commit_callbacks):
    from istok_catalog.models import ServiceProduct
    from istok_loyalty import services as loyalty
    from istok_orders import services as orders

    product = ServiceProduct.objects.create(
        name="Кухня под заказ", slug="kitchen-made", price=Decimal("132300"), is_published=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = orders.create_order(customer, lines=[{"product": product}])
        orders.add_adjustment(order, "discount", "99.50", label="Скидка")
        orders.add_adjustment(order, "discount", "0.50", label="Округление")
    loyalty.earn(customer, 1200, reason="other")
    return product, order


@pytest.mark.parametrize("language, expected", [("ru", RU), ("en", EN)])
def test_pages_read_amounts_the_same_way(customer_client, priced, language, expected):
    product, order = priced
    catalog = get_in(customer_client, reverse("istok_catalog:product_list"), language)
    assert expected["whole"] in catalog
    detail = get_in(
        customer_client, reverse("istok_orders:order_detail", args=[order.number]), language
    )
    assert expected["whole"] in detail  # the line and the subtotal
    assert expected["kopecks"] in detail  # the discount
    points = get_in(customer_client, reverse("istok_loyalty:points"), language)
    assert expected["points"] in points
    for page in (catalog, detail, points):
        assert "RUB" not in page
        assert "300,00" not in page and "300.00" not in page  # no kopecks when none


def test_the_order_email_reads_the_total_the_same_way(
    customer, priced, mailoutbox, django_capture_on_commit_callbacks
):
    from istok_orders import services as orders

    _product, order = priced
    with django_capture_on_commit_callbacks(execute=True):
        orders.set_status(order, "measurement")
    body = mailoutbox[-1].body
    # 132 300 − 99,50 − 0,50 = 132 200 ₽, in the language the email is written in.
    assert f"132{NBSP}200{NBSP}₽" in body or f"132,200{NBSP}₽" in body


def test_the_admin_reads_amounts_the_same_way(client, priced):
    _product, order = priced
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "x")
    client.force_login(admin)
    changelist = get_in(client, reverse("admin:istok_orders_order_changelist"), "ru")
    assert f"132{NBSP}200{NBSP}₽" in changelist
    change = get_in(client, reverse("admin:istok_orders_order_change", args=[order.pk]), "ru")
    assert RU["whole"] in change  # the subtotal
    products = get_in(client, reverse("admin:istok_catalog_product_changelist"), "ru")
    assert RU["whole"] in products
