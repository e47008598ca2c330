"""Erasing a customer's personal data from their appointments."""

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
    upcoming = list(
        appointments.filter(
            status__in=Appointment.ACTIVE, starts_at__gt=timezone.now()
        ).values_list("pk", flat=True)
    )
    reason = _("The customer deleted their account.")
    # Notes in the history may quote the customer (a reason for cancelling).
    AppointmentEvent.objects.filter(appointment__customer=user).update(note="")
    Seat.objects.filter(appointment_id__in=upcoming).delete()
    appointments.filter(pk__in=upcoming).update(
        status=Status.CANCELLED, cancelled_by_customer=True, cancel_reason=reason
    )
    for appointment in Appointment.objects.filter(pk__in=upcoming):
        record(appointment, Event.CANCELLED, None, note=reason)
    count = appointments.update(
        contact_value="",
        notes="",
        address="",
        guest_name="",
        guest_phone="",
        guest_email="",
    )
    return count
