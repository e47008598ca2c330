"""The pages with istok_orders installed (``--ds tests.settings_orders``): the bot's order
list on the chat page, a chat started about an order (``?order=``), the customer's orders
beside the staff's conversation. Without istok_orders, ``?order=`` changes nothing."""

import pytest
from django.apps import apps
from django.urls import reverse

from istok_support.models import Conversation
from istok_support.testing.factories import make_conversation

pytestmark = pytest.mark.django_db

with_orders = pytest.mark.skipif(
    not apps.is_installed("istok_orders"),
    reason="istok_orders is not installed (run with --ds tests.settings_orders)",
)
without_orders = pytest.mark.skipif(
    apps.is_installed("istok_orders"), reason="istok_orders is installed"
)


def make_order(customer, **kwargs):
    from istok_orders.testing.factories import make_order

    return make_order(customer, **kwargs)


def chat(client, **params):
    return client.get(reverse("istok_support:conversation"), params, follow=True)


@with_orders
def test_the_bot_shows_the_orders_stage_on_the_page(client, customer):
    order = make_order(customer, status="production")
    client.force_login(customer)
    chat(client)
    client.post(reverse("istok_support:conversation"), {"action": "my_order"})
    page = chat(client).content.decode()
    assert f"Order {order.number}" in page
    assert "Production" in page and "stage " in page
    assert f'value="order:{order.pk}"' in page


@with_orders
def test_a_chat_started_about_an_order_has_it_attached(client, customer):
    order = make_order(customer)
    client.force_login(customer)
    response = chat(client, order=order.pk)
    assert response.redirect_chain[0][0] == reverse("istok_support:conversation")
    conversation = Conversation.objects.get(customer=customer)
    assert conversation.order_number == order.number
    assert "about order" in response.content.decode()
    # Again: nothing more happens.
    count = conversation.messages.count()
    chat(client, order=order.pk)
    assert conversation.messages.count() == count


@with_orders
def test_another_customers_order_is_not_attached(client, customer, other_customer):
    theirs = make_order(other_customer)
    client.force_login(customer)
    chat(client, order=theirs.pk)
    conversation = Conversation.objects.get(customer=customer)
    assert conversation.order_pk == ""
    assert conversation.messages.count() == 1
    assert theirs.number not in chat(client).content.decode()


@with_orders
def test_the_staff_see_the_customers_orders_beside_the_conversation(client, customer, staff):
    first = make_order(customer)
    second = make_order(customer, status="production")
    conversation = make_conversation(customer, handed_off=True)
    client.force_login(staff)
    page = client.get(
        reverse("istok_support:staff_conversation", kwargs={"pk": conversation.pk})
    ).content.decode()
    assert first.number in page and second.number in page
    assert "Production" in page


@without_orders
@pytest.mark.parametrize("value", ["1", "nonsense", ""])
def test_without_orders_a_chat_about_an_order_is_an_ordinary_chat(client, customer, value):
    client.force_login(customer)
    response = chat(client, order=value)
    assert response.status_code == 200
    conversation = Conversation.objects.get(customer=customer)
    assert conversation.order_pk == "" and conversation.messages.count() == 1
