"""The REST API: a customer only ever sees their own account; bad input is a 400."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.test import APIClient

from istok_loyalty import services
from istok_loyalty.testing.factories import give_points, make_news, make_promotion

pytestmark = pytest.mark.django_db

API = "/api/loyalty/"


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


@pytest.mark.parametrize(
    "path", ["me/", "me/transactions/", "me/referrals/", "me/gift/", "orders/2026-00001/pay/"]
)
def test_the_customer_endpoints_need_a_signed_in_user(path):
    client = APIClient()
    response = client.post(API + path) if path in ("me/gift/",) else client.get(API + path)
    assert response.status_code == 403


def test_me_shows_balance_expiring_code_and_link(api, customer):
    give_points(customer, 500, reason="signup")
    row = services.earn(
        customer, 40, reason="order_cashback", expires_at=timezone.now() + timedelta(days=2)
    )
    data = api.get(API + "me/").json()
    account = services.get_or_create_account(customer)
    assert data["balance"] == 540
    assert data["balance_value"] == "540.00"
    assert data["currency"] == "RUB"
    assert [e["points"] for e in data["expiring_soon"]] == [40]
    assert data["expiring_soon"][0]["date"] == timezone.localdate(row.expires_at).isoformat()
    assert data["referral_code"] == account.referral_code
    assert data["referral_link"] == f"http://testserver/r/{account.referral_code}/"
    assert data["referral"] is None


def test_me_opens_the_account_on_first_use(api, customer):
    data = api.get(API + "me/").json()
    assert data["balance"] == 0 and len(data["referral_code"]) == 8


def test_the_history_is_paginated_and_only_ones_own(api, customer, other_customer, settings):
    settings.ISTOK_LOYALTY_HISTORY_PAGE_SIZE = 3
    for points in range(1, 6):
        give_points(customer, points)
    give_points(other_customer, 999, note="theirs")
    data = api.get(API + "me/transactions/").json()
    assert data["count"] == 5
    assert [row["points"] for row in data["results"]] == [5, 4, 3]
    assert data["results"][0]["reason_label"] == "Other"
    second = api.get(data["next"]).json()
    assert [row["points"] for row in second["results"]] == [2, 1]
    assert api.get(API + "me/transactions/", {"page": 99}).status_code == 404


def test_the_api_queries_do_not_grow_with_the_history(
    api, customer, django_assert_max_num_queries
):
    give_points(customer, 1)
    with django_assert_max_num_queries(6) as me:
        api.get(API + "me/")
    with django_assert_max_num_queries(6) as history:
        api.get(API + "me/transactions/")
    for _ in range(60):
        give_points(customer, 1)
    with django_assert_max_num_queries(len(me.captured_queries)):
        api.get(API + "me/")
    with django_assert_max_num_queries(len(history.captured_queries)):
        api.get(API + "me/transactions/")


def test_the_history_of_a_customer_without_account_is_empty(api):
    assert api.get(API + "me/transactions/").json()["count"] == 0


def test_referrals_list_the_friends_invited(api, customer, other_customer):
    services.apply_referral(other_customer, services.get_or_create_account(customer).referral_code)
    data = api.get(API + "me/referrals/").json()
    assert [(f["name"], f["confirmed"]) for f in data] == [("Boris", False)]


def test_choosing_a_gift_through_the_api(api, customer, other_customer):
    gift = make_promotion("Hinges", program="referral")
    general = make_promotion("Sale", program="general")
    assert api.post(API + "me/gift/", {"gift": gift.pk}).json() == {
        "gift": ["You did not join with a referral code."]
    }
    services.apply_referral(customer, services.get_or_create_account(other_customer).referral_code)
    for bad in ({}, {"gift": "x"}, {"gift": -1}, {"gift": general.pk}):
        response = api.post(API + "me/gift/", bad, format="json")
        assert response.status_code == 400, bad
        assert "gift" in response.json()
    response = api.post(API + "me/gift/", {"gift": gift.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["gift"] == {"id": gift.pk, "title": "Hinges"}


@pytest.mark.skipif(apps.is_installed("istok_orders"), reason="istok_orders is installed")
def test_without_orders_paying_through_the_api_is_404(api):
    assert api.post(API + "orders/2026-00001/pay/", {"points": 1}).status_code == 404


def test_promotions_current_and_filtered_by_program():
    client = APIClient()
    sale = make_promotion("Sale", program="general")
    gift = make_promotion("Gift", program="referral")
    make_promotion("Off", is_active=False)
    data = client.get(API + "promotions/").json()
    assert [p["title"] for p in data] == ["Sale", "Gift"]
    assert data[0]["url"] == f"http://testserver/api/loyalty/promotions/{sale.pk}/"
    referral = client.get(API + "promotions/", {"program": "referral"}).json()
    assert [p["id"] for p in referral] == [gift.pk]
    bad = client.get(API + "promotions/", {"program": "bogus"})
    assert bad.status_code == 400 and "program" in bad.json()
    assert client.get(API + f"promotions/{gift.pk}/").json()["program_label"] == "Referral program"


def test_a_promotion_not_on_offer_is_404():
    promotion = make_promotion("Off", is_active=False)
    assert APIClient().get(API + f"promotions/{promotion.pk}/").status_code == 404
    assert APIClient().get(API + "promotions/abc/").status_code == 404


def test_news_list_and_detail():
    client = APIClient()
    news = make_news("Showroom", summary="Open", content="Come and see")
    make_news("Draft", is_published=False)
    data = client.get(API + "news/").json()
    assert [n["slug"] for n in data] == [news.slug]
    assert "content" not in data[0]
    assert client.get(API + f"news/{news.slug}/").json()["content"] == "Come and see"
    assert client.get(API + "news/draft/").status_code == 404


def test_the_schema_builds_without_warnings():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="istok_loyalty.api.urls").get_schema(
        request=None, public=True
    )
    assert "/me/" in schema["paths"]
