"""Support conversations and their messages.

``Conversation`` is one request of a customer: with the bot, then waiting for a
specialist, then with a specialist, then closed. ``ChatMessage`` is one message in it.

Read marks are two cursors on the conversation, one per side: ``customer_read_upto`` and
``staff_read_upto`` hold the primary key of the last message that side has read. A
message is unread for a side when its key is greater than that side's cursor and the other
side wrote it. Marking read is one ``UPDATE`` of one row whatever the number of messages
(per-message marks would update every message), a cursor only moves forward, and an
inbox counts the unread messages of every conversation in one query. The keys of one
conversation's messages grow in the order they were committed, because every service
that writes a message first locks the conversation's row.

The related order is named by its primary key and number, not a foreign key, so the app
works without istok_orders (as istok_loyalty refers to orders).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import attachment_storage


class Conversation(models.Model):
    class Status(models.TextChoices):
        BOT = "bot", _("With the bot")
        WAITING = "waiting", _("Waiting for a specialist")
        WITH_SPECIALIST = "with_specialist", _("With a specialist")
        CLOSED = "closed", _("Closed")

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="support_conversations",
        verbose_name=_("customer"),
    )
    topic = models.CharField(
        _("topic"),
        max_length=32,
        blank=True,
        help_text=_("The purpose the customer chose (a branch of the bot)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOT, db_index=True
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_conversations_handled",
        verbose_name=_("specialist"),
        limit_choices_to={"is_staff": True},
    )
    order_pk = models.CharField(
        _("order (id)"), max_length=64, blank=True, editable=False, db_index=True
    )
    order_number = models.CharField(_("order"), max_length=64, blank=True, editable=False)
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        editable=False,
        help_text=_(
            "The language the customer started in: what the staff's side (a specialist "
            "joining, the closing) says to them is written in it."
        ),
    )
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_activity = models.DateTimeField(
        _("last activity"), default=timezone.now, db_index=True, editable=False
    )
    handed_off_at = models.DateTimeField(
        _("handed off"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the bot handed the conversation to the specialists: it is silent after."
        ),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, help_text=_("The customer's rating, 1 to 5.")
    )
    customer_read_upto = models.BigIntegerField(
        _("customer read up to"), default=0, editable=False
    )
    staff_read_upto = models.BigIntegerField(_("staff read up to"), default=0, editable=False)

    class Meta:
        ordering = ["-last_activity", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="istok_support_rating_1_to_5",
                violation_error_message=_("Rate from 1 to 5."),
            ),
            # One open conversation per customer: starting again returns it.
            models.UniqueConstraint(
                fields=["customer"],
                condition=~Q(status="closed"),
                name="istok_support_one_open_conversation",
            ),
        ]

    def __str__(self):
        return _("Conversation %(pk)s") % {"pk": self.pk}

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def bot_active(self):
        """The bot still answers: nobody asked for or took over as a specialist."""
        return self.handed_off_at is None and not self.is_closed

    def can_rate(self):
        return self.is_closed


def attachment_upload_to(message, filename):
    # A random name: the customer's own name for the file is kept in attachment_name.
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"istok_support/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ChatMessage(models.Model):
    class SenderKind(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        SPECIALIST = "specialist", _("Specialist")
        BOT = "bot", _("Bot")
        SYSTEM = "system", _("System")

    #: The kinds written on the customer's side (the staff's unread messages).
    CUSTOMER_SIDE = (SenderKind.CUSTOMER,)
    #: The kinds written on the staff's side (the customer's unread messages).
    STAFF_SIDE = (SenderKind.SPECIALIST, SenderKind.BOT, SenderKind.SYSTEM)

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
        # The index (conversation, id) below serves every lookup by conversation.
        db_index=False,
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    sender_kind = models.CharField(_("sender kind"), max_length=16, choices=SenderKind.choices)
    text = models.TextField(_("text"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    buttons = models.JSONField(
        _("buttons"),
        default=list,
        blank=True,
        help_text=_('Quick replies of a bot message: [{"action": ..., "label": ...}].'),
    )
    data = models.JSONField(
        _("data"),
        default=dict,
        blank=True,
        help_text=_("What a bot message shows besides its text: orders, a link."),
    )
    attachment = models.FileField(
        _("attachment"),
        upload_to=attachment_upload_to,
        storage=attachment_storage,
        max_length=255,
        blank=True,
    )
    attachment_name = models.CharField(_("attachment name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("attachment size"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "id"], name="istok_support_msg_conv_id")]

    def __str__(self):
        return self.text[:50] or self.attachment_name or str(self.get_sender_kind_display())

    @property
    def is_from_customer(self):
        return self.sender_kind == self.SenderKind.CUSTOMER
