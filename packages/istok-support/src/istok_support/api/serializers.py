"""Serializers of the support API. The output is :mod:`istok_support.display`'s (the same
as the pages show); the input serializers check types and shapes, the services the rules."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import ChatMessage, Conversation


class ReplySerializer(serializers.Serializer):
    action = serializers.CharField(read_only=True, help_text=_("What to send to press it."))
    label = serializers.CharField(read_only=True)


class OrderSerializer(serializers.Serializer):
    pk = serializers.CharField(read_only=True)
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)
    progress_text = serializers.CharField(read_only=True)
    deadline = serializers.DateField(read_only=True, allow_null=True)
    deadline_text = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("Empty: no page to link to."))


class LinkSerializer(serializers.Serializer):
    url = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, allow_null=True)
    url = serializers.CharField(read_only=True, help_text=_("The download, for the same user."))


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Also the polling cursor."))
    sender_kind = serializers.ChoiceField(choices=ChatMessage.SenderKind.choices, read_only=True)
    sender_name = serializers.CharField(read_only=True)
    mine = serializers.BooleanField(read_only=True, help_text=_("Written by the asking side."))
    text = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    created_display = serializers.CharField(read_only=True)
    orders = OrderSerializer(many=True, read_only=True)
    link = LinkSerializer(read_only=True, allow_null=True)
    attachment = AttachmentSerializer(read_only=True, allow_null=True)


class ConversationStateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=Conversation.Status.choices, read_only=True)
    status_label = serializers.CharField(read_only=True)
    closed = serializers.BooleanField(read_only=True)
    bot_active = serializers.BooleanField(read_only=True)
    replies = ReplySerializer(
        many=True, read_only=True, help_text=_("The quick replies the customer may press now.")
    )


class MessagesSerializer(serializers.Serializer):
    """New messages and the conversation as it is now."""

    results = MessageSerializer(many=True, read_only=True)
    conversation = ConversationStateSerializer(read_only=True)


class ConversationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unread = serializers.IntegerField(
        read_only=True, default=0, help_text=_("Messages of the other side not read yet.")
    )
    customer_name = serializers.SerializerMethodField()
    specialist_name = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "status",
            "status_label",
            "topic",
            "order_number",
            "customer_name",
            "specialist_name",
            "created",
            "last_activity",
            "closed_at",
            "rating",
            "unread",
        ]
        read_only_fields = fields

    def get_customer_name(self, conversation) -> str:
        from ..display import person_name

        return person_name(conversation.customer)

    def get_specialist_name(self, conversation) -> str:
        from ..display import person_name

        return person_name(conversation.specialist)


class SendSerializer(serializers.Serializer):
    """A message typed, or a quick reply pressed: ``text`` or ``action``, not both."""

    text = serializers.CharField(
        label=_("text"), required=False, allow_blank=True, trim_whitespace=False
    )
    action = serializers.CharField(
        label=_("button"),
        required=False,
        max_length=100,
        help_text=_('The "action" of a quick reply of the conversation.'),
    )

    def validate(self, data):
        if "action" in data and data.get("text"):
            raise serializers.ValidationError(_("Send a text or press a button, not both."))
        if "action" not in data and "text" not in data:
            raise serializers.ValidationError({"text": [_("Type a message.")]})
        return data


class ReplyTextSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("text"), allow_blank=True, trim_whitespace=False)


class ReadSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(
        label=_("up to"),
        required=False,
        min_value=0,
        help_text=_("The key of the last message read; default: the last one."),
    )


class ReadResultSerializer(serializers.Serializer):
    read_up_to = serializers.IntegerField(read_only=True)


class RatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(label=_("rating"), min_value=1, max_value=5)
