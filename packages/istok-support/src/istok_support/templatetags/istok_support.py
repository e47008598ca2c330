"""``{% load istok_support %}``: the support chat on any page of the portal.

``{% support_widget %}`` shows the signed-in customer's open conversation (its messages,
quick replies and form, live with ``istok_support/chat.js``), or a link to start one; a
visitor gets a link to the chat page (which asks them to sign in). Its template is
``istok_support/includes/widget.html``; the page must load
``istok_support/includes/styles.html`` (in ``extra_head``) for its look.
"""

from django import template
from django.urls import reverse

from .. import display, selectors
from ..views import chat_context

register = template.Library()


@register.inclusion_tag("istok_support/includes/widget.html", takes_context=True)
def support_widget(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    conversation = selectors.open_conversation_for(user) if user is not None else None
    chat = None
    if conversation is not None:
        chat = chat_context(
            conversation, display.CUSTOMER, action_url=reverse("istok_support:conversation")
        )
    return {
        "chat": chat,
        "chat_url": reverse("istok_support:conversation"),
        "csrf_token": context.get("csrf_token"),
    }
