"""Erasing a customer's personal data from their appointments."""

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Appointment, AppointmentEvent, Seat
from ._common import Event, Status, record


@transaction.atomic
def anonymise_customer_appointments(user):
    """Remove the personal data of ``user`` from their appointments (the contact, notes,
    address, guest fields) and cancel their visits still to come, giving back the seats.
    The appointments stay, without personal data, for the business's statistics. Runs
    inside istok_accounts' erasure transaction; sends no email."""
    appointments = Appointment.objects.filter(customer=user)
    # The lock order: a visit's order before the visit (as ``complete`` takes them).
    order_keys = sorted(
        set(appointments.filter(order_id__isnull=False).values_list("order_id", flat=True))
    )
    if order_keys and apps.is_installed("istok_orders"):
        from ..integrations.orders import lock_order

        for key in order_keys:
            lock_order(key)
    upcoming = list(
        appointments.filter(
            status__in=Appointment.ACTIVE, starts_at__gt=timezone.now()
        ).values_list("pk", flat=True)
    )
    # Notes in the history may quote the customer (a reason for cancelling).
    AppointmentEvent.objects.filter(appointment__customer=user).update(note="")
    count = appointments.update(
        contact_value="",
        notes="",
        address="",
        cancel_reason="",
        guest_name="",
        guest_phone="",
        guest_email="",
    )
    reason = _("The customer deleted their account.")
    Seat.objects.filter(appointment_id__in=upcoming).delete()
    appointments.filter(pk__in=upcoming).update(
        status=Status.CANCELLED, cancelled_by_customer=True, cancel_reason=reason
    )
    for appointment in Appointment.objects.filter(pk__in=upcoming):
        record(appointment, Event.CANCELLED, None, note=reason)
    return count
