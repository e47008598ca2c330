"""istok_loyalty in the portal: the short referral links, the navigation, the demo points and
the demo's story, told through the real pages with Django's test client:

    A customer copies their referral link; a friend opens it, signs up, picks a gift, and
    their first order moving to production credits the referrer once; the customer pays
    part of an order with points within the limit and sees the adjustment on the order and
    the redemption in their history.
"""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import resolve, reverse

from demo import navigation
from demo.management.commands.load_demo import DEMO_POINTS
from tests.test_pages import assert_portal_page, get_in

pytestmark = pytest.mark.skipif(
    not apps.is_installed("istok_loyalty"), reason="istok_loyalty is not composed"
)

needs_orders = pytest.mark.skipif(
    not apps.is_installed("istok_orders"), reason="istok_orders is not composed"
)

PASSWORD = "a-long-and-unusual-passphrase"


def account_of(user):
    from istok_loyalty import services

    return services.get_or_create_account(user)


def balance(user):
    from istok_loyalty import selectors

    return selectors.balance(user)


def html_of(response):
    assert response.status_code == 200, response
    return response.content.decode()


def referral_cookie(response):
    return response.cookies.get(settings.ISTOK_LOYALTY_REFERRAL_COOKIE_NAME)


# The short referral link ---------------------------------------------------------------------


def test_referral_links_are_routed_at_the_root_and_under_loyalty():
    assert reverse("istok_loyalty_referral_link", kwargs={"code": "ABCD2345"}) == "/r/ABCD2345/"
    assert resolve("/r/ABCD2345/").url_name == "istok_loyalty_referral_link"
    assert reverse("istok_loyalty:referral_link", kwargs={"code": "ABCD2345"}) == (
        "/loyalty/r/ABCD2345/"
    )
    assert reverse("istok_loyalty:points") == "/loyalty/"


def test_links_the_app_builds_use_the_root(customer):
    from istok_loyalty import selectors

    account = account_of(customer)
    assert selectors.referral_link(account) == f"/r/{account.referral_code}/"


def test_referral_link_at_the_root_sets_the_cookie_and_leads_to_signup(client, customer):
    code = account_of(customer).referral_code
    # Typed without its last slash, the link is redirected to the real one.
    response = client.get(f"/r/{code}")
    assert response.status_code == 301
    assert response["Location"] == f"/r/{code}/"

    response = client.get(f"/r/{code.lower()}/")  # people type codes in lower case
    html = html_of(response)
    assert_portal_page(html, "ru")
    assert code in html
    assert f'href="{reverse("istok_accounts:signup")}"' in html
    cookie = referral_cookie(response)
    assert cookie is not None
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.ISTOK_LOYALTY_REFERRAL_COOKIE_MAX_AGE
    # Signed: the value is the code and its signature, checked when the visitor signs up.
    assert cookie.value.startswith(f"{code}:")


def test_unknown_referral_code_is_404_without_a_cookie(client, db):
    response = client.get("/r/NOSUCHCODE/")
    assert response.status_code == 404
    assert referral_cookie(response) is None


# Navigation -----------------------------------------------------------------------------------


def nav_for(rf, user):
    request = rf.get("/")
    request.user = user
    return navigation.navigation(request)


def test_points_are_in_the_navigation_of_a_signed_in_user_only(rf, customer):
    points = reverse("istok_loyalty:points")
    assert points in [url for _label, url in nav_for(rf, customer)["istok_nav"]]
    visitor = nav_for(rf, AnonymousUser())
    assert points not in [url for _label, url in visitor["istok_nav"]]
    assert points not in [url for _label, url in visitor["istok_sections"]]


def test_promotions_and_news_are_public_links_in_the_footer(rf, customer):
    expected = [reverse("istok_loyalty:promotion_list"), reverse("istok_loyalty:news_list")]
    for user in (AnonymousUser(), customer):
        context = nav_for(rf, user)
        assert [url for _label, url in context["istok_footer_nav"]] == expected
        assert not set(expected) & {url for _label, url in context["istok_nav"]}


@pytest.mark.parametrize(("language", "label"), [("ru", "Мои баллы"), ("en", "My points")])
def test_customer_sees_my_points_in_the_header(customer_client, language, label):
    html = get_in(customer_client, "/", language)
    header = html.split('class="istok-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="/loyalty/">{label}</a>' in header
    page = get_in(customer_client, "/loyalty/", language)
    assert_portal_page(page, language)
    assert 'href="/loyalty/" aria-current="page"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"), [("ru", ["Акции", "Новости"]), ("en", ["Promotions", "News"])]
)
def test_visitor_gets_promotions_and_news_in_the_footer_not_points(client, language, words):
    html = get_in(client, "/", language)
    header = html.split('class="istok-nav"', 1)[1].split("</nav>", 1)[0]
    footer = html.split('class="istok-footer"', 1)[1]
    assert 'href="/loyalty/"' not in header
    assert f'<a href="/loyalty/promotions/">{words[0]}</a>' in footer
    assert f'<a href="/loyalty/news/">{words[1]}</a>' in footer
    for url in ("/loyalty/promotions/", "/loyalty/news/"):
        assert_portal_page(get_in(client, url, language), language)


# load_demo ------------------------------------------------------------------------------------


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def loyalty_counts():
    from istok_loyalty.models import LoyaltyAccount, LoyaltyTransaction, News, Promotion

    return {
        "accounts": LoyaltyAccount.objects.count(),
        "transactions": LoyaltyTransaction.objects.count(),
        "promotions": Promotion.objects.count(),
        "news": News.objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_is_idempotent_with_loyalty():
    from istok_loyalty.models import LoyaltyTransaction

    first = load_demo()
    counts = loyalty_counts()
    demo = get_user_model().objects.get(username="demo")
    points = balance(demo)
    assert points >= DEMO_POINTS
    assert counts["promotions"] and counts["news"]
    assert LoyaltyTransaction.objects.filter(account__user=demo, delta=DEMO_POINTS).count() == 1

    second = load_demo()
    assert loyalty_counts() == counts
    assert balance(demo) == points
    code = account_of(demo).referral_code
    for output in (first, second):
        assert "istok_loyalty: istok_loyalty_demo" in output
        assert f"referral link /r/{code}/" in output
        assert f"has {points} points" in output


@pytest.mark.django_db
@needs_orders
def test_demo_customer_can_pay_part_of_the_demo_order_with_points(client):
    if not apps.is_installed("istok_catalog"):
        pytest.skip("istok_catalog is not composed")
    from istok_loyalty import services
    from istok_orders import selectors as order_selectors

    output = load_demo()
    demo = get_user_model().objects.get(username="demo")
    order = order_selectors.customer_orders(demo).get()
    most = services.max_points_for_order(demo, order)
    assert 0 < most < order.subtotal  # part of the order, not all of it
    assert f"points can pay up to {most} of order {order.number}" in output
    assert client.login(request=HttpRequest(), username="demo", password="istok-demo")
    html = html_of(client.get(f"/loyalty/orders/{order.number}/pay/"))
    assert f'max="{most}"' in html


# The demo's story, end to end -----------------------------------------------------------------


def sign_up_through_the_page(client, username, first_name):
    """The friend fills in istok_accounts' signup form, as in the browser."""
    signup = reverse("istok_accounts:signup")
    assert 'name="personal_data_consent"' in html_of(client.get(signup))
    response = client.post(
        signup,
        {
            "username": username,
            "email": f"{username}@example.com",
            "first_name": first_name,
            "last_name": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "personal_data_consent": "on",
            "referral_code": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return get_user_model().objects.get(username=username)


def move_to(order, status, manager):
    """The manager moves the order along the pipeline, one status at a time, as in the
    admin: istok_orders' services."""
    from istok_orders import services
    from istok_orders.pipeline import get_pipeline

    for step in get_pipeline().path(order.status, status):
        services.set_status(order, step, manager, "")
    return order


@needs_orders
# A transactional test: the signals the story relies on (user_signed_up, order_status_changed)
# are sent after commit, as in production. serialized_rollback keeps the seeded rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_referral_story_and_paying_with_points():
    from istok_accounts import services as accounts
    from istok_loyalty.models import LoyaltyTransaction, Promotion, Referral
    from istok_orders import services as orders

    call_command("istok_loyalty_demo", stdout=StringIO())
    User = get_user_model()
    manager = User.objects.create_superuser("manager", "manager@example.com", PASSWORD)
    olga = accounts.sign_up(
        username="olga",
        email="olga@example.com",
        password=PASSWORD,
        personal_data_consent=True,
        first_name="Ольга",
    )
    signup_bonus = settings.ISTOK_LOYALTY_SIGNUP_BONUS
    referral_bonus = settings.ISTOK_LOYALTY_REFERRAL_BONUS
    assert balance(olga) == signup_bonus

    # 1. Olga copies her referral link from the referral page.
    customer = Client()
    customer.force_login(olga)
    page = html_of(customer.get(reverse("istok_loyalty:referral")))
    link = re.search(r'id="istok-loyalty-link" value="([^"]+)"', page).group(1)
    code = account_of(olga).referral_code
    assert link == f"http://testserver/r/{code}/"

    # 2. A friend opens it: the code is remembered; the page leads to the signup form.
    friend_client = Client()
    landing = html_of(friend_client.get(urlsplit(link).path))
    assert "Ольга" in landing
    assert referral_cookie(friend_client.get(urlsplit(link).path)) is not None

    # 3. The friend signs up (no code typed: the cookie brings it) ...
    ivan = sign_up_through_the_page(friend_client, "ivan", "Иван")
    referral = Referral.objects.get(new_user=ivan)
    assert referral.referrer == olga and not referral.confirmed and referral.gift is None
    assert balance(ivan) == signup_bonus
    assert balance(olga) == signup_bonus  # nothing yet for Olga

    # ... and picks a gift on the gift page.
    gift_page = html_of(friend_client.get(reverse("istok_loyalty:choose_gift")))
    gift = Promotion.objects.pool(Promotion.Program.REFERRAL).order_by("position").last()
    assert gift.title in gift_page
    response = friend_client.post(reverse("istok_loyalty:choose_gift"), {"gift": gift.pk})
    assert response.status_code == 302
    assert gift.title in html_of(friend_client.get(response["Location"]))
    referral.refresh_from_db()
    assert referral.gift == gift

    # 4. The manager takes the friend's first order through the pipeline: nothing until
    # production ...
    first = orders.create_order(
        ivan, actor=manager, lines=[{"name": "Шкаф-купе", "unit_price": "84000"}]
    )
    move_to(first, "engineering", manager)
    assert balance(olga) == signup_bonus
    # ... and the move to production credits Olga, once.
    move_to(first, settings.ISTOK_LOYALTY_REFERRAL_CONFIRM_STATUS, manager)
    assert balance(olga) == signup_bonus + referral_bonus
    referral.refresh_from_db()
    assert referral.confirmed and referral.confirmed_by_order == first.number
    # A second order of the friend reaching production credits nothing more.
    second = orders.create_order(
        ivan, actor=manager, lines=[{"name": "Прихожая", "unit_price": "52000"}]
    )
    move_to(second, settings.ISTOK_LOYALTY_REFERRAL_CONFIRM_STATUS, manager)
    assert balance(olga) == signup_bonus + referral_bonus
    referral_rows = LoyaltyTransaction.objects.filter(account__user=olga, reason="referral")
    assert referral_rows.count() == 1
    friends = html_of(customer.get(reverse("istok_loyalty:referral")))
    assert "Иван" in friends and "istok-loyalty-status--confirmed" in friends
    # The friend's gift can no longer be changed.
    assert (
        friend_client.post(reverse("istok_loyalty:choose_gift"), {"gift": gift.pk}).status_code
        == 200
    )
    referral.refresh_from_db()
    assert referral.gift == gift

    # 5. Olga pays part of her own order with points, within the limit.
    order = orders.create_order(
        olga, actor=manager, lines=[{"name": "Кухня «Верона»", "unit_price": "4000"}]
    )
    points_page = html_of(customer.get(reverse("istok_loyalty:points")))
    pay_url = reverse("istok_loyalty:pay_order", kwargs={"number": order.number})
    assert f'href="{pay_url}"' in points_page
    share = settings.ISTOK_LOYALTY_MAX_ORDER_SHARE_PERCENT
    limit = 4000 * share // 100  # one point is worth one rouble
    assert limit < balance(olga)  # the limit binds, not the balance
    assert f'max="{limit}"' in html_of(customer.get(pay_url))

    refused = customer.post(pay_url, {"points": limit + 1})
    assert f"не больше чем {limit}" in html_of(refused)
    assert balance(olga) == signup_bonus + referral_bonus
    paid = limit - 200
    response = customer.post(pay_url, {"points": paid})
    assert response.status_code == 302 and response["Location"] == pay_url
    assert balance(olga) == signup_bonus + referral_bonus - paid
    assert 'max="200"' in html_of(customer.get(pay_url))

    # She sees the adjustment on the order ...
    order_page = html_of(customer.get(reverse("istok_orders:order_detail", args=[order.number])))
    assert "istok-orders__adjustment--points" in order_page
    assert f"Оплачено бонусными баллами: {paid}" in order_page
    order.refresh_from_db()
    assert order.adjustments_total == paid and order.total == 4000 - paid
    # ... and the redemption in her history.
    history = html_of(customer.get(reverse("istok_loyalty:points")))
    row = history.split("istok-loyalty__row--redeem", 1)[1].split("</tr>", 1)[0]
    grouped = f"{paid:,}".replace(",", "\N{NO-BREAK SPACE}")  # "1 000", as every number
    assert "Оплата заказа" in row and order.number in row and f"−{grouped}" in row
