"""The WebSocket chat (Channels' WebsocketCommunicator, the real Redis channel layer):
the session's user, 404 for anybody else, messages and changes pushed after commit."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from istok_support import services
from istok_support.testing.factories import make_conversation, make_customer

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 15  # generous: CI runs suites side by side on two cores


def cookie_of(user):
    if user is None:
        return []
    client = Client()
    client.force_login(user)
    return [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


def communicator(cookie, path):
    """A WebSocket client of the tests' ASGI application, sending ``cookie`` (from
    :func:`cookie_of`, made before the event loop runs: it writes a session)."""
    from tests.asgi import websocket

    return WebsocketCommunicator(websocket, path, headers=cookie or [])


def chat_path(conversation, after=None):
    path = f"/ws/support/conversations/{conversation.pk}/"
    return path if after is None else f"{path}?after={after}"


async def receive_until(socket, kind):
    """The next event of type ``kind`` (others, such as state changes, are skipped)."""
    while True:
        event = await socket.receive_json_from(timeout=TIMEOUT)
        if event["type"] == kind:
            return event


def test_the_customer_hears_the_specialists_reply(customer, staff):
    conversation = make_conversation(customer, handed_off=True, specialist=staff)

    cookie = cookie_of(customer)

    async def scenario():
        socket = communicator(cookie, chat_path(conversation))
        connected, _code = await socket.connect(timeout=TIMEOUT)
        assert connected
        await database_sync_to_async(services.staff_reply)(conversation, staff, "Hello, Anna!")
        event = await receive_until(socket, "message")
        await socket.disconnect()
        return event

    event = async_to_sync(scenario)()
    message = event["message"]
    assert message["text"] == "Hello, Anna!"
    assert message["sender_kind"] == "specialist"
    assert message["sender_name"] == "Olga"
    assert message["mine"] is False


def test_the_staff_hear_the_customer_and_the_state_changes(customer, staff):
    conversation = make_conversation(customer, handed_off=True)

    cookie = cookie_of(staff)

    async def scenario():
        socket = communicator(cookie, chat_path(conversation))
        connected, _code = await socket.connect(timeout=TIMEOUT)
        assert connected
        await database_sync_to_async(services.post_customer_message)(
            conversation, customer, "Where is my kitchen?"
        )
        message = await receive_until(socket, "message")
        await database_sync_to_async(services.take)(conversation, staff)
        state = await receive_until(socket, "conversation")
        await socket.disconnect()
        return message, state

    message, state = async_to_sync(scenario)()
    assert message["message"]["text"] == "Where is my kitchen?"
    assert message["message"]["sender_kind"] == "customer"
    assert state["conversation"]["status"] == "with_specialist"
    assert state["conversation"]["bot_active"] is False


def test_the_bots_answer_arrives_with_its_buttons(customer):
    conversation = make_conversation(customer)

    cookie = cookie_of(customer)

    async def scenario():
        socket = communicator(cookie, chat_path(conversation))
        assert (await socket.connect(timeout=TIMEOUT))[0]
        await database_sync_to_async(services.post_customer_message)(conversation, customer, "hi")
        first = await receive_until(socket, "message")
        second = await receive_until(socket, "message")
        await socket.disconnect()
        return first["message"], second["message"]

    mine, answer = async_to_sync(scenario)()
    assert (mine["text"], mine["mine"]) == ("hi", True)
    assert answer["sender_kind"] == "bot"
    assert answer["text"].startswith("I can only answer the buttons")


def test_connecting_with_a_cursor_sends_what_was_missed(customer, staff):
    conversation = make_conversation(customer, handed_off=True)
    seen = conversation.messages.last().pk
    services.staff_reply(conversation, staff, "sent while the page loaded")

    cookie = cookie_of(customer)

    async def scenario():
        socket = communicator(cookie, chat_path(conversation, after=seen))
        assert (await socket.connect(timeout=TIMEOUT))[0]
        events = [await socket.receive_json_from(timeout=TIMEOUT) for _ in range(2)]
        await socket.disconnect()
        return events

    texts = [event["message"]["text"] for event in async_to_sync(scenario)()]
    assert texts == ["Olga has joined the conversation.", "sent while the page loaded"]


@pytest.mark.parametrize("who", ["other customer", "anonymous", "staff without permission"])
def test_nobody_else_connects_to_a_conversation(customer, who):
    from istok_support.testing.factories import make_staff

    conversation = make_conversation(customer)
    user = {
        "other customer": make_customer,
        "anonymous": lambda: None,
        "staff without permission": lambda: make_staff(permissions=()),
    }[who]()

    cookie = cookie_of(user)

    async def scenario():
        results = []
        for path in (chat_path(conversation), "/ws/support/conversations/999999/"):
            socket = communicator(cookie, path)
            results.append(await socket.connect(timeout=TIMEOUT))
        return results

    for connected, code in async_to_sync(scenario)():
        assert not connected
        assert code == 4404


def test_the_inbox_is_for_staff_and_hears_every_conversation(customer, staff):
    customers, staffs = cookie_of(customer), cookie_of(staff)

    async def scenario():
        refused = await communicator(customers, "/ws/support/inbox/").connect(timeout=TIMEOUT)
        socket = communicator(staffs, "/ws/support/inbox/")
        assert (await socket.connect(timeout=TIMEOUT))[0]
        conversation = await database_sync_to_async(make_conversation)(customer, handed_off=True)
        event = await receive_until(socket, "inbox")
        while event.get("status") != "waiting":
            event = await receive_until(socket, "inbox")
        await socket.disconnect()
        return refused, conversation, event

    refused, conversation, event = async_to_sync(scenario)()
    assert refused[0] is False
    assert event["conversation"] == conversation.pk
    assert event["event"] == "conversation"


def test_the_client_marks_read_and_pings(customer, staff):
    conversation = make_conversation(customer, handed_off=True)
    last = services.staff_reply(conversation, staff, "hello").pk

    cookie = cookie_of(customer)

    async def scenario():
        socket = communicator(cookie, chat_path(conversation))
        assert (await socket.connect(timeout=TIMEOUT))[0]
        await socket.send_json_to({"type": "ping"})
        pong = await socket.receive_json_from(timeout=TIMEOUT)
        await socket.send_json_to({"type": "read", "upto": last})
        state = await receive_until(socket, "conversation")
        await socket.send_json_to({"type": "read", "upto": "nonsense"})
        error = await receive_until(socket, "error")
        await socket.send_to(text_data="not json")
        not_json = await receive_until(socket, "error")
        await socket.send_json_to({"type": "message", "text": "writing is over REST"})
        unknown = await receive_until(socket, "error")
        await socket.disconnect()
        return pong, state, error, not_json, unknown

    pong, state, error, not_json, unknown = async_to_sync(scenario)()
    assert pong == {"type": "pong"}
    assert state["conversation"]["customer_read_upto"] == last
    assert error["detail"] == "Give the key of a message."
    assert not_json["detail"] == "Send JSON text."
    assert unknown["detail"] == "Unknown message type."
    conversation.refresh_from_db()
    assert conversation.customer_read_upto == last


def test_an_erased_conversation_closes_its_socket(customer):
    conversation = make_conversation(customer, handed_off=True)

    cookie = cookie_of(customer)

    async def scenario():
        socket = communicator(cookie, chat_path(conversation))
        assert (await socket.connect(timeout=TIMEOUT))[0]
        await database_sync_to_async(services.erase_customer_data)(customer)
        # The erasure announces nothing by itself: a change of the conversation would.
        from istok_support import realtime

        await database_sync_to_async(realtime.broadcast_conversation)(
            None, conversation, fields=("status",)
        )
        output = await socket.receive_output(timeout=TIMEOUT)
        return output

    output = async_to_sync(scenario)()
    assert output == {"type": "websocket.close", "code": 4404}


def test_channels_in_memory_layer_works_for_one_process(customer, staff, settings):
    """What the demo uses without Redis."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    conversation = make_conversation(customer, handed_off=True, specialist=staff)
    cookie = cookie_of(customer)

    async def scenario():
        socket = communicator(cookie, chat_path(conversation))
        assert (await socket.connect(timeout=TIMEOUT))[0]
        await database_sync_to_async(services.staff_reply)(conversation, staff, "in memory")
        event = await receive_until(socket, "message")
        await socket.disconnect()
        return event

    assert async_to_sync(scenario)()["message"]["text"] == "in memory"


def test_without_a_channel_layer_nothing_is_sent_and_nothing_breaks(customer, staff, settings):
    from istok_support import realtime

    settings.CHANNEL_LAYERS = {}
    assert realtime.channel_layer() is None
    conversation = make_conversation(customer, handed_off=True)
    services.staff_reply(conversation, staff, "still saved")
    assert conversation.messages.filter(text="still saved").exists()


def test_a_channel_layer_that_fails_is_logged_and_the_message_stays(
    customer, staff, settings, caplog
):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Nothing listens on port 9: every send fails.
            "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"]},
        }
    }
    conversation = make_conversation(customer, handed_off=True)
    services.staff_reply(conversation, staff, "still saved")
    assert conversation.messages.filter(text="still saved").exists()
    assert "could not broadcast" in caplog.text


def test_group_names_are_valid_for_any_prefix(settings):
    from istok_support import realtime

    settings.ISTOK_SUPPORT_GROUP_PREFIX = "my site: support!"
    assert realtime.conversation_group(7) == "my_site__support_.conversation.7"
    assert realtime.staff_group() == "my_site__support_.staff"
