"""Serializers of the orders API. They check types and shapes; the services check the rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Adjustment, Document, Order, OrderEvent, OrderLine


class LineSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="product_name", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = OrderLine
        fields = ["id", "product", "name", "quantity", "unit_price", "amount", "configuration"]
        read_only_fields = fields


class AdjustmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Adjustment
        fields = ["kind", "kind_label", "label", "reference", "amount"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = OrderEvent
        fields = ["created", "kind", "text", "old_status", "new_status", "note"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_label",
            "version",
            "name",
            "size",
            "content_type",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document):
        path = reverse(
            "istok_orders_api:document_download",
            kwargs={"number": document.order.number, "pk": document.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DocumentGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    latest = DocumentSerializer(read_only=True)
    older = DocumentSerializer(many=True, read_only=True)


class ProgressStepSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=["done", "current", "upcoming"], read_only=True)


class OrderListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "number",
            "status",
            "status_label",
            "order_date",
            "deadline",
            "total",
            "currency",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, order):
        path = reverse("istok_orders_api:order_detail", kwargs={"number": order.number})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class OrderDetailSerializer(OrderListSerializer):
    delivery_zone = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=_("Null: no delivery.")
    )
    delivery_zone_name = serializers.CharField(
        source="delivery_zone.name", read_only=True, default=""
    )
    progress = serializers.SerializerMethodField()
    lines = LineSerializer(many=True, read_only=True)
    adjustments = AdjustmentSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta(OrderListSerializer.Meta):
        fields = [
            *OrderListSerializer.Meta.fields,
            "completion_date",
            "delivery_date",
            "installation_date",
            "delivery_address",
            "phone",
            "delivery_zone",
            "delivery_zone_name",
            "subtotal",
            "adjustments_total",
            "delivery_cost",
            "progress",
            "lines",
            "adjustments",
            "timeline",
            "documents",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressStepSerializer(many=True))
    def get_progress(self, order):
        return ProgressStepSerializer(selectors.order_progress(order), many=True).data

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, order):
        events = getattr(order, "timeline", None)
        if events is None:
            events = selectors.customer_timeline(order)
        return EventSerializer(events, many=True).data

    @extend_schema_field(DocumentGroupSerializer(many=True))
    def get_documents(self, order):
        request = self.context.get("request")
        user = request.user if request else None
        documents = selectors.visible_documents(user, order).select_related("order")
        groups = selectors.document_groups(documents)
        return DocumentGroupSerializer(groups, many=True, context=self.context).data


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.CharField(
        label=_("status"), max_length=32, help_text=_("Code of the status to move to.")
    )
    note = serializers.CharField(
        label=_("note"), required=False, allow_blank=True, default="", max_length=5000
    )


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("kind"), choices=Document.Kind.choices)
    file = serializers.FileField(label=_("file"))
    customer_visible = serializers.BooleanField(
        label=_("the customer sees it"), required=False, default=True
    )
