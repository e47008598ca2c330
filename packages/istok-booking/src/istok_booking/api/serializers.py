"""Serializers of the booking API. They check types and shapes; the services check the
rules (the time, the contact, the order)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Appointment, AppointmentEvent, Network, Purpose, VisitKind
from ..services._common import MAX_TEXT

#: The longest range of days one request for slots may cover.
MAX_SLOT_DAYS = 62


class KindSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="translated.name", read_only=True)
    description = serializers.CharField(source="translated.description", read_only=True)
    location = serializers.CharField(source="translated.location", read_only=True)

    class Meta:
        model = VisitKind
        fields = [
            "code",
            "name",
            "description",
            "duration",
            "location",
            "needs_confirmation",
            "at_home",
        ]
        read_only_fields = fields


class PurposeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="translated.name", read_only=True)

    class Meta:
        model = Purpose
        fields = ["code", "name"]
        read_only_fields = fields


class NetworkSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="translated.name", read_only=True)

    class Meta:
        model = Network
        fields = ["code", "name", "value_kind"]
        read_only_fields = fields


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    remaining = serializers.IntegerField(
        read_only=True, help_text=_("How many more visits the slot takes.")
    )


class SlotQuerySerializer(serializers.Serializer):
    """``?kind=showroom&start=2026-12-01&end=2026-12-07``."""

    kind = serializers.CharField(
        label=_("kind of visit"), max_length=40, help_text=_("Code of the kind of visit.")
    )
    start = serializers.DateField(
        label=_("first day"), required=False, help_text=_("Default: today.")
    )
    end = serializers.DateField(
        label=_("last day"),
        required=False,
        help_text=_("Included. Default: six days after the first day."),
    )

    def validate(self, data):
        from ..forms import local_today

        start = data.get("start") or local_today()
        end = data.get("end") or start + timedelta(days=6)
        if end < start:
            raise serializers.ValidationError({"end": _("The last day is before the first.")})
        if (end - start).days >= MAX_SLOT_DAYS:
            raise serializers.ValidationError(
                {"end": _("Ask for at most %(count)s days at once.") % {"count": MAX_SLOT_DAYS}}
            )
        return {**data, "start": start, "end": end}


class AppointmentEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    by_customer = serializers.SerializerMethodField()

    class Meta:
        model = AppointmentEvent
        fields = ["created", "kind", "kind_label", "status", "note", "by_customer"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_by_customer(self, event):
        return event.actor_id is not None and event.actor_id == event.appointment.customer_id


def _absolute(serializer, path):
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class AppointmentSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_name = serializers.CharField(source="kind.translated.name", read_only=True)
    purpose = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    purpose_name = serializers.CharField(
        source="purpose.translated.name", read_only=True, default=""
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    contact_method = serializers.CharField(
        read_only=True, help_text=_("“phone”, or the code of a messenger.")
    )
    location = serializers.SerializerMethodField()
    designer = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "uid",
            "kind",
            "kind_name",
            "purpose",
            "purpose_name",
            "starts_at",
            "ends_at",
            "status",
            "status_label",
            "needs_confirmation",
            "consultation_wanted",
            "contact_method",
            "contact_value",
            "location",
            "address",
            "designer",
            "order_number",
            "notes",
            "cancel_reason",
            "url",
            "ics_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_designer(self, appointment):
        return str(appointment.designer) if appointment.designer_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_location(self, appointment):
        return appointment.address or appointment.kind.translated.location

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, appointment):
        path = reverse("istok_booking_api:appointment_detail", kwargs={"pk": appointment.pk})
        return _absolute(self, path)

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, appointment):
        path = reverse("istok_booking_api:appointment_ics", kwargs={"pk": appointment.pk})
        return _absolute(self, path)


class AppointmentDetailSerializer(AppointmentSerializer):
    history = AppointmentEventSerializer(source="events", many=True, read_only=True)

    class Meta(AppointmentSerializer.Meta):
        fields = [*AppointmentSerializer.Meta.fields, "history"]
        read_only_fields = fields


class BookSerializer(serializers.Serializer):
    """What ``POST appointments/`` takes. The guest's fields count only for a client that
    is not signed in, with ``ISTOK_BOOKING_ALLOW_GUESTS``."""

    kind = serializers.CharField(label=_("kind of visit"), max_length=40)
    starts_at = serializers.DateTimeField(
        label=_("starts at"), help_text=_("One of the slots' ``starts_at``.")
    )
    purpose = serializers.CharField(
        label=_("purpose"),
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Code of the purpose; not needed for a measurement for an order."),
    )
    consultation_wanted = serializers.BooleanField(required=False, default=False)
    contact_method = serializers.CharField(
        max_length=40,
        required=False,
        default="phone",
        help_text=_("“phone”, or the code of a messenger."),
    )
    contact_value = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Empty for a call: the phone of the profile (or the guest's)."),
    )
    address = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )
    order = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("Key of the customer's order waiting for its measurement."),
    )
    guest_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )
    guest_phone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    guest_email = serializers.CharField(
        max_length=254, required=False, allow_blank=True, default=""
    )
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("A guest's consent to the processing of personal data."),
    )

    def booking_arguments(self):
        data = dict(self.validated_data)
        if not settings.ISTOK_BOOKING_ALLOW_GUESTS:
            for name in ("guest_name", "guest_phone", "guest_email", "consent"):
                data.pop(name)
        return data


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=_("reason"), max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )


class RescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(
        label=_("starts at"), help_text=_("One of the slots' ``starts_at``.")
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        label=_("note"), max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )
