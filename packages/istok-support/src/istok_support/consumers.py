"""The WebSocket consumers (Django Channels, the ``[realtime]`` extra).

``ConversationConsumer`` (``ws/support/conversations/<pk>/``): the chat of one
conversation, for its customer and for support staff; anybody else (another customer,
an anonymous visitor) is refused before the connection opens, as the pages answer 404.
It sends:

- ``{"type": "message", "message": {...}}``: a new message, as ``display.message``
  renders it for the connection's side;
- ``{"type": "conversation", "conversation": {...}}``: the conversation's new state
  (``display.conversation_state``: status, whether the bot is in charge, the quick
  replies), plus the read cursors.

Connect with ``?after=<key of the last message the page has>`` to be sent what came
between the page's load and the connection. The client may send
``{"type": "read", "upto": <key>}`` (marks its side's messages read) and
``{"type": "ping"}`` (answered ``{"type": "pong"}``). Messages are sent with the REST API
or the page's form, not here: one path for writing, with its errors and rate limit.

``InboxConsumer`` (``ws/support/inbox/``): for support staff; sends
``{"type": "inbox", "conversation": <pk>, "event": "message"|"conversation", ...}``
whenever any conversation changes, so an inbox reloads its list.

The user is the session's (``channels.auth.AuthMiddlewareStack`` around the URL router).
"""

import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404

from . import realtime, selectors, services
from .models import ChatMessage

#: The close code of a refused or vanished conversation (4000 + the HTTP status).
NOT_FOUND = 4404
#: How many missed messages a connection is sent at most on connecting.
CATCH_UP_LIMIT = 200


class _JsonConsumer(AsyncJsonWebsocketConsumer):
    @classmethod
    async def encode_json(cls, content):
        # Dates and decimals as the API sends them.
        return json.dumps(content, cls=DjangoJSONEncoder)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
            return
        handler = getattr(self, f"client_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            await self.send_json({"type": "error", "detail": "Unknown message type."})
            return
        await handler(content)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except (ValueError, TypeError):  # not JSON, or binary
            await self.send_json({"type": "error", "detail": "Send JSON text."})


class ConversationConsumer(_JsonConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        pk = self.scope["url_route"]["kwargs"].get("pk")
        found = await database_sync_to_async(self._open)(pk)
        if not found:
            await self.close(code=NOT_FOUND)
            return
        self.group = realtime.conversation_group(self.conversation.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        after = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("after")
        if after:
            for payload in await database_sync_to_async(self._missed)(after[0]):
                await self.send_json({"type": "message", "message": payload})

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    def _open(self, pk):
        from . import display

        try:
            self.conversation = selectors.get_conversation_for(self.user, pk)
        except Http404:
            return False
        mine = self.conversation.customer_id == getattr(self.user, "pk", None)
        self.side = display.CUSTOMER if mine else display.STAFF
        return True

    def _render(self, message):
        from . import display

        return display.message(message, self.side)

    def _missed(self, after):
        try:
            messages = selectors.messages_after(self.conversation, after, limit=CATCH_UP_LIMIT)
            return [self._render(message) for message in messages]
        except ValueError:
            return []

    def _message(self, pk):
        message = (
            ChatMessage.objects.select_related("sender")
            .filter(pk=pk, conversation_id=self.conversation.pk)
            .first()
        )
        return None if message is None else self._render(message)

    def _state(self):
        from . import display

        try:
            conversation = selectors.get_conversation_for(self.user, self.conversation.pk)
        except Http404:  # erased, or the user lost their access
            return None
        self.conversation = conversation
        return {
            **display.conversation_state(conversation, self.side),
            "customer_read_upto": conversation.customer_read_upto,
            "staff_read_upto": conversation.staff_read_upto,
        }

    async def support_message(self, event):
        payload = await database_sync_to_async(self._message)(event["message"])
        if payload is not None:
            await self.send_json({"type": "message", "message": payload})

    async def support_conversation(self, event):
        state = await database_sync_to_async(self._state)()
        if state is None:
            await self.close(code=NOT_FOUND)
            return
        await self.send_json({"type": "conversation", "conversation": state})

    async def client_read(self, content):
        def mark():
            try:
                return services.mark_read(self.conversation, self.user, content.get("upto"))
            except (ValidationError, PermissionDenied):
                return None

        cursor = await database_sync_to_async(mark)()
        if cursor is None:
            await self.send_json({"type": "error", "detail": "Give the key of a message."})


class InboxConsumer(_JsonConsumer):
    async def connect(self):
        user = self.scope.get("user")
        allowed = await database_sync_to_async(selectors.can_view_all)(user)
        if not allowed:
            await self.close(code=NOT_FOUND)
            return
        self.group = realtime.staff_group()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def support_inbox(self, event):
        await self.send_json({"type": "inbox", **{k: v for k, v in event.items() if k != "type"}})
