"""Serializers of the loyalty API. They check types and shapes; the services check the rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import LoyaltyTransaction, News, Promotion, PromotionChoice, Referral
from ..services import MAX_POINTS


class ExpiringSerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    points = serializers.IntegerField(read_only=True)


def translated(field, help_text=None):
    """A text of the row in the request's language (its ``translations``, or the site
    language's text when there is none)."""
    return serializers.CharField(source=f"translated.{field}", read_only=True, help_text=help_text)


class GiftSerializer(serializers.ModelSerializer):
    title = translated("title")

    class Meta:
        model = Promotion
        fields = ["id", "title"]
        read_only_fields = fields


class OwnReferralSerializer(serializers.ModelSerializer):
    """The referral the customer joined with."""

    gift = GiftSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = ["code", "created", "gift", "confirmed", "confirmed_at"]
        read_only_fields = fields


class AccountSerializer(serializers.Serializer):
    balance = serializers.IntegerField(read_only=True)
    balance_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    currency = serializers.CharField(read_only=True)
    expiring_soon = ExpiringSerializer(many=True, read_only=True)
    referral_code = serializers.CharField(read_only=True)
    referral_link = serializers.CharField(read_only=True)
    referral = OwnReferralSerializer(read_only=True, allow_null=True)


class TransactionSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = LoyaltyTransaction
        fields = [
            "id",
            "created",
            "type",
            "type_label",
            "reason",
            "reason_label",
            "points",
            "delta",
            "balance_after",
            "expires_at",
            "reference",
            "note",
        ]
        read_only_fields = fields


class FriendSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    confirmed = serializers.BooleanField(read_only=True)
    confirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ChooseGiftSerializer(serializers.Serializer):
    gift = serializers.IntegerField(
        label=_("gift"), min_value=1, help_text=_("Id of a current referral promotion.")
    )


class PayOrderSerializer(serializers.Serializer):
    points = serializers.IntegerField(label=_("points"), min_value=1, max_value=MAX_POINTS)


class ChoosePromotionSerializer(serializers.Serializer):
    promotion = serializers.IntegerField(
        label=_("promotion"),
        min_value=1,
        help_text=_("Id of a current promotion of the general or loyalty program."),
    )


class PromotionChoiceSerializer(serializers.ModelSerializer):
    """The promotion chosen for an order and what it took off."""

    promotion = GiftSerializer(read_only=True)

    class Meta:
        model = PromotionChoice
        fields = ["id", "order_number", "promotion", "discount", "created"]
        read_only_fields = fields


class PromotionSerializer(serializers.ModelSerializer):
    title = translated("title")
    description = translated("description")
    category_slugs = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "Offered only for orders with a product of these categories; empty: every order."
        ),
    )
    program_label = serializers.CharField(source="get_program_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Promotion
        fields = [
            "id",
            "title",
            "description",
            "image",
            "program",
            "program_label",
            "start_date",
            "end_date",
            "discount_percent",
            "discount_amount",
            "is_choosable",
            "category_slugs",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, promotion):
        path = reverse("istok_loyalty_api:promotion_detail", kwargs={"pk": promotion.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class NewsListSerializer(serializers.ModelSerializer):
    title = translated("title")
    summary = translated("summary")
    url = serializers.SerializerMethodField()

    class Meta:
        model = News
        fields = ["slug", "title", "summary", "image", "published_at", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, news):
        path = reverse("istok_loyalty_api:news_detail", kwargs={"slug": news.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class NewsDetailSerializer(NewsListSerializer):
    content = translated("content")

    class Meta(NewsListSerializer.Meta):
        fields = [*NewsListSerializer.Meta.fields, "content"]
        read_only_fields = fields
