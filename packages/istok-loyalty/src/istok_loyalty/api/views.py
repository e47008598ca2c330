"""Views of the loyalty API. They check input with a serializer and write through
``services``. A customer only ever sees their own account, history and referrals; an
order that is not theirs answers 404."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from istok_core.api.errors import service_errors
from istok_core.api.exceptions import NotFoundMixin
from istok_core.api.parsers import SafeParsersMixin
from istok_core.throttling import setting_throttle

from .. import selectors, services
from ..adapter import get_adapter
from ..models import LoyaltyTransaction, News, Promotion
from .serializers import (
    AccountSerializer,
    ChooseGiftSerializer,
    ChoosePromotionSerializer,
    FriendSerializer,
    NewsDetailSerializer,
    NewsListSerializer,
    OwnReferralSerializer,
    PayOrderSerializer,
    PromotionChoiceSerializer,
    PromotionSerializer,
    TransactionSerializer,
)

#: The longest ``Idempotency-Key`` header (the ledger keeps the key behind "api:").
IDEMPOTENCY_KEY_LENGTH = 200


class HistoryPagination(PageNumberPagination):
    page_size_query_param = None

    def get_page_size(self, request):
        return settings.ISTOK_LOYALTY_HISTORY_PAGE_SIZE


def account_data(request):
    user = request.user
    account = services.get_or_create_account(user)
    adapter = get_adapter()
    return {
        "balance": account.balance,
        "balance_value": adapter.points_to_money(account.balance),
        "currency": getattr(settings, "ISTOK_CURRENCY", "RUB"),
        "expiring_soon": selectors.expiring_soon(account),
        "referral_code": account.referral_code,
        "referral_link": selectors.referral_link(account, request),
        "referral": selectors.referral_of(user),
    }


class AccountView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """The signed-in customer's balance, what expires soon, and their referral code and
    link (the account is opened on first use)."""

    serializer_class = AccountSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        return Response(AccountSerializer(account_data(request)).data)


class TransactionListView(NotFoundMixin, SafeParsersMixin, generics.ListAPIView):
    """The signed-in customer's points history, newest first, paginated."""

    serializer_class = TransactionSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = HistoryPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LoyaltyTransaction.objects.none()
        return selectors.history(selectors.account_of(self.request.user))


class ReferralListView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """The friends the signed-in customer invited, with their status."""

    serializer_class = FriendSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: FriendSerializer(many=True)})
    def get(self, request):
        adapter = get_adapter()
        friends = [
            {
                "name": adapter.friend_display_name(referral.new_user),
                "created": referral.created,
                "confirmed": referral.confirmed,
                "confirmed_at": referral.confirmed_at,
            }
            for referral in selectors.referrals_made(request.user)
        ]
        return Response(FriendSerializer(friends, many=True).data)


class ChooseGiftView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """The new customer's gift for joining with a friend's code (a current referral
    promotion). It may be changed until the referral is confirmed."""

    serializer_class = ChooseGiftSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OwnReferralSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            referral = services.choose_gift(request.user, serializer.validated_data["gift"])
        return Response(OwnReferralSerializer(referral).data)


class PayOrderView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """Pay part of one of the customer's orders with points (within the limit)."""

    serializer_class = PayOrderSerializer
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [  # the same count as the pay page's, per customer
        *api_settings.DEFAULT_THROTTLE_CLASSES,
        setting_throttle("istok_loyalty_pay", "ISTOK_LOYALTY_PAY_RATE"),
    ]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=(
                    "Up to 200 characters. The same request again returns the first "
                    "answer (with Idempotent-Replayed: true) and pays nothing more; the "
                    "key with another order or other points is answered with 422."
                ),
            )
        ],
        responses={
            201: TransactionSerializer,
            422: OpenApiResponse(description="The idempotency key was used for another payment."),
            503: OpenApiResponse(
                description="Too many concurrent changes: retry after Retry-After."
            ),
        },
    )
    def post(self, request, number):
        if not apps.is_installed("istok_orders"):
            raise Http404
        from istok_orders import selectors as order_selectors

        try:
            order = order_selectors.customer_orders(request.user).get(number=number)
        except ObjectDoesNotExist:
            raise Http404 from None
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_LENGTH:
            raise serializers.ValidationError(
                {
                    "idempotency_key": [
                        _(
                            "The Idempotency-Key header is too long: use at most %(limit)s "
                            "characters."
                        )
                        % {"limit": IDEMPOTENCY_KEY_LENGTH}
                    ]
                }
            )
        with service_errors():
            row = services.pay_order_with_points(
                request.user,
                order,
                serializer.validated_data["points"],
                actor=request.user,
                # Scoped to the customer's account by the ledger; "api:" keeps the keys
                # clients choose apart from the ones istok_loyalty makes itself.
                idempotency_key=f"api:{key}" if key else None,
            )
        headers = {"Idempotent-Replayed": "true"} if getattr(row, "replayed", False) else {}
        return Response(
            TransactionSerializer(row).data, status=status.HTTP_201_CREATED, headers=headers
        )


class ChoosePromotionView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """Choose a promotion for one of the customer's orders (one per order, from the
    current general and loyalty promotions). A discount is taken off the order."""

    serializer_class = ChoosePromotionSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={201: PromotionChoiceSerializer})
    def post(self, request, number):
        if not apps.is_installed("istok_orders"):
            raise Http404
        from istok_orders import selectors as order_selectors

        try:
            order = order_selectors.customer_orders(request.user).get(number=number)
        except ObjectDoesNotExist:
            raise Http404 from None
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            choice = services.apply_promotion(
                order, serializer.validated_data["promotion"], actor=request.user
            )
        return Response(PromotionChoiceSerializer(choice).data, status=status.HTTP_201_CREATED)


PROGRAM_PARAMETER = OpenApiParameter(
    "program",
    OpenApiTypes.STR,
    enum=Promotion.Program.values,
    description="Only the promotions of this program.",
)


class PromotionListView(NotFoundMixin, SafeParsersMixin, generics.ListAPIView):
    """The current promotions, of one program with ``?program=``."""

    serializer_class = PromotionSerializer
    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[PROGRAM_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Promotion.objects.none()
        program = self.request.query_params.get("program", "")
        if program and program not in Promotion.Program.values:
            raise serializers.ValidationError(
                {"program": [_("Choose one of: %s.") % ", ".join(Promotion.Program.values)]}
            )
        return selectors.current_promotions(program or None)


class PromotionDetailView(NotFoundMixin, SafeParsersMixin, generics.RetrieveAPIView):
    serializer_class = PromotionSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Promotion.objects.none()
        return selectors.current_promotions()


class NewsListView(NotFoundMixin, SafeParsersMixin, generics.ListAPIView):
    serializer_class = NewsListSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return News.objects.none()
        return selectors.published_news()


class NewsDetailView(NotFoundMixin, SafeParsersMixin, generics.RetrieveAPIView):
    serializer_class = NewsDetailSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return News.objects.none()
        return selectors.published_news()
