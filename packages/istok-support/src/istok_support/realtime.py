"""Pushing changes to the open chats over the channel layer (Django Channels, the
``[realtime]`` extra).

Every message a service saves and every change of a conversation is announced, after
commit, by the signals ``message_posted`` and ``conversation_changed``; the receivers
here pass them on to two groups of the channel layer (``CHANNEL_LAYERS["default"]``,
channels-redis in production, so every server process hears every other's):

- ``<prefix>.conversation.<pk>``: the WebSocket connections of that conversation's chat
  (the customer's, and staff who have it open);
- ``<prefix>.staff``: the staff inboxes.

The events carry keys only (``message``, ``conversation``); each connection reads the
row itself and renders it for its own side, so nothing one side must not see travels
through the layer. Without Channels installed or without ``CHANNEL_LAYERS`` nothing is
sent, and the pages fall back to polling. A channel layer that fails (Redis away) is
logged; the message stays saved, and polling delivers it.
"""

import logging
import re

from django.conf import settings

logger = logging.getLogger("istok_support")

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _prefix():
    return _UNSAFE.sub("_", settings.ISTOK_SUPPORT_GROUP_PREFIX)[:60]


def conversation_group(pk):
    """The channel-layer group of the chats open on conversation ``pk``."""
    return f"{_prefix()}.conversation.{int(pk)}"


def staff_group():
    """The channel-layer group of the staff inboxes."""
    return f"{_prefix()}.staff"


def channel_layer():
    """The default channel layer, or ``None`` (Channels not installed, no
    ``CHANNEL_LAYERS``)."""
    try:
        from channels.layers import get_channel_layer
    except ImportError:
        return None
    return get_channel_layer()


def _send(events):
    layer = channel_layer()
    if layer is None:
        return False
    from asgiref.sync import async_to_sync

    async def send_all():
        for group, event in events:
            await layer.group_send(group, event)

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.exception("istok_support: could not broadcast %s", [e for _g, e in events])
        return False
    return True


def broadcast_message(sender, message, **kwargs):
    """``message_posted``: tell the conversation's chats and the staff inboxes."""
    conversation = message.conversation_id
    _send(
        [
            (
                conversation_group(conversation),
                {"type": "support.message", "conversation": conversation, "message": message.pk},
            ),
            (
                staff_group(),
                {
                    "type": "support.inbox",
                    "conversation": conversation,
                    "event": "message",
                    "sender_kind": message.sender_kind,
                    "message": message.pk,
                },
            ),
        ]
    )


def broadcast_conversation(sender, conversation, fields=(), **kwargs):
    """``conversation_changed``: tell the conversation's chats and the staff inboxes."""
    fields = [str(field) for field in fields]
    _send(
        [
            (
                conversation_group(conversation.pk),
                {
                    "type": "support.conversation",
                    "conversation": conversation.pk,
                    "fields": fields,
                },
            ),
            (
                staff_group(),
                {
                    "type": "support.inbox",
                    "conversation": conversation.pk,
                    "event": "conversation",
                    "fields": fields,
                    "status": conversation.status,
                },
            ),
        ]
    )


def connect():
    """Connect the receivers (``AppConfig.ready()``)."""
    from .signals import conversation_changed, message_posted

    message_posted.connect(broadcast_message, dispatch_uid="istok_support.broadcast_message")
    conversation_changed.connect(
        broadcast_conversation, dispatch_uid="istok_support.broadcast_conversation"
    )
