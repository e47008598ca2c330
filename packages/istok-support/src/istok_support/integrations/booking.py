"""istok_booking: the link to its booking page, which the bot offers for a new order or
a consultation."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

#: The URL name of istok_booking's page where a customer books an appointment.
BOOKING_URL_NAME = "istok_booking:appointment_create"


def available():
    return apps.is_installed("istok_booking")


def booking_url():
    """The path of the booking page, or ``""`` when istok_booking is not installed or the
    project has not included its URLs."""
    if not available():
        return ""
    try:
        return reverse(BOOKING_URL_NAME)
    except NoReverseMatch:
        return ""
