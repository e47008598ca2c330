"""Signals istok_support sends. Other apps connect to them in their ``receivers.py``.

Each is sent after the transaction of the change has committed, so a receiver sees the
change in the database and a receiver's failure cannot undo it.

``handoff_requested``
    A conversation was handed to the specialists: the customer asked for one, the bot's
    branch could not help without them, or a specialist took it over from the bot
    (``services.request_handoff``, ``services.take``). Sent once per conversation.

    - ``sender``: the ``Conversation`` class.
    - ``conversation``: the conversation, now ``waiting`` (or already
      ``with_specialist`` when a specialist took it from the bot).
    - ``reason``: why: ``"customer"`` (the customer asked), ``"bot"`` (a branch handed it
      off, say "About my current order" without istok_orders) or ``"taken"``.

``message_posted``
    A message was saved in a conversation (by the customer, a specialist, the bot or the
    system). The real-time layer broadcasts it from here.

    - ``sender``: the ``ChatMessage`` class.
    - ``message``: the new ``ChatMessage`` (its ``conversation`` is loaded).

``conversation_changed``
    A conversation's status, specialist, order or rating changed
    (``take``, ``close``, ``rate``, ``request_handoff``, attaching an order).

    - ``sender``: the ``Conversation`` class.
    - ``conversation``: the conversation as it is now.
    - ``fields``: the names of the fields that changed (a tuple of strings).
"""

from django.dispatch import Signal

handoff_requested = Signal()
message_posted = Signal()
conversation_changed = Signal()
