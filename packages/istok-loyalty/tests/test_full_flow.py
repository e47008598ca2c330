"""The whole story through the pages, with istok_accounts and istok_orders installed
(``--ds tests.settings_full``): a customer shares their link, a friend signs up with it and
picks a gift, the friend's first order going into production credits the customer once,
and the customer pays part of their own order with points."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from istok_loyalty import selectors
from istok_loyalty.models import LoyaltyTransaction, Referral
from istok_loyalty.testing.factories import make_promotion

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (apps.is_installed("istok_accounts") and apps.is_installed("istok_orders")),
        reason="needs istok_accounts and istok_orders (run with --ds tests.settings_full)",
    ),
]

PASSWORD = "a-long-and-unusual-passphrase"


def signup(client, username, callbacks):
    with callbacks(execute=True):
        response = client.post(
            reverse("istok_accounts:signup"),
            {
                "username": username,
                "email": f"{username}@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "personal_data_consent": "on",
            },
        )
    assert response.status_code == 302
    return selectors.account_of(response.wsgi_request.user).user


def test_referral_gift_confirmation_and_paying_with_points(
    client, django_capture_on_commit_callbacks
):
    from istok_orders.testing.factories import make_order, move_to

    gift = make_promotion("Soft-close hinges", program="referral")
    anna = signup(client, "anna", django_capture_on_commit_callbacks)
    assert selectors.balance(anna) == 500

    # Anna copies her link from the referral page.
    page = client.get(reverse("istok_loyalty:referral")).content.decode()
    link = re.search(r'id="istok-loyalty-link" value="([^"]+)"', page).group(1)
    client.logout()

    # Boris opens it, signs up and picks a gift.
    friend = client.__class__()
    assert friend.get(link).status_code == 200
    boris = signup(friend, "boris", django_capture_on_commit_callbacks)
    referral = Referral.objects.get(new_user=boris)
    assert referral.referrer == anna
    friend.post(reverse("istok_loyalty:choose_gift"), {"gift": gift.pk})
    assert Referral.objects.get(pk=referral.pk).gift == gift

    # Boris's first order reaches production: Anna earns the referral bonus, once.
    order = make_order(boris)
    with django_capture_on_commit_callbacks(execute=True):
        move_to(order, "production")
    with django_capture_on_commit_callbacks(execute=True):
        move_to(order, "preparing_delivery")
    assert selectors.balance(anna) == 1500
    assert LoyaltyTransaction.objects.filter(reason="referral").count() == 1
    referrals = client.get(reverse("istok_loyalty:referral"))  # signed out: to the login
    assert referrals.status_code == 302

    # Anna pays part of her own order with points, within the limit.
    client.force_login(anna)
    own = make_order(anna, lines=[{"name": "Wardrobe", "unit_price": "3000.00"}])
    pay = reverse("istok_loyalty:pay_order", args=[own.number])
    assert client.get(pay).context["max_points"] == 900  # 30% of 3000
    assert client.post(pay, {"points": 1000}).status_code == 200  # over the limit
    client.post(pay, {"points": 900})
    detail = client.get(reverse("istok_orders:order_detail", args=[own.number]))
    assert "Paid with 900 bonus points" in detail.content.decode()
    assert detail.context["order"].total == Decimal("2100.00")
    history = client.get(reverse("istok_loyalty:points"))
    assert history.context["balance"] == 600
    assert "Paid for an order" in history.content.decode()
    assert selectors.balance_mismatches() == []
