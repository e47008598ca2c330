"""Views of the booking API. They check input with a serializer and write through
``services``.

An appointment the client may not open answers 404, for another customer and an anonymous
client alike; the staff endpoints (confirm, complete) answer 403 to a customer on their own
appointment.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from istok_core.api.errors import service_errors
from istok_core.api.exceptions import NotFoundMixin
from istok_core.api.parsers import SafeParsersMixin

from .. import selectors, services
from ..models import Appointment
from ..views import appointment_or_404, ics_response
from .serializers import (
    AppointmentDetailSerializer,
    AppointmentSerializer,
    BookSerializer,
    CancelSerializer,
    KindSerializer,
    NetworkSerializer,
    NoteSerializer,
    PurposeSerializer,
    RescheduleSerializer,
    SlotQuerySerializer,
    SlotSerializer,
)


class LookupListView(NotFoundMixin, SafeParsersMixin, generics.ListAPIView):
    """The active rows of a lookup table, in their order (not paginated: a few rows)."""

    permission_classes = [permissions.AllowAny]
    pagination_class = None


class KindListView(LookupListView):
    """The kinds of visit offered."""

    serializer_class = KindSerializer

    def get_queryset(self):
        return selectors.active_kinds()


class PurposeListView(LookupListView):
    """The purposes a visit may have."""

    serializer_class = PurposeSerializer

    def get_queryset(self):
        return selectors.active_purposes()


class NetworkListView(LookupListView):
    """The messengers and social networks a customer may be contacted in (or ``phone``)."""

    serializer_class = NetworkSerializer

    def get_queryset(self):
        return selectors.active_networks()


class SlotListView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """The free slots of a kind of visit from ``start`` to ``end`` (days on the site's
    calendar, both included), with the visits each still takes."""

    permission_classes = [permissions.AllowAny]
    serializer_class = SlotSerializer
    pagination_class = None

    @extend_schema(parameters=[SlotQuerySerializer], responses={200: SlotSerializer(many=True)})
    def get(self, request):
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        with service_errors():
            slots = services.available_slots(data["kind"], data["start"], data["end"])
        return Response(SlotSerializer(slots, many=True).data)


class BookingPermission(permissions.BasePermission):
    """Reading needs a signed-in customer; booking too, unless guests may book."""

    def has_permission(self, request, view):
        if request.user and request.user.is_authenticated:
            return True
        return request.method == "POST" and settings.ISTOK_BOOKING_ALLOW_GUESTS


class AppointmentListView(NotFoundMixin, SafeParsersMixin, generics.ListCreateAPIView):
    """GET: the signed-in customer's appointments, soonest first. POST: book a visit."""

    serializer_class = AppointmentSerializer
    permission_classes = [BookingPermission]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Appointment.objects.none()
        return selectors.appointments_for(self.request.user).order_by("starts_at", "pk")

    @extend_schema(request=BookSerializer, responses={201: AppointmentDetailSerializer})
    def post(self, request):
        serializer = BookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        with service_errors():
            appointment = services.book(
                customer=user, actor=user, **serializer.booking_arguments()
            )
        if user is None:
            # A guest has no account to read the appointment with: what was booked.
            detail = AppointmentSerializer(appointment, context=self.get_serializer_context())
        else:
            detail = _detail(request, appointment.pk, self.get_serializer_context())
        return Response(detail.data, status=status.HTTP_201_CREATED)


def _detail(request, pk, context):
    return AppointmentDetailSerializer(appointment_or_404(request.user, pk), context=context)


class AppointmentDetailView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """One appointment with its history."""

    serializer_class = AppointmentDetailSerializer
    # Anybody may ask; only the customer (and staff who may view appointments) get it, a
    # stranger or an anonymous client 404.
    permission_classes = [permissions.AllowAny]

    def get(self, request, pk):
        return Response(_detail(request, pk, self.get_serializer_context()).data)


class ActionView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """A change of one appointment: 404 unless the client may open it, then the service;
    the answer is the appointment as it is now."""

    permission_classes = [permissions.AllowAny]
    #: The permission a member of staff needs (``None``: the customer may do it).
    staff_permission = None

    def post(self, request, pk):
        appointment = appointment_or_404(request.user, pk)
        if self.staff_permission:
            user = request.user
            if not (
                user.is_authenticated and user.is_staff and user.has_perm(self.staff_permission)
            ):
                raise PermissionDenied(_("Only staff may do this."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            self.perform(appointment, request.user, serializer.validated_data)
        return Response(_detail(request, pk, self.get_serializer_context()).data)


class CancelView(ActionView):
    """Cancel the visit: its customer until ``ISTOK_BOOKING_CANCEL_DEADLINE_HOURS`` before
    it, staff at any time."""

    serializer_class = CancelSerializer

    @extend_schema(responses={200: AppointmentDetailSerializer})
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, appointment, user, data):
        services.cancel(appointment, actor=user, reason=data["reason"])


class RescheduleView(ActionView):
    """Move the visit to another free slot: its customer until
    ``ISTOK_BOOKING_RESCHEDULE_DEADLINE_HOURS`` before it, staff at any time."""

    serializer_class = RescheduleSerializer

    @extend_schema(responses={200: AppointmentDetailSerializer})
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, appointment, user, data):
        services.reschedule(appointment, starts_at=data["starts_at"], actor=user)


class ConfirmView(ActionView):
    """Staff: confirm the request."""

    serializer_class = NoteSerializer
    staff_permission = "istok_booking.change_appointment"

    @extend_schema(request=None, responses={200: AppointmentDetailSerializer})
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, appointment, user, data):
        services.confirm(appointment, actor=user)


class CompleteView(ActionView):
    """Staff: the visit took place (a measurement for an order moves the order on)."""

    serializer_class = NoteSerializer
    staff_permission = "istok_booking.change_appointment"

    @extend_schema(responses={200: AppointmentDetailSerializer})
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, appointment, user, data):
        services.complete(appointment, actor=user, note=data["note"])


class CalendarView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """The visit as an ``.ics`` file (iCalendar), to add to a calendar."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        return ics_response(appointment_or_404(request.user, pk))
