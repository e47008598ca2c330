"""What a chat shows of a message and of a conversation, for one side (the customer, or
support staff): one shape for the pages, the API and the script that adds new messages, so
all three say the same (who wrote it, when, the bot's orders and link, the quick replies).

Everything here is plain data (no HTML): templates escape it, the API sends it as JSON,
the script inserts it with ``textContent``.
"""

from datetime import date

from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from istok_core.formatting import format_date

from . import selectors
from .models import ChatMessage

Kind = ChatMessage.SenderKind

CUSTOMER = "customer"
STAFF = "staff"


def person_name(user):
    """The name people see: the first name, else the full name, else the username."""
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (getattr(user, "first_name", "") or full or user.get_username()).strip()


def is_mine(message, side):
    """Whether ``side`` wrote ``message`` (the staff's side: every specialist)."""
    if side == CUSTOMER:
        return message.sender_kind == Kind.CUSTOMER
    return message.sender_kind == Kind.SPECIALIST


def sender_name(message, side):
    if is_mine(message, side) and (side == CUSTOMER or message.sender is None):
        return _("You")
    if message.sender_kind == Kind.BOT:
        return _("Assistant")
    if message.sender_kind == Kind.SYSTEM:
        return ""
    if message.sender_kind == Kind.SPECIALIST:
        name = person_name(message.sender)
        return name or _("Specialist")
    return person_name(message.sender) or _("Customer")


def attachment_url(message):
    return reverse("istok_support:attachment", kwargs={"pk": message.pk})


def _order_url(number):
    try:
        return reverse("istok_orders:order_detail", kwargs={"number": number})
    except NoReverseMatch:
        return ""


def order(info, side=CUSTOMER):
    """An order as the bot or the staff page shows it: the engine's order info plus its
    link (the customer's order page, or the admin's change page for staff), its deadline
    in the site's format and its progress in words."""
    deadline = info.get("deadline")
    if isinstance(deadline, str):
        deadline = parse_date(deadline)
    progress = info.get("progress") or {}
    url = _order_url(info.get("number", "")) if side == CUSTOMER else _admin_order_url(info)
    return {
        **info,
        "url": url,
        "title": _("Order %(number)s") % {"number": info.get("number", "")},
        "deadline_text": _("deadline %(date)s") % {"date": format_date(deadline)}
        if isinstance(deadline, date)
        else "",
        "progress_text": _("stage %(done)s of %(total)s")
        % {"done": progress.get("done", 0), "total": progress.get("total", 0)},
    }


def _admin_order_url(info):
    try:
        return reverse("admin:istok_orders_order_change", args=[info["pk"]])
    except (NoReverseMatch, KeyError):
        return ""


def message(message, side):
    """``message`` as ``side`` sees it (a dict; see the API's ``MessageSerializer``)."""
    data = message.data if isinstance(message.data, dict) else {}
    link = data.get("link") if isinstance(data.get("link"), dict) else None
    attachment = None
    if message.attachment:
        attachment = {
            "name": message.attachment_name,
            "content_type": message.attachment_type,
            "size": message.attachment_size,
            "url": attachment_url(message),
        }
    return {
        "id": message.pk,
        "sender_kind": message.sender_kind,
        "sender_name": sender_name(message, side),
        "mine": is_mine(message, side),
        "text": message.text,
        "created": message.created,
        "created_display": format_date(message.created, "SHORT_DATETIME_FORMAT"),
        "orders": [order(info, side) for info in data.get("orders", []) if isinstance(info, dict)],
        "link": {"url": str(link.get("url", "")), "label": str(link.get("label", ""))}
        if link
        else None,
        "attachment": attachment,
    }


def replies(conversation):
    """The quick replies the customer may press now (none once the bot has handed the
    conversation off, or it is closed)."""
    return [
        {"action": str(button.get("action", "")), "label": str(button.get("label", ""))}
        for button in selectors.last_bot_buttons(conversation)
        if isinstance(button, dict) and button.get("action")
    ]


def conversation_state(conversation, side):
    """What a chat needs to know of ``conversation`` besides its messages."""
    return {
        "id": conversation.pk,
        "status": conversation.status,
        "status_label": str(conversation.get_status_display()),
        "closed": conversation.is_closed,
        "bot_active": conversation.bot_active,
        "replies": replies(conversation) if side == CUSTOMER else [],
    }
