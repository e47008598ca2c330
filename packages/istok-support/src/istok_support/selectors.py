"""Read queries shared by the pages, the API, the consumer, the admin and other apps.

Who sees what: a customer sees their own conversations; support staff (``is_staff``
with the ``istok_support.view_conversation`` or ``change_conversation`` permission) see
every conversation; anybody else sees none, so a view answers 404 (never 403: the
existence of another customer's conversation is not told).
"""

from django.db.models import Count, F, Q
from django.http import Http404

from .models import ChatMessage, Conversation

VIEW_PERMISSION = "istok_support.view_conversation"
CHANGE_PERMISSION = "istok_support.change_conversation"

#: The filters of :func:`inbox`.
INBOX_FILTERS = ("waiting", "mine", "all")


def _staff(user):
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.is_staff
    )


def can_view_all(user):
    """Support staff who may read every conversation."""
    return _staff(user) and (user.has_perm(VIEW_PERMISSION) or user.has_perm(CHANGE_PERMISSION))


def can_handle(user):
    """Support staff who may take, answer and close conversations."""
    return _staff(user) and user.has_perm(CHANGE_PERMISSION)


def _unread_for_customer():
    return Count(
        "messages",
        filter=Q(messages__pk__gt=F("customer_read_upto"))
        & Q(messages__sender_kind__in=ChatMessage.STAFF_SIDE),
    )


def _unread_for_staff():
    return Count(
        "messages",
        filter=Q(messages__pk__gt=F("staff_read_upto"))
        & Q(messages__sender_kind__in=ChatMessage.CUSTOMER_SIDE),
    )


def conversations_for(user):
    """The conversations of customer ``user``, latest activity first, each with
    ``unread`` (messages from the staff's side they have not read). None for an
    anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(customer=user)
        .select_related("specialist")
        .annotate(unread=_unread_for_customer())
        .order_by("-last_activity", "-pk")
    )


def open_conversation_for(user):
    """The customer's conversation that is not closed (at most one), with ``unread``, or
    ``None`` (for the portal's dashboard: "you have an answer")."""
    return conversations_for(user).exclude(status=Conversation.Status.CLOSED).first()


def visible_conversations(user):
    """The conversations ``user`` may open: all of them for support staff, their own
    for a customer, none for anybody else."""
    if can_view_all(user):
        return Conversation.objects.select_related("customer", "specialist")
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    return Conversation.objects.filter(customer=user).select_related("customer", "specialist")


def get_conversation_for(user, pk):
    """The conversation ``pk`` if ``user`` may open it, else ``Http404`` (a key that is
    not a number too)."""
    try:
        return visible_conversations(user).get(pk=int(str(pk)))
    except (Conversation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such conversation.") from None


def messages_after(conversation, cursor=0, *, limit=None):
    """The messages of ``conversation`` whose key is greater than ``cursor`` (0: from the
    first), oldest first, at most ``limit``. A client that polls passes the key of the
    last message it has: the keys of one conversation grow in the order the messages
    were committed, so none is ever skipped. A cursor that is not a whole number ≥ 0 is
    ``ValueError``."""
    if isinstance(cursor, bool):
        raise ValueError("cursor")
    cursor = int(str(cursor).strip() or 0) if cursor is not None else 0
    if cursor < 0:
        raise ValueError("cursor")
    messages = (
        ChatMessage.objects.filter(conversation=conversation, pk__gt=cursor)
        .select_related("sender")
        .order_by("pk")
    )
    return messages[:limit] if limit else messages


def inbox(staff, filter="waiting"):
    """The staff's inbox, one query whatever its length: ``"waiting"`` (handed off,
    nobody has taken them; longest waiting first), ``"mine"`` (taken by ``staff``, not
    closed; latest activity first) or ``"all"`` (latest activity first). Each
    conversation has ``unread`` (the customer's messages the staff have not read), its
    customer and specialist loaded. None for anybody but support staff; an unknown
    filter is ``ValueError``."""
    if filter not in INBOX_FILTERS:
        raise ValueError(f"Unknown inbox filter {filter!r}: use one of {INBOX_FILTERS}.")
    if not can_view_all(staff):
        return Conversation.objects.none()
    conversations = Conversation.objects.select_related("customer", "specialist").annotate(
        unread=_unread_for_staff()
    )
    if filter == "waiting":
        return conversations.filter(status=Conversation.Status.WAITING).order_by(
            "handed_off_at", "pk"
        )
    if filter == "mine":
        conversations = conversations.filter(specialist=staff).exclude(
            status=Conversation.Status.CLOSED
        )
    return conversations.order_by("-last_activity", "-pk")


def inbox_counts(staff):
    """How many conversations wait for a specialist, how many open ones ``staff`` has
    taken, and how many of the customer's messages in those are unread (the inbox's tabs
    and badge), in one query."""
    if not can_view_all(staff):
        return {"waiting": 0, "mine": 0, "unread": 0}
    open_mine = Q(specialist=staff) & ~Q(status=Conversation.Status.CLOSED)
    waiting = Q(status=Conversation.Status.WAITING)
    return Conversation.objects.aggregate(
        waiting=Count("pk", filter=waiting, distinct=True),
        mine=Count("pk", filter=open_mine, distinct=True),
        unread=Count(
            "messages",
            filter=(open_mine | waiting)
            & Q(messages__pk__gt=F("staff_read_upto"))
            & Q(messages__sender_kind__in=ChatMessage.CUSTOMER_SIDE),
        ),
    )


def get_attachment_for(user, message_pk):
    """The message ``message_pk`` with an attachment, if ``user`` may open its
    conversation, else ``Http404``."""
    try:
        pk = int(str(message_pk))
    except (ValueError, TypeError, OverflowError):
        raise Http404("No such attachment.") from None
    message = (
        ChatMessage.objects.filter(pk=pk, conversation__in=visible_conversations(user))
        .exclude(attachment="")
        .first()
    )
    if message is None:
        raise Http404("No such attachment.")
    return message


def last_bot_buttons(conversation):
    """The quick replies the customer may press now: those of the bot's last message, or
    none once the bot has handed the conversation off or it is closed."""
    if not conversation.bot_active:
        return []
    last = (
        conversation.messages.filter(sender_kind=ChatMessage.SenderKind.BOT)
        .order_by("-pk")
        .values_list("buttons", flat=True)
        .first()
    )
    return list(last or [])


def personal_data(user):
    """What support holds about customer ``user``, JSON-ready (for the data export): each
    conversation with its messages (the staff's names left out)."""
    conversations = (
        Conversation.objects.filter(customer=user)
        .prefetch_related("messages")
        .order_by("created", "pk")
    )
    return [
        {
            "created": conversation.created,
            "topic": conversation.topic,
            "status": conversation.status,
            "order_number": conversation.order_number,
            "rating": conversation.rating,
            "closed_at": conversation.closed_at,
            "messages": [
                {
                    "created": message.created,
                    "sender_kind": message.sender_kind,
                    "text": message.text,
                    "attachment_name": message.attachment_name,
                }
                for message in conversation.messages.all()
            ],
        }
        for conversation in conversations
    ]
