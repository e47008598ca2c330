"""Paying orders with points is rate-limited per customer, the page and the API together
(``ISTOK_LOYALTY_PAY_RATE``): past the limit, HTTP 429 with ``Retry-After`` and nothing
paid. Needs istok_orders (``--ds tests.settings_orders`` or ``tests.settings_full``)."""

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from istok_loyalty import selectors
from istok_loyalty.testing.factories import give_points

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("istok_orders"),
        reason="istok_orders is not installed (run with --ds tests.settings_orders)",
    ),
]


@pytest.fixture
def order(customer):
    from istok_orders.testing.factories import make_order

    give_points(customer, 10000)
    return make_order(customer)


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def api_path(order):
    return f"/api/loyalty/orders/{order.number}/pay/"


def page_path(order):
    return reverse("istok_loyalty:pay_order", args=[order.number])


def test_the_pay_endpoint_answers_429_past_the_limit_and_pays_nothing(api, customer, order):
    from django.conf import settings

    assert settings.ISTOK_LOYALTY_PAY_RATE == "30/hour"
    statuses = [
        api.post(api_path(order), {"points": 10}, format="json").status_code for _ in range(30)
    ]
    assert statuses == [201] * 30
    response = api.post(api_path(order), {"points": 10}, format="json")
    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert response.json() == {"detail": "Too many attempts. Please try again in 60 minutes."}
    assert selectors.balance(customer) == 10000 - 30 * 10


def test_refused_and_replayed_payments_count_too(api, customer, order, settings):
    settings.ISTOK_LOYALTY_PAY_RATE = "3/hour"
    api.post(api_path(order), {"points": 999999}, format="json")
    key = {"HTTP_IDEMPOTENCY_KEY": "same"}
    api.post(api_path(order), {"points": 10}, format="json", **key)
    api.post(api_path(order), {"points": 10}, format="json", **key)
    response = api.post(api_path(order), {"points": 10}, format="json")
    assert response.status_code == 429
    assert selectors.balance(customer) == 10000 - 10


def test_the_pay_page_and_the_api_share_the_limit(api, client, customer, order, settings):
    settings.ISTOK_LOYALTY_PAY_RATE = "2/hour"
    client.force_login(customer)
    assert client.post(page_path(order), {"points": 10}).status_code == 302
    assert api.post(api_path(order), {"points": 10}, format="json").status_code == 201
    page = client.post(page_path(order), {"points": 10}, headers={"accept-language": "ru"})
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert "Слишком много попыток. Попробуйте снова через 60 минут." in page.content.decode()
    assert api.post(api_path(order), {"points": 10}, format="json").status_code == 429
    assert selectors.balance(customer) == 10000 - 20


def test_each_customer_has_their_own_limit(customer, other_customer, order, settings):
    from istok_orders.testing.factories import make_order

    settings.ISTOK_LOYALTY_PAY_RATE = "1/hour"
    anna = APIClient()
    anna.force_authenticate(customer)
    anna.post(api_path(order), {"points": 10}, format="json")
    assert anna.post(api_path(order), {"points": 10}, format="json").status_code == 429
    give_points(other_customer, 100)
    boris = APIClient()
    boris.force_authenticate(other_customer)
    other_order = make_order(other_customer)
    assert boris.post(api_path(other_order), {"points": 10}, format="json").status_code == 201
