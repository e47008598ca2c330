"""The admin of support: conversations and their messages, read-mostly.

Conversations are written by the services only: the admin shows them (with their
messages inline and a link to the staff page where a specialist answers) and offers
actions that call the services (take, close). A refusal (taken by someone else, ...) is
an admin message, never an error page. Messages are read-only; an attachment is
downloaded through the app's private view.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from istok_core.admin import AllValuesFieldListFilter, LabelledWidgetsMixin
from istok_core.transactions import TryAgain

from . import display, services
from .models import ChatMessage, Conversation

NOT_SUPPORT_STAFF = _("You may not handle conversations.")
GONE = _("It has been deleted meanwhile.")


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def attachment_link(message):
    if not message.attachment:
        return "—"
    return format_html(
        '<a href="{}">{}</a>', display.attachment_url(message), message.attachment_name
    )


class MessageInline(LabelledWidgetsMixin, ReadOnlyMixin, admin.TabularInline):
    model = ChatMessage
    fields = ["created", "sender_kind", "sender", "text", "attachment_file"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sender")

    @admin.display(description=_("attachment"))
    def attachment_file(self, message):
        return attachment_link(message)


@admin.register(Conversation)
class ConversationAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "customer",
        "status",
        "topic",
        "specialist",
        "order_number",
        "last_activity",
        "rating",
    ]
    list_filter = [
        "status",
        ("topic", AllValuesFieldListFilter),  # names the blank topic (Django's link has no text)
        "rating",
        ("specialist", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["customer", "specialist"]
    search_fields = ["customer__username", "customer__email", "order_number", "messages__text"]
    date_hierarchy = "created"
    readonly_fields = [
        "customer",
        "topic",
        "status",
        "specialist",
        "order_number",
        "created",
        "last_activity",
        "handed_off_at",
        "closed_at",
        "rating",
        "staff_page",
    ]
    fields = readonly_fields
    inlines = [MessageInline]
    actions = ["take", "close"]

    def has_add_permission(self, request):
        # A conversation starts when a customer opens the chat.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleted only with the customer's account (erasure).
        return False

    def get_search_results(self, request, queryset, search_term):
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        # Searching the messages joins them: one row per conversation all the same.
        return queryset, True

    @admin.display(description=_("staff page"))
    def staff_page(self, conversation):
        url = reverse("istok_support:staff_conversation", kwargs={"pk": conversation.pk})
        return format_html('<a href="{}">{}</a>', url, _("Open the chat to answer"))

    def _apply(self, request, queryset, service, done_message):
        done, refused = 0, []
        for conversation in queryset:
            try:
                service(conversation, request.user)
            except ValidationError as exc:
                refused.append(f"{conversation}: {' '.join(exc.messages)}")
            except PermissionDenied:
                refused.append(f"{conversation}: {NOT_SUPPORT_STAFF}")
            except TryAgain as exc:
                refused.append(f"{conversation}: {exc.message}")
            except Http404:  # deleted meanwhile (the customer's account erased)
                refused.append(f"{conversation}: {GONE}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for problem in refused:
            self.message_user(request, problem, messages.ERROR)

    @admin.action(description=_("Take the selected conversations"), permissions=["change"])
    def take(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.take,
            lambda n: (
                ngettext("%(count)d conversation taken.", "%(count)d conversations taken.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Close the selected conversations"), permissions=["change"])
    def close(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.close,
            lambda n: (
                ngettext("%(count)d conversation closed.", "%(count)d conversations closed.", n)
                % {"count": n}
            ),
        )


@admin.register(ChatMessage)
class ChatMessageAdmin(LabelledWidgetsMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created", "conversation", "sender_kind", "sender", "short_text", "file"]
    list_filter = ["sender_kind"]
    list_select_related = ["conversation", "sender"]
    search_fields = ["text", "attachment_name", "conversation__customer__username"]
    date_hierarchy = "created"
    fields = [
        "conversation",
        "sender_kind",
        "sender",
        "created",
        "text",
        "buttons",
        "data",
        "file",
        "attachment_type",
        "attachment_size",
    ]
    readonly_fields = fields

    @admin.display(description=_("text"))
    def short_text(self, message):
        return str(message)

    @admin.display(description=_("attachment"))
    def file(self, message):
        return attachment_link(message)
