"""System checks of istok_booking (``manage.py check``).

- ``E001``: ``ISTOK_BOOKING_SLOT_MINUTES`` is not a whole number of minutes that divides a
  day (5, 10, 15, 20, 30, 60...).
- ``E002``: a number of minutes, hours or days that is not a whole number ≥ 0
  (``BUFFER_MINUTES``, ``MIN_NOTICE_HOURS``, ``CANCEL_DEADLINE_HOURS``,
  ``RESCHEDULE_DEADLINE_HOURS``) or ≥ 1 (``HORIZON_DAYS``, ``REMINDER_HOURS``).
- ``E003``: ``ISTOK_BOOKING_ADAPTER`` cannot be imported.
- ``E004``: ``USE_TZ`` is off: appointments are stored in UTC and shown in ``TIME_ZONE``.
- ``W001``: the reminder is sent after the cancellation deadline has passed, so a customer
  who is reminded can no longer cancel.
"""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

MINUTES_IN_A_DAY = 24 * 60

#: Setting name -> the smallest value allowed.
WHOLE_NUMBERS = {
    "BUFFER_MINUTES": 0,
    "MIN_NOTICE_HOURS": 0,
    "CANCEL_DEADLINE_HOURS": 0,
    "RESCHEDULE_DEADLINE_HOURS": 0,
    "HORIZON_DAYS": 1,
    "REMINDER_HOURS": 1,
}


def _error(msg, id, hint=None):
    return checks.Error(msg, hint=hint, id=f"istok_booking.{id}")


def _whole(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@checks.register()
def check_numbers(app_configs, **kwargs):
    errors = []
    slot = settings.ISTOK_BOOKING_SLOT_MINUTES
    if not _whole(slot, 1) or MINUTES_IN_A_DAY % slot:
        errors.append(
            _error(
                f"ISTOK_BOOKING_SLOT_MINUTES is {slot!r}: use a whole number of minutes that "
                "divides a day.",
                "E001",
                hint="For example 15, 20, 30 or 60.",
            )
        )
    for name, minimum in WHOLE_NUMBERS.items():
        value = getattr(settings, f"ISTOK_BOOKING_{name}")
        if not _whole(value, minimum):
            errors.append(
                _error(
                    f"ISTOK_BOOKING_{name} is {value!r}: use a whole number ≥ {minimum}.", "E002"
                )
            )
    if errors:
        return errors
    if settings.ISTOK_BOOKING_REMINDER_HOURS < settings.ISTOK_BOOKING_CANCEL_DEADLINE_HOURS:
        errors.append(
            checks.Warning(
                "ISTOK_BOOKING_REMINDER_HOURS is less than "
                "ISTOK_BOOKING_CANCEL_DEADLINE_HOURS: when the reminder arrives the customer "
                "can no longer cancel.",
                hint="Send the reminder earlier, or let customers cancel later.",
                id="istok_booking.W001",
            )
        )
    return errors


@checks.register()
def check_adapter(app_configs, **kwargs):
    try:
        import_string(settings.ISTOK_BOOKING_ADAPTER)
    except ImportError:
        return [
            _error(
                f"ISTOK_BOOKING_ADAPTER: cannot import {settings.ISTOK_BOOKING_ADAPTER!r}.",
                "E003",
            )
        ]
    return []


@checks.register()
def check_time_zone(app_configs, **kwargs):
    if not settings.USE_TZ:
        return [
            _error(
                "istok_booking needs USE_TZ = True: appointments are stored in UTC and shown "
                "in TIME_ZONE.",
                "E004",
            )
        ]
    return []
