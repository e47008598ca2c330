"""Use cases of istok_booking: the only code that writes its data.

Pages, the API and the admin call these functions. Each one checks what it is given and
raises :class:`~django.core.exceptions.ValidationError` with field keys before anything is
kept: a refused change leaves the database as it was. :class:`SlotTaken`, a
``ValidationError`` on ``starts_at``, carries ``fresh_slots`` to offer instead.
"""

from ._common import SlotTaken
from .appointments import book, cancel, complete, confirm, mark_no_show, reschedule
from .guests import claim_guest_appointments
from .personal_data import anonymise_customer_appointments
from .reminders import due_reminders, send_due_reminders
from .slots import available_slots, check_time

__all__ = [
    "SlotTaken",
    "anonymise_customer_appointments",
    "available_slots",
    "book",
    "cancel",
    "check_time",
    "claim_guest_appointments",
    "complete",
    "confirm",
    "due_reminders",
    "mark_no_show",
    "reschedule",
    "send_due_reminders",
]
