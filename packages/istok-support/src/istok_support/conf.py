"""Settings of istok_support, each with its default.

Every setting is read as ``settings.ISTOK_SUPPORT_<NAME>`` (django-appconf fills in the
default when the project does not set it).
"""

from appconf import AppConf
from django.conf import settings  # noqa: F401  (AppConf needs settings imported here)
from django.utils.translation import gettext_lazy as _

#: The bot of the seed, as data (``ISTOK_SUPPORT_FLOW``). Keys:
#:
#: - ``greeting``: the bot's first message; the branches are offered under it as buttons;
#: - ``branches``: the purposes a customer chooses from, in order. Each is a dict:
#:
#:   - ``code``: stored as the conversation's ``topic`` (letters, digits, ``_``, ``-``; at
#:     most 32 characters);
#:   - ``label``: the button;
#:   - ``answer``: what the bot says when the button is pressed;
#:   - ``action`` (optional): what the bot does besides answering:
#:
#:     - ``"orders"``: lists the customer's open orders (status, progress, deadline) with a
#:       button each that attaches the order to the conversation (needs istok_orders);
#:     - ``"booking"``: offers the booking page (needs istok_booking);
#:     - ``"handoff"``: connects the customer with a specialist at once;
#:     - none: answers and waits.
#:
#:     Without the app an action needs, the branch hands the conversation to a specialist.
#:
#: - ``handoff_label``: the button offered under every bot message that connects the
#:   customer with a specialist;
#: - ``handoff_answer``: what the bot says when it hands the conversation off (its last
#:   words in that conversation);
#: - ``fallback``: what the bot says to a message typed while it is in charge (the
#:   branches are offered again);
#: - ``no_orders``: the answer of an ``"orders"`` branch when the customer has no open
#:   order;
#: - ``order_attached``: what the bot says when an order is attached (``%(number)s``);
#: - ``booking_label``: the text of the link to the booking page.
DEFAULT_FLOW = {
    "greeting": _(
        "Hello! I am the assistant of the furniture studio. What is your question about?"
    ),
    "branches": [
        {
            "code": "new_order",
            "label": _("I want to place an order"),
            "answer": _(
                "Wonderful! The best start is a meeting with a designer: they will measure "
                "the room and draw a sketch. You can book a visit to the showroom or a "
                "designer's visit below, or talk to a specialist here."
            ),
            "action": "booking",
        },
        {
            "code": "consultation",
            "label": _("Expert consultation"),
            "answer": _(
                "Our experts will help you choose the layout, materials and fittings. Book "
                "a consultation below, or talk to a specialist here."
            ),
            "action": "booking",
        },
        {
            "code": "my_order",
            "label": _("About my current order"),
            "answer": _("Here are your orders. Choose the one your question is about."),
            "action": "orders",
        },
        {
            "code": "service",
            "label": _("Service support"),
            "answer": _(
                "Tell us what happened: which item, what is wrong, and attach a photo if "
                "you can. A specialist will pick up the conversation."
            ),
            "action": "handoff",
        },
    ],
    "handoff_label": _("Connect me to a specialist"),
    "handoff_answer": _(
        "I am connecting you to a specialist. They will answer here; you can go on writing."
    ),
    "fallback": _(
        "I can only answer the buttons below. Choose one, or ask to talk to a specialist."
    ),
    "no_orders": _("You have no open orders yet."),
    "order_attached": _(
        "Order %(number)s is attached to the conversation: the specialist will see it."
    ),
    "booking_label": _("Book an appointment"),
}


class IstokSupportConf(AppConf):
    #: Dotted path to the adapter class: the bot's answers, staff notifications.
    ADAPTER = "istok_support.adapter.DefaultSupportAdapter"

    #: The bot, as data (see ``DEFAULT_FLOW``). An adapter may build it in code instead
    #: (override ``get_flow``).
    FLOW = DEFAULT_FLOW

    #: The longest message, in characters.
    MAX_MESSAGE_LENGTH = 2000

    #: How many messages (typed, buttons pressed, replies) one user may send per minute;
    #: counted in Django's cache (``default``). ``None`` or 0: no limit.
    RATE_LIMIT = 20

    #: Largest attachment accepted, in bytes.
    ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024

    #: Image formats (Pillow's names) an attachment may be; PDF is always accepted.
    ATTACHMENT_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")

    #: Where attachments are stored: an alias of ``STORAGES`` or a dotted path to a storage
    #: class. ``None``: a private ``FileSystemStorage`` in ``PRIVATE_MEDIA_ROOT`` (or
    #: ``BASE_DIR / "private"``) that has no URL; attachments are served only by the view
    #: that checks the user.
    ATTACHMENT_STORAGE = None

    #: Who is emailed when a customer asks for a specialist. ``None``: the addresses of
    #: ``MANAGERS``.
    NOTIFY_EMAILS = None

    #: Sender of the emails. ``None``: ``DEFAULT_FROM_EMAIL``.
    FROM_EMAIL = None

    #: Scheme and host put before links in emails (``"https://example.com"``). Empty: the
    #: links are paths.
    SITE_URL = ""

    #: How many of a customer's open orders the bot lists.
    BOT_ORDERS_LIMIT = 5

    #: The prefix of the channel-layer group names (one group per conversation, one for the
    #: staff), for projects that share a Redis between sites.
    GROUP_PREFIX = "istok_support"

    class Meta:
        prefix = "ISTOK_SUPPORT"
