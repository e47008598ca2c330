"""The adapter: the policy a business may want to change, in one class.

Subclass :class:`DefaultSupportAdapter`, override what differs and name your class in
``ISTOK_SUPPORT_ADAPTER``. :func:`get_adapter` returns an instance of it.

The bot's words and buttons come from :meth:`~DefaultSupportAdapter.get_flow_data` (the
``ISTOK_SUPPORT_FLOW`` setting by default); what each branch does from
:meth:`~DefaultSupportAdapter.answer_branch`. An adapter may build the flow in code, or
answer a branch its own way (call a CRM, say) and fall back to ``super()``.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from istok_core.adapters import load_adapter

from .flow import HANDOFF, ORDER_PREFIX, Flow
from .integrations import booking, orders

logger = logging.getLogger("istok_support")


@dataclass
class Reply:
    """What the bot says: ``text``, quick-reply ``buttons`` (``{"action", "label"}``),
    ``data`` shown besides the text (``{"orders": [...]}``, ``{"link": {...}}``), and
    whether the conversation goes to a specialist after it (``handoff``)."""

    text: str
    buttons: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    handoff: bool = False


class DefaultSupportAdapter:
    # The flow ---------------------------------------------------------------------------

    def get_flow_data(self):
        """The flow as data (``ISTOK_SUPPORT_FLOW``); checked by the system checks."""
        return settings.ISTOK_SUPPORT_FLOW

    def get_flow(self):
        """The flow as a :class:`~istok_support.flow.Flow`."""
        return Flow.from_data(self.get_flow_data())

    def handoff_button(self, flow):
        return {"action": HANDOFF, "label": str(flow.handoff_label)}

    def menu_buttons(self, flow):
        """The branches, then "Connect me to a specialist"."""
        return [{"action": b.code, "label": str(b.label)} for b in flow.branches] + [
            self.handoff_button(flow)
        ]

    def greeting(self, conversation, flow):
        """The bot's first message in ``conversation``."""
        return Reply(str(flow.greeting), buttons=self.menu_buttons(flow))

    def fallback(self, conversation, flow):
        """The answer to a message typed while the bot is in charge."""
        return Reply(str(flow.fallback), buttons=self.menu_buttons(flow))

    def handoff_reply(self, conversation, flow):
        """The bot's last words in ``conversation``, when it hands it to a specialist."""
        return Reply(str(flow.handoff_answer))

    def answer_branch(self, conversation, branch, flow):
        """The bot's answer when the customer presses ``branch``'s button. An action whose
        app is not installed (``orders`` without istok_orders, ``booking`` without
        istok_booking or its URLs) hands the conversation to a specialist."""
        text = str(branch.answer)
        if branch.action == "handoff":
            return Reply(text, handoff=True)
        if branch.action == "orders":
            if not orders.available():
                return Reply(text, handoff=True)
            found = orders.open_orders(conversation.customer)
            if not found:
                return Reply(str(flow.no_orders), buttons=[self.handoff_button(flow)])
            buttons = [
                {"action": f"{ORDER_PREFIX}{info['pk']}", "label": info["number"]}
                for info in found
            ]
            return Reply(
                text, buttons=[*buttons, self.handoff_button(flow)], data={"orders": found}
            )
        if branch.action == "booking":
            url = booking.booking_url()
            if not url:
                return Reply(text, handoff=True)
            return Reply(
                text,
                buttons=[self.handoff_button(flow)],
                data={"link": {"url": url, "label": str(flow.booking_label)}},
            )
        return Reply(text, buttons=[self.handoff_button(flow)])

    def answer_order(self, conversation, order_info, flow):
        """The answer when the customer chose one of their orders (now attached)."""
        return Reply(
            str(flow.order_attached) % {"number": order_info["number"]},
            buttons=[self.handoff_button(flow)],
            data={"orders": [order_info]},
        )

    # Notifications ----------------------------------------------------------------------

    def get_staff_emails(self, conversation):
        """Who hears of a hand-off: ``ISTOK_SUPPORT_NOTIFY_EMAILS``, else ``MANAGERS``."""
        emails = settings.ISTOK_SUPPORT_NOTIFY_EMAILS
        if emails is None:
            emails = [m if isinstance(m, str) else m[1] for m in settings.MANAGERS]
        return list(emails)

    def get_staff_url(self, conversation):
        """The staff page of ``conversation``, absolute when ``ISTOK_SUPPORT_SITE_URL``
        is set (empty when the project has not included the app's URLs)."""
        try:
            path = reverse("istok_support:staff_conversation", kwargs={"pk": conversation.pk})
        except NoReverseMatch:
            return ""
        return settings.ISTOK_SUPPORT_SITE_URL.rstrip("/") + path

    def notify_staff(self, conversation, reason):
        """Tell the specialists that ``conversation`` waits for one. Called after the
        hand-off has committed. The default emails :meth:`get_staff_emails`, rendered from
        ``istok_support/email/handoff_subject.txt`` and ``handoff.txt`` in
        ``LANGUAGE_CODE``. A failure is logged, never raised."""
        recipients = self.get_staff_emails(conversation)
        if not recipients:
            return
        context = {
            "conversation": conversation,
            "customer": conversation.customer,
            "reason": reason,
            "topic_label": self.topic_label(conversation),
            "staff_url": self.get_staff_url(conversation),
            "last_message": conversation.messages.filter(sender_kind="customer").last(),
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(
                render_to_string("istok_support/email/handoff_subject.txt", context).split()
            )
            body = render_to_string("istok_support/email/handoff.txt", context)
        send_mail(
            subject,
            body,
            settings.ISTOK_SUPPORT_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
            recipients,
        )

    def topic_label(self, conversation):
        """The label of the branch the customer chose (empty when none)."""
        try:
            branch = self.get_flow().branch(conversation.topic)
        except Exception:  # a broken flow has been reported by the checks
            return conversation.topic
        return str(branch.label) if branch else conversation.topic


def get_adapter():
    """An instance of the class ``ISTOK_SUPPORT_ADAPTER`` names (a subclass of
    :class:`DefaultSupportAdapter`), imported on first use."""
    return load_adapter("ISTOK_SUPPORT_ADAPTER", base=DefaultSupportAdapter)
