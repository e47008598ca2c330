"""The pages: the customer's chat and its history, the staff's inbox and conversation, an
attachment download.

The chat works without JavaScript: its forms post here and the page shows the messages
again (post/redirect/get). ``static/istok_support/chat.js`` makes the same forms go
through the REST API and adds new messages as they come (WebSocket, else polling).

A conversation, a message or an attachment that the user may not open is 404, for another
customer, a staff member without the permission and an anonymous visitor alike: its
number tells a stranger nothing. The chat page itself sends an anonymous visitor to log in.
"""

import importlib.util

from django.apps import apps
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from istok_core.files import private_file_response
from istok_core.uploads import type_for_content_type

from . import display, selectors, services
from .adapter import get_adapter
from .forms import MessageForm, RatingForm
from .integrations import orders


def _api_urls(conversation, side):
    """The API addresses the chat's script uses, or ``{}`` when the project has not
    included the API (the forms then post to the page)."""
    try:
        if side == display.STAFF:
            send = reverse("istok_support_api:staff_reply", kwargs={"pk": conversation.pk})
        else:
            send = reverse("istok_support_api:message_list", kwargs={"pk": conversation.pk})
        return {
            "messages_url": reverse(
                "istok_support_api:message_list", kwargs={"pk": conversation.pk}
            ),
            "send_url": send,
            "read_url": reverse("istok_support_api:mark_read", kwargs={"pk": conversation.pk}),
        }
    except NoReverseMatch:
        return {}


def chat_context(conversation, side, *, form=None, errors=(), action_url="", can_write=True):
    """What ``istok_support/includes/chat.html`` shows of ``conversation`` for ``side``:
    every message (one query), the quick replies, the form (unless the conversation is
    closed or not ``can_write``) and the script's addresses."""
    shown = [display.message(m, side) for m in selectors.messages_after(conversation)]
    can_write = can_write and not conversation.is_closed
    form = (form or MessageForm()) if can_write else None
    return {
        "errors": [*errors, *(form.non_field_errors() if form is not None else ())],
        "conversation": conversation,
        "side": side,
        "messages": shown,
        "cursor": shown[-1]["id"] if shown else 0,
        "replies": display.replies(conversation) if side == display.CUSTOMER else [],
        "form": form,
        "action_url": action_url,
        "socket_url": websocket_path(conversation) if can_write else "",
        **(_api_urls(conversation, side) if can_write else {}),
    }


def serves_websockets():
    """Whether the project serves the app's WebSocket routes (``routing.py``): Django
    Channels installed, ``CHANNEL_LAYERS`` and ``ASGI_APPLICATION`` set. Else the scripts
    poll the API."""
    return bool(
        importlib.util.find_spec("channels")
        and getattr(settings, "CHANNEL_LAYERS", None)
        and getattr(settings, "ASGI_APPLICATION", None)
    )


def websocket_path(conversation):
    """The path of the conversation's WebSocket, or ``""`` (see :func:`serves_websockets`)."""
    return f"/ws/support/conversations/{conversation.pk}/" if serves_websockets() else ""


def error_status(error):
    """What a page answers a refusal of a service with: 429 past the rate limit, else 400."""
    return 429 if getattr(error, "code", None) == "rate_limited" else 400


def send_message(request, conversation, service):
    """Post the chat form's message (text and/or attachment) with ``service``
    (``post_customer_message`` or ``staff_reply``). Returns the form, with the service's
    refusal as its errors, and the status to answer with (``None``: sent)."""
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, 400
    try:
        service(
            conversation,
            request.user,
            form.cleaned_data["text"],
            attachment=form.cleaned_data["attachment"],
        )
    except ValidationError as error:
        form.add_service_error(error)
        return form, error_status(error)
    return form, None


def _not_found(request):
    """The 404 of a conversation: for an anonymous visitor, with a link to log in and come
    back (a customer following the link of an email while logged out)."""
    context = {}
    if not request.user.is_authenticated:
        context["login_url"] = redirect_to_login(request.get_full_path())["Location"]
    return render(request, "istok_support/not_found.html", context, status=404)


class NotFoundPageMixin:
    """``Http404`` raised by the view answers the app's own 404 page."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            return _not_found(request)


class CustomerChatMixin(NotFoundPageMixin):
    """The chat of one conversation of the customer: shows it, and takes what its forms
    post (a message, a quick reply, "end the conversation", a rating)."""

    template_name = "istok_support/conversation.html"

    def get_conversation(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        conversation = self.get_conversation()
        if conversation.customer_id == request.user.pk:
            services.mark_read(conversation, request.user)
        return self.render_chat(conversation)

    def post(self, request, *args, **kwargs):
        conversation = self.get_conversation()
        if conversation.customer_id != request.user.pk:
            raise Http404
        rating_form = None
        try:
            if "action" in request.POST:
                services.press_button(conversation, request.user, request.POST["action"])
            elif "close" in request.POST:
                services.close(conversation, request.user)
            elif "rating" in request.POST:
                rating_form = RatingForm(request.POST)
                if not rating_form.is_valid():
                    return self.render_chat(conversation, rating_form=rating_form, status=400)
                services.rate(conversation, request.user, rating_form.cleaned_data["rating"])
                flash.success(request, _("Thank you for your rating."))
            else:
                form, status = send_message(request, conversation, services.post_customer_message)
                if status:
                    return self.render_chat(conversation, form=form, status=status)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors = []
            if rating_form is not None:
                rating_form.add_service_error(error)
            else:  # a button: its error above the chat's form
                errors = error.messages
            return self.render_chat(
                conversation, rating_form=rating_form, errors=errors, status=error_status(error)
            )
        return redirect(self.get_success_url(conversation))

    def get_success_url(self, conversation):
        return request_path(self.request) + "#istok-support-chat"

    def render_chat(
        self, conversation, *, form=None, rating_form=None, errors=(), product=None, status=200
    ):
        context = {
            "product": product,
            "chat": chat_context(
                conversation,
                display.CUSTOMER,
                form=form,
                errors=errors,
                action_url=request_path(self.request),
            ),
            "conversation": conversation,
            "rating_form": rating_form
            or (
                RatingForm(initial={"rating": conversation.rating})
                if conversation.can_rate()
                else None
            ),
            "has_history": selectors.conversations_for(self.request.user)
            .exclude(pk=conversation.pk)
            .exists(),
        }
        return render(self.request, self.template_name, context, status=status)


def request_path(request):
    return request.get_full_path()


class ConversationView(LoginRequiredMixin, CustomerChatMixin, View):
    """The chat page (``istok_support:conversation``): the customer's open conversation,
    started (the bot greets) when they have none.

    ``?order=<pk>`` (a link from an order's page) starts it about that order of the
    customer's: while the bot is in charge and no order is attached yet, it is what
    pressing "About my current order" and then the order's button does. ``?product=<slug>``
    (a link from a product's page, with istok_catalog) names the product above the form
    and starts the message with it."""

    def get_conversation(self):
        try:
            return services.start_conversation(self.request.user)
        except PermissionDenied:
            raise Http404 from None

    def get(self, request, *args, **kwargs):
        if "order" in request.GET:
            conversation = self.get_conversation()
            about_order(conversation, request.user, request.GET["order"])
            return redirect(reverse("istok_support:conversation"))
        return super().get(request, *args, **kwargs)

    def render_chat(self, conversation, *, form=None, **kwargs):
        product = product_named(self.request.GET.get("product"))
        if product is not None and form is None and not conversation.is_closed:
            text = _("A question about “%(product)s”: ") % {"product": product["name"]}
            form = MessageForm(initial={"text": text})
        return super().render_chat(conversation, form=form, product=product, **kwargs)

    def get_success_url(self, conversation):
        if conversation.is_closed:
            # The closed one stays readable (and may be rated) at its own address.
            return reverse("istok_support:conversation_detail", kwargs={"pk": conversation.pk})
        return reverse("istok_support:conversation") + "#istok-support-chat"


def about_order(conversation, customer, order_pk):
    """Attach the customer's order ``order_pk`` to ``conversation`` as the bot's own
    buttons do ("About my current order", then the order), while the bot is in charge
    and no order is attached; anything else (not their order, no orders branch, the bot
    gone) leaves the conversation as it is."""
    if not conversation.bot_active or conversation.order_pk:
        return
    if orders.customer_order(customer, order_pk) is None:
        return
    branch = next((b for b in get_adapter().get_flow().branches if b.action == "orders"), None)
    if branch is None:
        return
    try:
        services.press_button(conversation, customer, branch.code)
        services.press_button(conversation, customer, f"order:{order_pk}")
    except ValidationError:
        return


def product_named(slug):
    """``{"name", "url"}`` of the published catalog product ``slug``, or ``None`` (no
    such product, or istok_catalog not installed)."""
    if not slug or not apps.is_installed("istok_catalog"):
        return None
    from istok_catalog.selectors import get_published_product

    try:
        product = get_published_product(slug)
    except (ObjectDoesNotExist, ValueError):
        return None
    try:
        url = product.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        url = ""
    return {"name": str(product), "url": url}


class ConversationDetailView(CustomerChatMixin, View):
    """One conversation of the customer, by its number (a closed one: to read and rate)."""

    def get_conversation(self):
        user = self.request.user
        if not user.is_authenticated:
            raise Http404
        conversation = selectors.get_conversation_for(user, self.kwargs["pk"])
        if conversation.customer_id != user.pk:
            # Staff open a conversation on their own page.
            raise Http404
        return conversation


class HistoryView(LoginRequiredMixin, ListView):
    """The customer's conversations, latest first, with their unread answers."""

    template_name = "istok_support/history.html"
    context_object_name = "conversations"
    paginate_by = 20

    def get_queryset(self):
        return selectors.conversations_for(self.request.user)


class AttachmentView(NotFoundPageMixin, View):
    """The file of a message, to the conversation's customer and to support staff."""

    def get(self, request, pk):
        return attachment_response(selectors.get_attachment_for(request.user, pk))


def attachment_response(message):
    """The attachment of ``message`` as a private download, typed by what the upload
    check found (istok_core.files)."""
    upload_type = type_for_content_type(message.attachment_type)
    return private_file_response(
        message.attachment,
        filename=message.attachment_name,
        content_type=upload_type.content_type if upload_type else "application/octet-stream",
    )


# Staff --------------------------------------------------------------------------------------


class StaffMixin(NotFoundPageMixin):
    """Support staff only (``selectors.can_view_all``); anybody else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.can_view_all(request.user):
            return _not_found(request)
        return super().dispatch(request, *args, **kwargs)


class InboxView(StaffMixin, ListView):
    """The staff's inbox: waiting (nobody has taken them), mine (open, taken by me), all."""

    template_name = "istok_support/staff/inbox.html"
    context_object_name = "conversations"
    paginate_by = 30

    def get_filter(self):
        wanted = self.request.GET.get("filter", "waiting")
        return wanted if wanted in selectors.INBOX_FILTERS else "waiting"

    def get_queryset(self):
        return selectors.inbox(self.request.user, self.get_filter())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        adapter = get_adapter()
        for conversation in context["conversations"]:
            conversation.topic_label = (
                adapter.topic_label(conversation) if conversation.topic else ""
            )
        counts = selectors.inbox_counts(self.request.user)
        tabs = [
            ("waiting", _("Waiting"), counts["waiting"]),
            ("mine", _("Mine"), counts["mine"]),
            ("all", _("All"), None),
        ]
        context.update(
            tabs=tabs,
            current=self.get_filter(),
            counts=counts,
            live=inbox_live(self.request.user, self.get_filter()),
        )
        return context


def inbox_live(staff, filter):
    """What the inbox's script (``istok_support/inbox.js``) needs to notice a change: the
    inbox's WebSocket path (with Channels), its API address (with the API), and the
    fingerprint of the whole list as the API would give it now (one query)."""
    try:
        inbox_url = reverse("istok_support_api:inbox") + f"?filter={filter}"
    except NoReverseMatch:
        inbox_url = ""
    rows = selectors.inbox(staff, filter).values_list("pk", "status", "unread")
    return {
        "inbox_url": inbox_url,
        "socket_url": "/ws/support/inbox/" if serves_websockets() else "",
        "fingerprint": ",".join(f"{pk}:{status}:{unread}" for pk, status, unread in rows),
    }


class StaffConversationView(StaffMixin, View):
    """A conversation for support staff: the chat, the customer's orders beside it, and
    take, reply and close."""

    template_name = "istok_support/staff/conversation.html"

    def get_conversation(self):
        return selectors.get_conversation_for(self.request.user, self.kwargs["pk"])

    def get(self, request, pk):
        conversation = self.get_conversation()
        services.mark_read(conversation, request.user)
        return self.render_page(conversation)

    def post(self, request, pk):
        conversation = self.get_conversation()
        operation = request.POST.get("op", "reply")
        try:
            if operation == "take":
                services.take(conversation, request.user)
                flash.success(request, _("The conversation is yours now."))
            elif operation == "close":
                services.close(conversation, request.user)
                flash.success(request, _("The conversation is closed."))
            else:
                form, status = send_message(request, conversation, services.staff_reply)
                if status:
                    return self.render_page(conversation, form=form, status=status)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            for text in error.messages:
                flash.error(request, text)
            return redirect(request.path)
        return redirect(request.path + "#istok-support-chat")

    def render_page(self, conversation, *, form=None, status=200):
        user = self.request.user
        customer_orders = [
            display.order(info, display.STAFF) for info in orders.orders_of(conversation.customer)
        ]
        context = {
            "conversation": conversation,
            "chat": chat_context(
                conversation,
                display.STAFF,
                form=form,
                action_url=self.request.path,
                can_write=selectors.can_handle(user),
            ),
            "customer_name": display.person_name(conversation.customer),
            "orders": customer_orders,
            "orders_installed": orders.available(),
            "can_handle": selectors.can_handle(user),
            "can_take": selectors.can_handle(user)
            and not conversation.is_closed
            and conversation.specialist_id != user.pk,
            "topic_label": _topic_label(conversation),
        }
        return render(self.request, self.template_name, context, status=status)


def _topic_label(conversation):
    return get_adapter().topic_label(conversation) if conversation.topic else ""
