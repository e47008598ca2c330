"""The customer's pages, and promotions and news."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from istok_loyalty import selectors, services
from istok_loyalty.models import Promotion, Referral
from istok_loyalty.testing.factories import give_points, make_news, make_promotion

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.mark.parametrize(
    "name", ["istok_loyalty:points", "istok_loyalty:referral", "istok_loyalty:choose_gift"]
)
def test_the_customer_pages_need_a_signed_in_user(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_points_page_shows_balance_expiring_history_and_rules(signed_in, customer):
    give_points(customer, 1200, reason="signup")
    services.earn(
        customer, 300, reason="order_cashback", expires_at=timezone.now() + timedelta(days=3)
    )
    services.redeem(customer, 100)
    response = signed_in.get(reverse("istok_loyalty:points"))
    assert response.status_code == 200
    assert response.context["balance"] == 1400
    assert [e.points for e in response.context["expiring"]] == [300]
    content = response.content.decode()
    assert "Expiring within 30 days" in content
    assert "Welcome bonus" in content and "Points spent" in content
    assert "How to earn points" in content
    assert "points as a welcome bonus when you sign up" in content  # the order rules: see
    assert 'href="/static/istok_loyalty/loyalty.css"' in content  # test_points_promises


def test_the_points_page_of_a_new_customer_is_empty_and_opens_nothing(signed_in, customer):
    response = signed_in.get(reverse("istok_loyalty:points"))
    assert response.status_code == 200
    assert response.context["balance"] == 0
    assert "No points yet." in response.content.decode()
    assert selectors.account_of(customer) is None


def test_the_history_is_paginated(signed_in, customer, settings):
    settings.ISTOK_LOYALTY_HISTORY_PAGE_SIZE = 5
    for _ in range(12):
        give_points(customer, 1)
    response = signed_in.get(reverse("istok_loyalty:points"), {"page": 3})
    assert len(response.context["transactions"]) == 2
    assert "Page 3 of 3" in response.content.decode()
    assert signed_in.get(reverse("istok_loyalty:points"), {"page": 9}).status_code == 404
    assert signed_in.get(reverse("istok_loyalty:points"), {"page": "x"}).status_code == 404


def test_the_points_page_queries_do_not_grow_with_the_history(
    signed_in, customer, django_assert_max_num_queries
):
    give_points(customer, 1)
    with django_assert_max_num_queries(10) as few:
        signed_in.get(reverse("istok_loyalty:points"))
    for _ in range(60):
        give_points(customer, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("istok_loyalty:points"))


def test_the_points_page_sees_only_the_customers_own_rows(signed_in, customer, other_customer):
    give_points(other_customer, 777, note="secret note")
    response = signed_in.get(reverse("istok_loyalty:points"))
    assert response.context["balance"] == 0
    assert "secret note" not in response.content.decode()


def test_the_referral_page_shows_code_link_copy_button_and_friends(
    signed_in, customer, other_customer
):
    account = services.get_or_create_account(customer)
    services.apply_referral(other_customer, account.referral_code)
    services.confirm_referral(other_customer)
    response = signed_in.get(reverse("istok_loyalty:referral"))
    content = response.content.decode()
    assert account.referral_code in content
    assert f'value="http://testserver/r/{account.referral_code}/"' in content
    assert "istok-loyalty-copy-button" in content
    # The button's script is a static file, no inline script (Content-Security-Policy).
    assert '<script src="/static/istok_loyalty/copy.js" defer></script>' in content
    assert "<script>" not in content
    assert "navigator.clipboard" in Path(finders.find("istok_loyalty/copy.js")).read_text()
    assert response.context["friends"][0]["name"] == "Boris"
    assert response.context["friends"][0]["confirmed"] is True


def test_the_referral_page_opens_the_account_on_first_use(signed_in, customer):
    signed_in.get(reverse("istok_loyalty:referral"))
    assert selectors.account_of(customer) is not None


def test_the_referral_link_remembers_the_code_in_a_signed_cookie(client, customer, settings):
    code = services.get_or_create_account(customer).referral_code
    make_promotion("Free handles", program="referral")
    response = client.get(f"/r/{code.lower()}/")
    assert response.status_code == 200
    cookie = response.cookies["istok_referral"]
    assert (
        cookie["httponly"] and cookie["max-age"] == settings.ISTOK_LOYALTY_REFERRAL_COOKIE_MAX_AGE
    )
    assert cookie.value != code  # signed
    assert "Anna invites you" in response.content.decode()
    assert "Free handles" in response.content.decode()
    # The same landing under the app's prefix.
    assert client.get(reverse("istok_loyalty:referral_link", args=[code])).status_code == 200


def test_an_unknown_or_inactive_referral_link_is_404(client, customer):
    assert client.get("/r/NOSUCH22/").status_code == 404
    account = services.get_or_create_account(customer)
    account.referral_enabled = False
    account.save()
    assert client.get(f"/r/{account.referral_code}/").status_code == 404


def test_a_signed_in_visitor_gets_no_referral_cookie(signed_in, other_customer):
    code = services.get_or_create_account(other_customer).referral_code
    response = signed_in.get(f"/r/{code}/")
    assert response.status_code == 200
    assert "istok_referral" not in response.cookies


def test_the_shared_link_prefers_the_root_url(customer):
    account = services.get_or_create_account(customer)
    assert selectors.referral_link(account) == f"/r/{account.referral_code}/"


def test_choosing_a_gift(signed_in, customer, other_customer):
    gift = make_promotion("Soft-close hinges", program="referral")
    other = make_promotion("Kitchen sale", program="general")
    services.apply_referral(customer, services.get_or_create_account(other_customer).referral_code)
    url = reverse("istok_loyalty:choose_gift")
    page = signed_in.get(url)
    assert "Soft-close hinges" in page.content.decode()
    assert "Kitchen sale" not in page.content.decode()
    bad = signed_in.post(url, {"gift": other.pk})
    assert bad.status_code == 200
    assert "Choose one of the gifts on offer." in bad.content.decode()
    assert signed_in.post(url, {"gift": "<script>"}).status_code == 200
    response = signed_in.post(url, {"gift": gift.pk}, follow=True)
    assert "Thank you! Your gift: Soft-close hinges." in response.content.decode()
    assert Referral.objects.get(new_user=customer).gift == gift


def test_the_gift_page_without_a_referral_says_so(signed_in, customer):
    make_promotion("Soft-close hinges", program="referral")
    response = signed_in.get(reverse("istok_loyalty:choose_gift"))
    assert "Gifts are for customers who joined" in response.content.decode()
    response = signed_in.post(reverse("istok_loyalty:choose_gift"), {"gift": 1})
    assert response.status_code == 200


@pytest.mark.skipif(apps.is_installed("istok_orders"), reason="istok_orders is installed")
def test_without_orders_paying_an_order_is_404(signed_in):
    url = reverse("istok_loyalty:pay_order", args=["2026-00001"])
    assert signed_in.get(url).status_code == 404


# Promotions and news --------------------------------------------------------------------


def test_promotions_list_shows_the_current_ones_and_filters_by_program(client):
    today = timezone.localdate()
    kitchen = make_promotion("Kitchen sale", program="general")
    gift = make_promotion("Gift", program="referral")
    make_promotion("Ended", end_date=today - timedelta(days=1), start_date=today - timedelta(9))
    make_promotion("Later", start_date=today + timedelta(days=3))
    make_promotion("Off", is_active=False)
    response = client.get(reverse("istok_loyalty:promotion_list"))
    assert list(response.context["promotions"]) == [kitchen, gift]
    response = client.get(reverse("istok_loyalty:promotion_list"), {"program": "referral"})
    assert list(response.context["promotions"]) == [gift]
    response = client.get(reverse("istok_loyalty:promotion_list"), {"program": "bogus"})
    assert response.status_code == 200 and len(response.context["promotions"]) == 2


def test_a_promotion_page_and_404_when_not_on_offer(client):
    promotion = make_promotion("Kitchen sale", description="Ten percent\noff")
    response = client.get(reverse("istok_loyalty:promotion_detail", args=[promotion.pk]))
    assert "Ten percent<br>off" in response.content.decode()
    promotion.is_active = False
    promotion.save()
    assert (
        client.get(reverse("istok_loyalty:promotion_detail", args=[promotion.pk])).status_code
        == 404
    )


def test_current_and_pool_querysets():
    today = timezone.localdate()
    open_ended = make_promotion(program="loyalty")
    last_day = make_promotion(program="loyalty", end_date=today)
    make_promotion(program="referral")
    assert set(Promotion.objects.pool("loyalty")) == {open_ended, last_day}
    assert list(Promotion.objects.current(today + timedelta(days=1))) != []
    assert last_day not in Promotion.objects.current(today + timedelta(days=1))


def test_news_list_and_page_show_only_published_news(client):
    news = make_news("Showroom opened", content="<b>Come</b> and see")
    make_news("Draft", is_published=False)
    make_news("Tomorrow", published_at=timezone.now() + timedelta(days=1))
    response = client.get(reverse("istok_loyalty:news_list"))
    assert list(response.context["news_list"]) == [news]
    page = client.get(reverse("istok_loyalty:news_detail", args=[news.slug]))
    assert "&lt;b&gt;Come&lt;/b&gt; and see" in page.content.decode()
    assert client.get(reverse("istok_loyalty:news_detail", args=["draft"])).status_code == 404


def test_pages_render_in_russian(signed_in, customer):
    give_points(customer, 10, reason="signup")
    response = signed_in.get(reverse("istok_loyalty:points"), HTTP_ACCEPT_LANGUAGE="ru")
    content = response.content.decode()
    assert "Мои баллы" in content
    assert "Приветственный бонус" in content
