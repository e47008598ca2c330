"""Views of the orders API. They check input with a serializer and write through ``services``.

An order or document the user may not open answers 404, for a stranger and an anonymous
client alike; staff endpoints answer 403 to a customer on their own order.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from istok_core import uploads
from istok_core.api.errors import service_errors
from istok_core.api.exceptions import NotFoundMixin
from istok_core.api.parsers import SafeParsersMixin

from .. import selectors, services
from ..models import Order
from ..views import document_response
from .serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    OrderDetailSerializer,
    OrderListSerializer,
    StatusChangeSerializer,
)


def _visible_order(request, number):
    try:
        return selectors.order_for_user(request.user, number)
    except ObjectDoesNotExist:
        raise Http404 from None


def _require_staff_permission(request, permission):
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.has_perm(permission)):
        raise PermissionDenied(_("Only staff may do this."))


class OrderListView(NotFoundMixin, SafeParsersMixin, generics.ListAPIView):
    """The signed-in customer's orders, newest first."""

    serializer_class = OrderListSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Order.objects.none()
        return selectors.customer_orders(self.request.user)


class OrderDetailView(NotFoundMixin, SafeParsersMixin, generics.RetrieveAPIView):
    """One order with its lines, price breakdown, progress, timeline and documents."""

    serializer_class = OrderDetailSerializer
    # Anybody may ask; the queryset holds only the orders the user may open, so a stranger
    # or an anonymous client gets 404.
    permission_classes = [permissions.AllowAny]
    lookup_field = "number"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return selectors.order_detail_queryset(self.request.user)


class DocumentDownloadView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """The file of one document version, as an attachment."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={
            (200, upload_type.content_type): OpenApiTypes.BINARY
            for upload_type in (uploads.PDF, uploads.GLB, uploads.GLTF)
        }
    )
    def get(self, request, number, pk):
        order = _visible_order(request, number)
        try:
            document = selectors.visible_documents(request.user, order).get(pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None
        return document_response(document)


class StatusChangeView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """Staff: move the order to another status the pipeline allows."""

    serializer_class = StatusChangeSerializer
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: OrderDetailSerializer})
    def post(self, request, number):
        order = _visible_order(request, number)
        _require_staff_permission(request, "istok_orders.change_order")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.set_status(
                order,
                serializer.validated_data["status"],
                actor=request.user,
                note=serializer.validated_data["note"],
            )
        order = selectors.order_detail_queryset(request.user).get(pk=order.pk)
        return Response(OrderDetailSerializer(order, context=self.get_serializer_context()).data)


class DocumentAttachView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """Staff: attach a document (a new version of its kind) to the order."""

    serializer_class = DocumentUploadSerializer
    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={201: DocumentSerializer})
    def post(self, request, number):
        order = _visible_order(request, number)
        _require_staff_permission(request, "istok_orders.add_document")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            document = services.attach_document(
                order,
                serializer.validated_data["kind"],
                serializer.validated_data["file"],
                actor=request.user,
                customer_visible=serializer.validated_data["customer_visible"],
            )
        data = DocumentSerializer(document, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
