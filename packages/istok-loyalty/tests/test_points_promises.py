""" "My points" promises only what the installed apps can give: the referral bonus (a
friend's first order) and paying orders with points need istok-orders."""

import pytest
from django.apps import apps
from django.urls import reverse

ORDER_PROMISES = ["when their first order goes into production", "can pay up to"]


def page(client, customer):
    client.force_login(customer)
    response = client.get(reverse("istok_loyalty:points"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.skipif(apps.is_installed("istok_orders"), reason="istok_orders is installed")
def test_without_orders_my_points_promises_no_order_or_referral_bonus(client, customer):
    text = page(client, customer)
    for promise in ORDER_PROMISES:
        assert promise not in text


@pytest.mark.skipif(not apps.is_installed("istok_orders"), reason="needs istok_orders")
def test_with_orders_my_points_says_how_orders_and_friends_earn(client, customer):
    text = page(client, customer)
    for promise in ORDER_PROMISES:
        assert promise in text


def referral_page(client, customer):
    client.force_login(customer)
    response = client.get(reverse("istok_loyalty:referral"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.skipif(apps.is_installed("istok_orders"), reason="istok_orders is installed")
def test_without_orders_the_referral_page_promises_no_bonus(client, customer):
    text = referral_page(client, customer)
    assert "goes into production" not in text
    assert "Your friend chooses a gift when signing up." in text


@pytest.mark.skipif(not apps.is_installed("istok_orders"), reason="needs istok_orders")
def test_with_orders_the_referral_page_promises_the_bonus(client, customer):
    assert "when their first order goes into production" in referral_page(client, customer)
