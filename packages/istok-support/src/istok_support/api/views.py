"""Views of the support API. They check input with a serializer and write through
``services``; what they answer is :mod:`istok_support.display`'s, as the pages show it.

A conversation the client may not open answers 404, for another customer and an
anonymous client alike; a customer calling a staff endpoint gets 403. A message over
``ISTOK_SUPPORT_MAX_MESSAGE_LENGTH`` is a 400 with the field error; past
``ISTOK_SUPPORT_RATE_LIMIT`` messages a minute the answer is 429 with ``Retry-After``.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.response import Response

from istok_core.api.errors import service_errors
from istok_core.api.exceptions import NotFoundMixin
from istok_core.api.parsers import SafeParsersMixin

from .. import display, selectors, services
from ..models import Conversation
from .serializers import (
    ConversationSerializer,
    MessagesSerializer,
    RatingSerializer,
    ReadResultSerializer,
    ReadSerializer,
    ReplyTextSerializer,
    SendSerializer,
)

#: The most messages one answer lists (``?limit=``).
MAX_LIMIT = 200

TOO_MANY = OpenApiResponse(description=_("Too many messages: wait a minute."))


@contextmanager
def support_errors():
    """``service_errors()``, with the rate limit as 429 and a refusal of who acts as 403."""
    try:
        with service_errors():
            try:
                yield
            except DjangoValidationError as exc:
                if getattr(exc, "code", None) == "rate_limited":
                    raise Throttled(wait=60, detail=" ".join(exc.messages)) from exc
                raise
    except DjangoPermissionDenied:
        raise PermissionDenied(_("You may not do this in this conversation.")) from None


def side_of(user, conversation):
    return display.CUSTOMER if conversation.customer_id == user.pk else display.STAFF


def messages_answer(conversation, messages, side, *, status_code=status.HTTP_200_OK):
    data = {
        "results": [display.message(message, side) for message in messages],
        "conversation": display.conversation_state(conversation, side),
    }
    return Response(MessagesSerializer(data).data, status=status_code)


class ConversationMixin(NotFoundMixin, SafeParsersMixin):
    # Anybody may ask: the conversation is looked up among those the user may open, so a
    # stranger or an anonymous client gets 404.
    permission_classes = [permissions.AllowAny]

    def get_conversation(self):
        return selectors.get_conversation_for(self.request.user, self.kwargs["pk"])


class ConversationListView(NotFoundMixin, SafeParsersMixin, generics.ListCreateAPIView):
    """GET: the customer's conversations, latest first. POST: the customer's open
    conversation, started (the bot greets) when they have none: 201 when new, 200 when
    it was open already."""

    serializer_class = ConversationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        return selectors.conversations_for(self.request.user)

    @extend_schema(
        request=None, responses={200: ConversationSerializer, 201: ConversationSerializer}
    )
    def post(self, request):
        existing = selectors.open_conversation_for(request.user)
        with support_errors():
            conversation = existing or services.start_conversation(request.user)
        conversation = selectors.conversations_for(request.user).get(pk=conversation.pk)
        return Response(
            ConversationSerializer(conversation).data,
            status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED,
        )


class ConversationDetailView(ConversationMixin, generics.GenericAPIView):
    """One conversation (the customer's own; any, for support staff)."""

    serializer_class = ConversationSerializer

    def get(self, request, pk):
        return Response(ConversationSerializer(self.get_conversation()).data)


class MessageListView(ConversationMixin, generics.GenericAPIView):
    """GET: the messages after the cursor ``after`` (polling), oldest first, and the
    conversation as it is now (its quick replies). POST (the customer): a message
    ``{"text"}`` or a quick reply ``{"action"}``; answers the new messages."""

    serializer_class = SendSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                OpenApiTypes.INT,
                description=_("The key of the last message the client has (0: from the first)."),
            ),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=_("At most this many (up to 200).")
            ),
        ],
        responses={200: MessagesSerializer},
    )
    def get(self, request, pk):
        conversation = self.get_conversation()
        try:
            after = int(request.query_params.get("after") or 0)
            if after < 0:
                raise ValueError
        except ValueError:
            raise serializers.ValidationError(
                {"after": [_("Give the key of a message (a whole number, 0 or more).")]}
            ) from None
        try:
            limit = min(int(request.query_params.get("limit") or MAX_LIMIT), MAX_LIMIT)
            if limit < 1:
                raise ValueError
        except ValueError:
            raise serializers.ValidationError(
                {"limit": [_("Give a whole number from 1 to 200.")]}
            ) from None
        messages = selectors.messages_after(conversation, after, limit=limit)
        return messages_answer(conversation, messages, side_of(request.user, conversation))

    @extend_schema(responses={201: MessagesSerializer, 429: TOO_MANY})
    def post(self, request, pk):
        conversation = self.get_conversation()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with support_errors():
            if "action" in data:
                messages = services.press_button(conversation, request.user, data["action"])
            else:
                messages = [
                    services.post_customer_message(conversation, request.user, data["text"])
                ]
        return messages_answer(
            conversation, messages, display.CUSTOMER, status_code=status.HTTP_201_CREATED
        )


class MarkReadView(ConversationMixin, generics.GenericAPIView):
    """The asking side has read the conversation up to ``up_to`` (default: all of it)."""

    serializer_class = ReadSerializer

    @extend_schema(responses={200: ReadResultSerializer})
    def post(self, request, pk):
        conversation = self.get_conversation()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with support_errors():
            cursor = services.mark_read(
                conversation, request.user, serializer.validated_data.get("up_to")
            )
        return Response({"read_up_to": cursor})


class CloseView(ConversationMixin, generics.GenericAPIView):
    """Close the conversation (its customer, or support staff)."""

    serializer_class = ConversationSerializer

    @extend_schema(request=None, responses={200: ConversationSerializer})
    def post(self, request, pk):
        conversation = self.get_conversation()
        with support_errors():
            services.close(conversation, request.user)
        return Response(ConversationSerializer(conversation).data)


class RateView(ConversationMixin, generics.GenericAPIView):
    """The customer rates their closed conversation from 1 to 5."""

    serializer_class = RatingSerializer

    @extend_schema(responses={200: ConversationSerializer})
    def post(self, request, pk):
        conversation = self.get_conversation()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with support_errors():
            services.rate(conversation, request.user, serializer.validated_data["rating"])
        return Response(ConversationSerializer(conversation).data)


# Staff --------------------------------------------------------------------------------------


def _require_staff(request):
    if not selectors.can_view_all(request.user):
        raise PermissionDenied(_("Only support staff may do this."))


class InboxView(NotFoundMixin, SafeParsersMixin, generics.ListAPIView):
    """Staff: the inbox, ``?filter=waiting`` (default: handed off, nobody has taken them),
    ``mine`` (open, taken by me) or ``all``; each with its unread customer messages."""

    serializer_class = ConversationSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("filter", OpenApiTypes.STR, enum=list(selectors.INBOX_FILTERS))
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        _require_staff(self.request)
        wanted = self.request.query_params.get("filter") or "waiting"
        if wanted not in selectors.INBOX_FILTERS:
            raise serializers.ValidationError({"filter": [_("Choose waiting, mine or all.")]})
        return selectors.inbox(self.request.user, wanted)


class TakeView(ConversationMixin, generics.GenericAPIView):
    """Staff: take the conversation (of two at once, one wins; the other gets 400)."""

    serializer_class = ConversationSerializer

    @extend_schema(request=None, responses={200: ConversationSerializer})
    def post(self, request, pk):
        conversation = self.get_conversation()
        with support_errors():
            services.take(conversation, request.user)
        return Response(ConversationSerializer(conversation).data)


class StaffReplyView(ConversationMixin, generics.GenericAPIView):
    """Staff: answer in the conversation (one nobody has taken becomes theirs)."""

    serializer_class = ReplyTextSerializer

    @extend_schema(responses={201: MessagesSerializer, 429: TOO_MANY})
    def post(self, request, pk):
        conversation = self.get_conversation()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with support_errors():
            message = services.staff_reply(
                conversation, request.user, serializer.validated_data["text"]
            )
        return messages_answer(
            conversation, [message], display.STAFF, status_code=status.HTTP_201_CREATED
        )
