"""The REST API: the chat's own calls (start, send, press a button, poll after a cursor,
mark read) and the staff's (inbox, take, reply, close); its refusals; and 404 for every
conversation of someone else."""

import json

import pytest
from django.urls import reverse

from istok_support import services
from istok_support.models import Conversation
from istok_support.testing.factories import make_conversation, make_customer, make_staff

pytestmark = pytest.mark.django_db


def url(name, conversation=None):
    kwargs = {"pk": conversation.pk} if conversation is not None else {}
    return reverse(f"istok_support_api:{name}", kwargs=kwargs)


def post(client, path, data=None, **extra):
    return client.post(path, json.dumps(data or {}), content_type="application/json", **extra)


@pytest.fixture
def api(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def staff_api(client, staff):
    client.force_login(staff)
    return client


def test_starting_twice_gives_the_same_conversation_with_the_greeting(api, customer):
    first = post(api, url("conversation_list"))
    assert first.status_code == 201
    again = post(api, url("conversation_list"))
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    conversation = Conversation.objects.get(customer=customer)
    data = api.get(url("message_list", conversation)).json()
    assert [m["sender_kind"] for m in data["results"]] == ["bot"]
    assert data["results"][0]["sender_name"] == "Assistant"
    actions = [reply["action"] for reply in data["conversation"]["replies"]]
    assert actions == ["new_order", "consultation", "my_order", "service", "handoff"]


def test_polling_after_a_cursor_gives_only_the_new_messages(api, customer, staff):
    conversation = make_conversation(customer, handed_off=True)
    everything = api.get(url("message_list", conversation)).json()["results"]
    cursor = everything[-1]["id"]
    assert api.get(url("message_list", conversation), {"after": cursor}).json()["results"] == []
    services.staff_reply(conversation, staff, "Hello, I am Olga")
    new = api.get(url("message_list", conversation), {"after": cursor}).json()
    assert [(m["sender_kind"], m["text"]) for m in new["results"]][-1] == (
        "specialist",
        "Hello, I am Olga",
    )
    assert new["results"][-1]["sender_name"] == "Olga"
    assert new["results"][-1]["mine"] is False
    assert new["conversation"]["status"] == "with_specialist"
    assert new["conversation"]["replies"] == []
    limited = api.get(url("message_list", conversation), {"limit": 1}).json()["results"]
    assert len(limited) == 1 and limited[0]["id"] == everything[0]["id"]


@pytest.mark.parametrize(
    "params", [{"after": "x"}, {"after": "-1"}, {"limit": "0"}, {"limit": "a"}]
)
def test_a_bad_cursor_is_a_400_with_the_field(api, customer, params):
    conversation = make_conversation(customer)
    response = api.get(url("message_list", conversation), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_pressing_buttons_and_typing(api, customer):
    conversation = make_conversation(customer)
    response = post(api, url("message_list", conversation), {"action": "service"})
    assert response.status_code == 201
    kinds = [m["sender_kind"] for m in response.json()["results"]]
    assert kinds[0] == "customer" and set(kinds[1:]) == {"bot"}
    assert response.json()["results"][0]["mine"] is True
    assert response.json()["results"][0]["text"] == "Service support"

    assert response.json()["conversation"]["status"] == "waiting"
    assert response.json()["conversation"]["replies"] == []
    # Handed off: the bot's buttons are gone; pressing one is refused.
    refused = post(api, url("message_list", conversation), {"action": "handoff"})
    assert refused.status_code == 400
    assert "type your message" in refused.json()["non_field_errors"][0]

    typed = post(api, url("message_list", conversation), {"text": "The hinge broke"})
    assert typed.status_code == 201
    assert [m["text"] for m in typed.json()["results"]] == ["The hinge broke"]
    # The bot stays silent after the hand-off, whatever is typed.
    assert conversation.messages.order_by("-pk").first().sender_kind == "customer"


def test_a_button_no_longer_offered_is_a_400_on_action(api, customer):
    conversation = make_conversation(customer)
    response = post(api, url("message_list", conversation), {"action": "order:42"})
    assert response.status_code == 400
    assert "action" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": "  "}, "text"),
        ({"text": "x", "action": "service"}, "non_field_errors"),
    ],
)
def test_bad_messages_are_400_with_field_errors_and_save_nothing(api, customer, body, field):
    conversation = make_conversation(customer)
    before = conversation.messages.count()
    response = post(api, url("message_list", conversation), body)
    assert response.status_code == 400
    assert field in response.json()
    assert conversation.messages.count() == before


def test_a_too_long_message_is_a_translated_400(api, customer, settings):
    settings.ISTOK_SUPPORT_MAX_MESSAGE_LENGTH = 5
    conversation = make_conversation(customer, handed_off=True)
    response = post(
        api, url("message_list", conversation), {"text": "123456"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    message = response.json()["text"][0]
    assert "5" in message and "6" in message
    assert "at most" not in message  # Russian


def test_the_rate_limit_is_a_429_with_retry_after(api, customer, settings):
    settings.ISTOK_SUPPORT_RATE_LIMIT = 1
    conversation = make_conversation(customer, handed_off=True)
    assert post(api, url("message_list", conversation), {"text": "one"}).status_code == 201
    response = post(api, url("message_list", conversation), {"text": "two"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "too fast" in response.json()["detail"]


def test_mark_read_moves_the_customers_cursor(api, customer, staff):
    conversation = make_conversation(customer, handed_off=True)
    services.staff_reply(conversation, staff, "Hello")
    assert api.get(url("conversation_list")).json()[0]["unread"] >= 1
    response = post(api, url("mark_read", conversation))
    assert response.status_code == 200
    assert api.get(url("conversation_list")).json()[0]["unread"] == 0
    assert post(api, url("mark_read", conversation), {"up_to": -1}).status_code == 400


def test_close_and_rate(api, customer):
    conversation = make_conversation(customer)
    assert post(api, url("rate", conversation), {"rating": 5}).status_code == 400
    response = post(api, url("close", conversation))
    assert response.json()["status"] == "closed"
    assert post(api, url("rate", conversation), {"rating": 6}).status_code == 400
    assert post(api, url("rate", conversation), {"rating": 4}).json()["rating"] == 4
    closed = post(api, url("message_list", conversation), {"text": "hello?"})
    assert closed.status_code == 400
    assert "closed" in closed.json()["non_field_errors"][0]


# Staff ------------------------------------------------------------------------------------


def test_staff_inbox_take_reply_close(staff_api, staff):
    conversation = make_conversation(make_customer(first_name="Vera"), handed_off=True)
    waiting = staff_api.get(url("inbox")).json()
    assert [c["id"] for c in waiting] == [conversation.pk]
    assert waiting[0]["customer_name"] == "Vera"

    taken = post(staff_api, url("take", conversation))
    assert taken.status_code == 200
    assert taken.json()["status"] == "with_specialist"
    assert taken.json()["specialist_name"] == "Olga"
    mine = staff_api.get(url("inbox"), {"filter": "mine"}).json()
    assert [c["id"] for c in mine] == [conversation.pk]

    reply = post(staff_api, url("staff_reply", conversation), {"text": "On my way"})
    assert reply.status_code == 201
    assert reply.json()["results"][0]["mine"] is True
    assert post(staff_api, url("close", conversation)).json()["status"] == "closed"
    assert staff_api.get(url("inbox"), {"filter": "bad"}).status_code == 400


def test_two_specialists_taking_one_conversation_one_gets_a_400(client, staff, other_staff):
    conversation = make_conversation(handed_off=True, specialist=other_staff)
    client.force_login(staff)
    response = post(client, url("take", conversation))
    assert response.status_code == 400
    assert "Pavel" in response.json()["non_field_errors"][0]


def test_a_customer_calling_staff_endpoints_gets_403(api, customer):
    conversation = make_conversation(customer, handed_off=True)
    assert api.get(url("inbox")).status_code == 403
    assert post(api, url("take", conversation)).status_code == 403
    assert post(api, url("staff_reply", conversation), {"text": "hi"}).status_code == 403
    assert not conversation.messages.filter(text="hi").exists()


def test_staff_cannot_write_as_the_customer(staff_api):
    conversation = make_conversation(handed_off=True)
    response = post(staff_api, url("message_list", conversation), {"text": "hi"})
    assert response.status_code == 403


# Nobody else ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "customer", "staff_without_permission"])
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("conversation_detail", "get"),
        ("message_list", "get"),
        ("message_list", "post"),
        ("mark_read", "post"),
        ("close", "post"),
        ("rate", "post"),
        ("take", "post"),
        ("staff_reply", "post"),
    ],
)
def test_someone_elses_conversation_is_a_translated_404(client, customer, who, name, method):
    conversation = make_conversation(make_customer(), handed_off=True)
    if who == "customer":
        client.force_login(customer)
    elif who == "staff_without_permission":
        client.force_login(make_staff(permissions=()))
    path = url(name, conversation)
    if method == "get":
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ru")
    else:
        response = post(client, path, {"text": "hi", "rating": 5}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}
    conversation.refresh_from_db()
    assert not conversation.is_closed
    assert not conversation.messages.filter(text="hi").exists()


def test_polling_runs_the_same_queries_for_many_messages(
    api, customer, staff, django_assert_max_num_queries
):
    conversation = make_conversation(customer, handed_off=True)
    path = url("message_list", conversation)
    api.get(path)
    with django_assert_max_num_queries(10) as few:
        api.get(path)
    for number in range(12):
        services.staff_reply(conversation, staff, f"answer {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(path).json()["results"]) > 12
