"""The visit as an iCalendar file (RFC 5545), made with the ``icalendar`` library.

One event per appointment with a stable ``UID`` (the appointment's ``uid``), so the
customer's calendar updates the event it already has: ``SEQUENCE`` grows with each move
and with the cancellation, and a cancelled visit is sent with ``METHOD:CANCEL`` and
``STATUS:CANCELLED``, which removes it.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from . import __version__
from .models import Appointment

PRODID = f"-//ISTOK//istok-booking {__version__}//EN"

STATUSES = {
    Appointment.Status.REQUESTED: "TENTATIVE",
    Appointment.Status.CONFIRMED: "CONFIRMED",
    Appointment.Status.CANCELLED: "CANCELLED",
    Appointment.Status.COMPLETED: "CONFIRMED",
    Appointment.Status.NO_SHOW: "CONFIRMED",
}


def uid_for(appointment):
    """The event's UID: the same for the appointment's whole life."""
    host = settings.ISTOK_BOOKING_SITE_URL.split("://")[-1].strip("/") or "istok-booking"
    return f"{appointment.uid}@{host}"


def filename_for(appointment):
    return f"appointment-{appointment.pk}.ics"


def _summary(appointment):
    return str(appointment.kind)


def _description(appointment):
    lines = []
    if appointment.purpose_id:
        lines.append(_("Purpose: %(purpose)s") % {"purpose": appointment.purpose})
    if appointment.designer_id:
        lines.append(_("Designer: %(designer)s") % {"designer": appointment.designer})
    if appointment.status == Appointment.Status.REQUESTED:
        lines.append(_("Waiting for a manager's confirmation."))
    if appointment.order_number:
        lines.append(_("Order %(number)s") % {"number": appointment.order_number})
    return "\n".join(lines)


def calendar_for(appointment, *, language=None):
    """The ``.ics`` file of ``appointment`` as bytes (``text/calendar``), its texts in
    ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        event = CalendarEvent()
        event.add("uid", uid_for(appointment))
        event.add("dtstamp", timezone.now())
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("sequence", appointment.sequence)
        event.add("status", STATUSES[appointment.status])
        event.add("summary", _summary(appointment))
        location = appointment.address or appointment.kind.translated.location
        if location:
            event.add("location", location)
        description = _description(appointment)
        if description:
            event.add("description", description)
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        cancelled = appointment.status == Appointment.Status.CANCELLED
        calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
        calendar.add_component(event)
    return calendar.to_ical()
