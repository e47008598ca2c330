"""The loyalty pages on istok-core's base template, includes and design system."""

import pytest
from django.urls import reverse

from istok_loyalty.testing.factories import give_points, make_promotion

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def test_the_points_page_adds_its_own_stylesheet_after_the_core_one(signed_in, customer):
    give_points(customer, 120)
    html = signed_in.get(reverse("istok_loyalty:points")).content.decode()
    assert '<body class="istok-page">' in html
    assert html.index("/static/istok_core/css/istok.css") < html.index(
        "/static/istok_loyalty/loyalty.css"
    )
    # The history stacks into cards on a phone, each cell naming its column.
    assert '<table class="istok-table istok-table--stack">' in html
    assert 'data-label="Balance">120</td>' in html


def test_a_customer_without_points_is_shown_how_to_earn_some(signed_in):
    html = signed_in.get(reverse("istok_loyalty:points")).content.decode()
    assert '<p class="istok-empty__text">No points yet.</p>' in html
    assert f'href="{reverse("istok_loyalty:referral")}">Invite a friend</a>' in html


def test_the_pages_of_promotions_keep_the_program(client):
    for number in range(30):
        make_promotion(f"Sale {number}", program="general")
    html = client.get(reverse("istok_loyalty:promotion_list"), {"program": "general"})
    html = html.content.decode()
    assert 'href="?program=general&amp;page=2">Older</a>' in html
    # The chosen program is the current tab.
    assert '<a class="istok-chip" href="?program=general" aria-current="page">' in html
