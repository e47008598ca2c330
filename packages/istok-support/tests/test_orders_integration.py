"""The optional integration with istok_orders (``--ds tests.settings_orders``): "About my
current order" answers with the customer's open orders, each with its live status,
progress and deadline, and attaches the chosen one. Without the app, the branch hands
the conversation to a specialist."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from istok_support import services
from istok_support.integrations import orders
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


def move(order, status):
    from istok_orders.testing.factories import move_to

    move_to(order, status)


@without_orders
def test_without_orders_the_branch_hands_off(customer):
    conversation = make_conversation(customer)

    new = services.press_button(conversation, customer, "my_order")

    assert [m.sender_kind for m in new] == ["customer", "bot", "bot"]
    assert new[2].text.startswith("I am connecting you to a specialist")
    assert conversation.status == Conversation.Status.WAITING
    assert orders.open_orders(customer) == []
    assert orders.orders_of(customer) == []
    assert orders.attached_order(conversation) is None
    assert orders.customer_order(customer, 1) is None


@with_orders
def test_about_my_current_order_lists_the_open_orders_with_status_progress_deadline(
    customer, other_customer
):
    older = make_order(customer, deadline=date(2031, 3, 1))
    newer = make_order(customer, deadline=None)
    move(older, "production")
    done = make_order(customer)
    move(done, "delivered")
    make_order(other_customer)
    conversation = make_conversation(customer)

    new = services.press_button(conversation, customer, "my_order")

    answer = new[-1]
    assert answer.text == "Here are your orders. Choose the one your question is about."
    listed = answer.data["orders"]
    assert [o["number"] for o in listed] == [newer.number, older.number]
    production = listed[1]
    assert production["status"] == "production"
    assert production["status_label"] == "Production"
    assert production["deadline"] == "2031-03-01"
    assert production["progress"] == {"done": 5, "total": 9, "percent": 56}
    assert listed[0]["deadline"] is None
    assert [b["action"] for b in answer.buttons] == [
        f"order:{newer.pk}",
        f"order:{older.pk}",
        "handoff",
    ]
    assert conversation.bot_active  # waits for the choice


@with_orders
def test_choosing_an_order_attaches_it_and_shows_it_live(customer, staff):
    order = make_order(customer, deadline=date(2031, 3, 1))
    conversation = make_conversation(customer)
    services.press_button(conversation, customer, "my_order")

    new = services.press_button(conversation, customer, f"order:{order.pk}")

    assert new[0].text == order.number  # the button pressed
    assert (
        new[1].text
        == f"Order {order.number} is attached to the conversation: the specialist will see it."
    )
    assert [b["action"] for b in new[1].buttons] == ["handoff"]
    conversation.refresh_from_db()
    assert (conversation.order_pk, conversation.order_number) == (str(order.pk), order.number)
    # What the staff see beside the conversation is the order as it is now.
    move(order, "measurement")
    assert orders.attached_order(conversation)["status"] == "measurement"
    assert [o["number"] for o in orders.orders_of(customer)] == [order.number]


@with_orders
def test_another_customers_order_cannot_be_attached(customer, other_customer):
    theirs = make_order(other_customer)
    make_order(customer)
    conversation = make_conversation(customer)
    services.press_button(conversation, customer, "my_order")

    with pytest.raises(ValidationError) as caught:
        services.press_button(conversation, customer, f"order:{theirs.pk}")

    assert caught.value.message_dict == {"action": ["This button is no longer offered."]}
    assert orders.customer_order(customer, theirs.pk) is None
    assert orders.customer_order(customer, "not a key") is None
    conversation.refresh_from_db()
    assert conversation.order_pk == ""


@with_orders
def test_an_order_cancelled_after_it_was_offered_is_refused(customer):
    order = make_order(customer)
    conversation = make_conversation(customer)
    services.press_button(conversation, customer, "my_order")
    from istok_orders.models import Order

    Order.objects.filter(pk=order.pk).delete()

    with pytest.raises(ValidationError) as caught:
        services.press_button(conversation, customer, f"order:{order.pk}")
    assert caught.value.message_dict == {"action": ["This order is not found."]}


@with_orders
def test_without_open_orders_the_bot_says_so_and_offers_a_specialist(customer):
    done = make_order(customer)
    move(done, "installed")
    conversation = make_conversation(customer)

    answer = services.press_button(conversation, customer, "my_order")[-1]

    assert answer.text == "You have no open orders yet."
    assert [b["action"] for b in answer.buttons] == ["handoff"]


@with_orders
def test_the_bot_lists_at_most_the_limit_in_a_constant_number_of_queries(
    customer, settings, django_assert_max_num_queries
):
    settings.ISTOK_SUPPORT_BOT_ORDERS_LIMIT = 3
    for _number in range(5):
        make_order(customer)
    with django_assert_max_num_queries(1):
        listed = orders.open_orders(customer)
    assert len(listed) == 3
