"""The support chat as the portal composes it: in Russian, reached from the navigation,
asked about a catalog product or an order from their pages (tests/test_support_browser.py
walks it in a browser, live)."""

import pytest
from django.apps import apps
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("istok_support"), reason="istok_support is not composed"
    ),
]


def test_the_chat_is_in_the_navigation_and_speaks_russian(customer_client):
    home = customer_client.get("/").content.decode()
    chat = reverse("istok_support:conversation")
    assert f'href="{chat}"' in home and "Поддержка" in home
    page = customer_client.get(chat).content.decode()
    assert "Здравствуйте! Я помощник мебельной студии." in page
    assert ">О моём текущем заказе</button>" in page
    assert ">Соединить со специалистом</button>" in page
    assert "istok_support/chat.js" in page


@pytest.mark.skipif(not apps.is_installed("istok_catalog"), reason="needs istok_catalog")
def test_a_question_about_a_product_names_it(customer_client):
    from istok_catalog.testing.factories import make_furniture

    kitchen = make_furniture(name="Кухня «Верона»", slug="verona")
    page = customer_client.get(
        reverse("istok_support:conversation"), {"product": kitchen.slug}
    ).content.decode()
    assert "Ваш вопрос о:" in page
    assert f'href="{kitchen.get_absolute_url()}"' in page
    assert "Вопрос о «Кухня «Верона»»: " in page


@pytest.mark.skipif(not apps.is_installed("istok_orders"), reason="needs istok_orders")
def test_a_question_about_an_order_attaches_it(customer_client, customer):
    from istok_orders.testing.factories import make_order
    from istok_support.models import Conversation

    order = make_order(customer, status="production")
    response = customer_client.get(
        reverse("istok_support:conversation"), {"order": order.pk}, follow=True
    )
    page = response.content.decode()
    assert f"по заказу {order.number}" in page
    assert "Производство" in page
    assert Conversation.objects.get(customer=customer).order_number == order.number
