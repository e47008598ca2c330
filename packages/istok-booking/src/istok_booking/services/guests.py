"""Guests' bookings, claimed by the account they sign up with."""

from django.db import transaction
from django.db.models import Q

from istok_core.transactions import retrying

from ..integrations.accounts import contact_phone_for
from ..models import Appointment
from ._common import Event, record


@retrying
@transaction.atomic
def claim_guest_appointments(user):
    """Give ``user`` the guest bookings made with their email address or phone number
    (the profile's ``phone`` when the user model has one); return how many. Called once a
    new account is committed (any user model) and, with istok_accounts, when a phone is
    added to the profile. Each claimed booking notes it in its history."""
    if user is None or user.pk is None:
        return 0
    match = Q()
    address = (getattr(user, "email", "") or "").strip()
    if address:
        match |= Q(guest_email__iexact=address)
    number = contact_phone_for(user)
    if number:
        match |= Q(guest_phone=number)
    if not match:
        return 0
    pks = list(
        Appointment.objects.select_for_update(of=("self",))
        .filter(match, customer__isnull=True)
        .values_list("pk", flat=True)
    )
    if not pks:
        return 0
    Appointment.objects.filter(pk__in=pks, customer__isnull=True).update(customer=user)
    for appointment in Appointment.objects.filter(pk__in=pks, customer=user):
        record(appointment, Event.CLAIMED, user)
    return len(pks)
