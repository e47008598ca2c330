"""The bot: the seed's flow, each branch, the hand-off and the silence after it."""

import pytest
from django.core.exceptions import ValidationError

from istok_support import services
from istok_support.models import ChatMessage, Conversation
from istok_support.signals import handoff_requested

pytestmark = pytest.mark.django_db

Kind = ChatMessage.SenderKind


def texts(conversation):
    return [(m.sender_kind, m.text) for m in conversation.messages.order_by("pk")]


def actions(message):
    return [button["action"] for button in message.buttons]


def test_the_bot_greets_with_the_four_purposes_and_a_specialist(customer):
    conversation = services.start_conversation(customer)

    greeting = conversation.messages.get()
    assert greeting.sender_kind == Kind.BOT
    assert greeting.text.startswith("Hello!")
    assert [b["label"] for b in greeting.buttons] == [
        "I want to place an order",
        "Expert consultation",
        "About my current order",
        "Service support",
        "Connect me to a specialist",
    ]
    assert conversation.status == Conversation.Status.BOT
    assert conversation.bot_active


def test_the_bot_speaks_the_customers_language(customer, default_language_afterwards):
    from django.utils import translation

    translation.activate("ru")
    conversation = services.start_conversation(customer)

    greeting = conversation.messages.get()
    assert [b["label"] for b in greeting.buttons] == [
        "Хочу оформить заказ",
        "Консультация эксперта",
        "О моём текущем заказе",
        "Сервисная поддержка",
        "Соединить со специалистом",
    ]
    assert greeting.text.startswith("Здравствуйте")


def test_the_staff_side_writes_in_the_language_the_conversation_was_started_in(
    customer, staff, default_language_afterwards
):
    from django.utils import translation

    translation.activate("ru")
    conversation = services.start_conversation(customer)
    translation.activate("en")  # the specialist works in English

    services.take(conversation, staff)

    assert Conversation.objects.get(pk=conversation.pk).language == "ru"
    assert conversation.messages.last().text == "Olga подключился(-лась) к разговору."


def test_starting_again_returns_the_open_conversation(customer):
    first = services.start_conversation(customer)
    assert services.start_conversation(customer) == first
    assert Conversation.objects.count() == 1
    assert first.messages.count() == 1  # greeted once

    services.close(first, customer)
    second = services.start_conversation(customer)
    assert second != first
    assert second.messages.count() == 1


def test_service_support_answers_and_hands_off(customer, django_capture_on_commit_callbacks):
    conversation = services.start_conversation(customer)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.press_button(conversation, customer, "service")

    assert [m.sender_kind for m in new] == [Kind.CUSTOMER, Kind.BOT, Kind.BOT]
    assert new[0].text == "Service support"
    assert new[1].text.startswith("Tell us what happened")
    assert new[2].text.startswith("I am connecting you to a specialist")
    conversation.refresh_from_db()
    assert conversation.topic == "service"
    assert conversation.status == Conversation.Status.WAITING
    assert not conversation.bot_active


def test_after_the_handoff_the_bot_is_silent_whatever_is_typed(customer):
    conversation = services.start_conversation(customer)
    services.press_button(conversation, customer, "handoff")
    bot_messages = conversation.messages.filter(sender_kind=Kind.BOT).count()

    for text in ("hello?", "I want to place an order", "Connect me to a specialist", "menu"):
        services.post_customer_message(conversation, customer, text)

    assert conversation.messages.filter(sender_kind=Kind.BOT).count() == bot_messages
    assert conversation.messages.last().text == "menu"
    # The bot's buttons cannot wake it either.
    for action in ("new_order", "my_order", "handoff"):
        with pytest.raises(ValidationError) as caught:
            services.press_button(conversation, customer, action)
        assert caught.value.code == "bot_finished"
    assert conversation.messages.filter(sender_kind=Kind.BOT).count() == bot_messages


def test_the_bot_stays_silent_after_a_specialist_took_over_from_it(customer, staff):
    conversation = services.start_conversation(customer)
    services.take(conversation, staff)  # the customer never asked

    services.post_customer_message(conversation, customer, "anyone?")

    assert conversation.messages.last().sender_kind == Kind.CUSTOMER
    assert not conversation.messages.filter(sender_kind=Kind.BOT).exclude(
        pk=conversation.messages.first().pk
    )


def test_a_message_typed_to_the_bot_gets_the_menu_again(customer):
    conversation = services.start_conversation(customer)

    services.post_customer_message(conversation, customer, "how much is a kitchen?")

    answer = conversation.messages.last()
    assert answer.sender_kind == Kind.BOT
    assert answer.text.startswith("I can only answer the buttons")
    assert actions(answer) == ["new_order", "consultation", "my_order", "service", "handoff"]
    assert conversation.status == Conversation.Status.BOT


def test_connect_me_to_a_specialist_hands_off_and_tells_the_staff(
    customer, django_capture_on_commit_callbacks, mailoutbox
):
    received = []

    def receiver(sender, conversation, reason, **kwargs):
        received.append((conversation.pk, reason, conversation.status))

    handoff_requested.connect(receiver)
    try:
        conversation = services.start_conversation(customer)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.press_button(conversation, customer, "handoff")
        assert callbacks  # sent after commit, not before
    finally:
        handoff_requested.disconnect(receiver)

    assert received == [(conversation.pk, "customer", "waiting")]
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["manager@example.com"]
    assert f"conversation {conversation.pk}" in email.subject
    assert "asks to talk to a specialist" in email.body


def test_the_email_links_to_the_staff_page_and_goes_to_the_setting(
    customer, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.ISTOK_SUPPORT_NOTIFY_EMAILS = ["support@shop.example", "olga@shop.example"]
    settings.ISTOK_SUPPORT_SITE_URL = "https://shop.example/"
    conversation = services.start_conversation(customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.press_button(conversation, customer, "service")

    (email,) = mailoutbox
    assert email.to == ["support@shop.example", "olga@shop.example"]
    assert "(Service support)" in email.subject
    assert f"https://shop.example/support/staff/{conversation.pk}/" in email.body
    assert "Topic: Service support" in email.body


def test_no_email_when_nobody_is_to_be_told(
    customer, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.ISTOK_SUPPORT_NOTIFY_EMAILS = []
    conversation = services.start_conversation(customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_handoff(conversation, customer)
    assert mailoutbox == []


def test_a_failing_receiver_does_not_keep_the_others_from_hearing(
    customer, django_capture_on_commit_callbacks, caplog
):
    from istok_support.signals import message_posted

    heard = []

    def failing(sender, message, **kwargs):
        raise RuntimeError("a project's receiver is broken")

    def listening(sender, message, **kwargs):
        heard.append(message.text)

    message_posted.connect(failing)
    message_posted.connect(listening)
    try:
        conversation = services.start_conversation(customer)
        with django_capture_on_commit_callbacks(execute=True):
            services.request_handoff(conversation, customer)
            services.post_customer_message(conversation, customer, "still heard")
    finally:
        message_posted.disconnect(failing)
        message_posted.disconnect(listening)

    assert "still heard" in heard
    assert "a receiver of a signal failed" in caplog.text


def test_the_staff_are_told_once_however_often_the_customer_asks(
    customer, django_capture_on_commit_callbacks, mailoutbox
):
    conversation = services.start_conversation(customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_handoff(conversation, customer)
        services.request_handoff(conversation, customer)
        services.post_customer_message(conversation, customer, "hello?")

    assert len(mailoutbox) == 1


def test_a_failing_mail_server_does_not_undo_the_handoff(
    customer, django_capture_on_commit_callbacks, settings, caplog
):
    settings.ISTOK_SUPPORT_ADAPTER = "tests.adapters.BrokenMailAdapter"
    conversation = services.start_conversation(customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.press_button(conversation, customer, "handoff")

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING
    assert "failed after commit" in caplog.text


def test_a_button_not_offered_is_refused(customer):
    conversation = services.start_conversation(customer)

    for action in ("nonsense", "order:1", "", None):
        with pytest.raises(ValidationError) as caught:
            services.press_button(conversation, customer, action)
        assert "action" in caught.value.message_dict
    assert conversation.messages.count() == 1  # nothing written


def test_only_the_last_bot_messages_buttons_are_offered(customer, settings):
    settings.ISTOK_SUPPORT_FLOW = {
        **settings.ISTOK_SUPPORT_FLOW,
        "branches": [
            {"code": "delivery", "label": "Delivery", "answer": "We deliver in 3 days."},
            {"code": "warranty", "label": "Warranty", "answer": "Two years."},
        ],
    }
    conversation = services.start_conversation(customer)
    services.press_button(conversation, customer, "delivery")  # offers the specialist only

    with pytest.raises(ValidationError) as caught:
        services.press_button(conversation, customer, "warranty")  # the greeting's button
    assert caught.value.message_dict == {"action": ["This button is no longer offered."]}

    services.post_customer_message(conversation, customer, "menu please")  # the menu again
    services.press_button(conversation, customer, "warranty")
    assert conversation.messages.last().text == "Two years."


def test_the_flow_can_be_replaced_by_a_setting(customer, settings):
    settings.ISTOK_SUPPORT_FLOW = {
        **settings.ISTOK_SUPPORT_FLOW,
        "greeting": "Hi there",
        "branches": [{"code": "warranty", "label": "Warranty", "answer": "Two years."}],
    }
    conversation = services.start_conversation(customer)
    assert actions(conversation.messages.get()) == ["warranty", "handoff"]

    services.press_button(conversation, customer, "warranty")

    answer = conversation.messages.last()
    assert answer.text == "Two years."
    assert actions(answer) == ["handoff"]
    assert conversation.bot_active  # an answer without an action waits


def test_the_flow_can_be_replaced_by_an_adapter(customer, settings):
    settings.ISTOK_SUPPORT_ADAPTER = "tests.adapters.CodeFlowAdapter"
    conversation = services.start_conversation(customer)
    assert conversation.messages.get().text == "Built in code"

    services.press_button(conversation, customer, "quote")

    assert conversation.messages.last().text == f"A quote for user {customer.pk}"


def test_a_customer_cannot_use_someone_elses_conversation(customer, other_customer):
    from django.core.exceptions import PermissionDenied

    conversation = services.start_conversation(customer)
    with pytest.raises(PermissionDenied):
        services.post_customer_message(conversation, other_customer, "hello")
    with pytest.raises(PermissionDenied):
        services.press_button(conversation, other_customer, "handoff")
    with pytest.raises(PermissionDenied):
        services.request_handoff(conversation, other_customer)
    assert conversation.messages.count() == 1
