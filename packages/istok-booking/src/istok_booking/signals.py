"""Signals istok_booking sends. Other apps connect to them in their ``receivers.py``.

Each is sent after the transaction of the change has committed, so a receiver sees the
change in the database and a receiver's failure cannot undo it. Every signal has the same
arguments:

- ``sender``: the ``Appointment`` class;
- ``appointment``: the appointment, already changed (its ``status``, ``starts_at``...);
- ``actor``: the user who made the change (the customer, a manager), or ``None`` (a guest,
  a command, a test).

``appointment_booked``
    A visit was booked (``services.book``): status ``requested``, or ``confirmed`` when its
    kind needs no confirmation (``appointment_confirmed`` is then sent as well).

``appointment_confirmed``
    A manager confirmed the request (``services.confirm``), or a visit that needs no
    confirmation was booked.

``appointment_cancelled``
    The visit was cancelled (``services.cancel``); ``appointment.cancelled_by`` and
    ``appointment.cancel_reason`` say by whom and why. Also ``reason``: the reason, as a
    convenience.

``appointment_rescheduled``
    The visit moved to another time (``services.reschedule``). Also ``old_starts_at``: the
    aware datetime it was at before.

``appointment_completed``
    The visit took place (``services.complete``). istok_booking's own receiver moves a
    linked order on from its measurement (with istok_orders installed).

``appointment_no_show``
    The customer did not come (``services.mark_no_show``).
"""

from django.dispatch import Signal

appointment_booked = Signal()
appointment_confirmed = Signal()
appointment_cancelled = Signal()
appointment_rescheduled = Signal()
appointment_completed = Signal()
appointment_no_show = Signal()
