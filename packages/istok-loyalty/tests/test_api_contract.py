"""The loyalty API as its OpenAPI schema describes it (drf-spectacular), and its 404s."""

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from istok_loyalty import services
from istok_loyalty.testing.factories import make_customer, make_news, make_promotion

pytestmark = pytest.mark.django_db

API = "/api/loyalty/"


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def component(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def test_a_referral_without_a_gift_is_documented_and_answered_with_null(schema, api, customer):
    friend = make_customer()
    services.apply_referral(customer, services.get_or_create_account(friend).referral_code)

    gift = component(schema, "OwnReferral")["gift"]
    assert gift["nullable"] is True
    assert api.get(API + "me/").json()["referral"]["gift"] is None


@pytest.mark.parametrize(
    ("name", "path", "make"),
    [
        ("Promotion", "promotions/{pk}/", make_promotion),
        ("NewsDetail", "news/{slug}/", make_news),
    ],
)
def test_a_picture_left_out_is_documented_and_answered_with_null(schema, api, name, path, make):
    item = make()
    assert component(schema, name)["image"]["nullable"] is True
    data = api.get(API + path.format(pk=item.pk, slug=getattr(item, "slug", ""))).json()
    assert data["image"] is None


@pytest.mark.parametrize("path", ["promotions/999999/", "news/no-such-news/"])
def test_a_missing_promotion_or_news_item_is_a_translated_404_naming_no_model(path):
    client = APIClient()
    response = client.get(API + path, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}
    assert client.get(API + path).json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["orders/2026-99999/pay/", "orders/2026-99999/promotion/"])
def test_a_missing_order_is_a_translated_404(api, path):
    response = api.post(API + path, {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}


def test_a_history_page_past_the_end_is_a_translated_404(api):
    response = api.get(API + "me/transactions/", {"page": 99}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert "detail" in response.json()
    assert response.json()["detail"] != "Invalid page."


def test_the_orders_endpoints_need_istok_orders_to_find_anything(api):
    if apps.is_installed("istok_orders"):
        pytest.skip("runs without istok_orders (tests.settings)")
    response = api.post(API + "orders/2026-00001/pay/", {"points": 1}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
