"""Free slots, the checks of a chosen time, and holding the seats of a visit.

How capacity is enforced
------------------------
Each active visit holds one :class:`~istok_booking.models.Seat` row in every slot its
duration and buffer cover: a designer's (``designer:<pk>``, one seat per slot, shared by
every kind of visit the designer takes) or its kind's (``kind:<pk>``, seats 1 to the kind's
capacity). A unique constraint on (resource, slot, seat number) lets only one transaction
hold a seat: a second insert of the same row fails in the database, however the two
requests interleave, so a slot is never over its capacity and a designer never has two
visits at once.

We chose seat rows over a PostgreSQL exclusion constraint on the designers' time ranges
(``btree_gist``): the seat rows work the same on SQLite (the suite's default database,
and the demo's) and PostgreSQL, they enforce a plain capacity greater than one (an
exclusion constraint only says "no two overlap"), and the count of held seats per slot is
the same index the free slots are read from. What they cost: visits start on the slot
grid (``ISTOK_BOOKING_SLOT_MINUTES``, which the services enforce anyway) and hold whole
slots, so the grid must not change under existing bookings.
"""

from datetime import UTC, date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Designer, Seat
from ..schedule import (
    Schedule,
    bookable_window,
    cells_of,
    minutes_of,
    resource_of_designer,
    resource_of_kind,
    zone,
)
from ._common import SlotTaken, error, resolve_kind

#: The days after the chosen one whose free slots a :class:`SlotTaken` offers.
FRESH_DAYS = 6


def _local_day(value, field):
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, zone())
        return timezone.localtime(value, zone()).date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise error(field, _("Enter a valid date."), "invalid") from None


def available_slots(kind, start, end, *, designer=None, include_full=False, now=None):
    """The slots of ``kind`` (a ``VisitKind``, its code or primary key) from ``start`` to
    ``end`` that a customer may book now, each a :class:`~istok_booking.schedule.Slot`
    with its start, end and the number of visits it still takes (``remaining``).

    ``start`` and ``end`` are dates (both included, on the site's calendar) or aware
    datetimes (slots starting from ``start`` and before ``end``). Slots before the minimum
    notice or beyond the horizon are left out, and so are full ones unless
    ``include_full``. ``designer`` (a ``Designer`` or its key): only that person's free
    time. A constant number of queries (at most five) for any range.
    """
    kind = resolve_kind(kind)
    start, end = (
        timezone.make_aware(value, zone())
        if isinstance(value, datetime) and timezone.is_naive(value)
        else value
        for value in (start, end)
    )
    earliest, horizon = bookable_window(now)
    first_day = max(_local_day(start, "start"), timezone.localdate(earliest, zone()))
    last_day = min(_local_day(end, "end"), horizon)
    if last_day < first_day:
        return []
    schedule = Schedule(kind, first_day, last_day, designer=designer)
    lower = max(earliest, start) if isinstance(start, datetime) else earliest
    upper = end if isinstance(end, datetime) else None
    result = []
    for day in schedule.days():
        for slot in schedule.slots(day):
            if slot.starts_at < lower or (upper is not None and slot.starts_at >= upper):
                continue
            if slot.remaining > 0 or include_full:
                result.append(slot)
    return result


def fresh_slots(kind, starts_at, designer=None, now=None):
    """The free slots of the chosen day and the next :data:`FRESH_DAYS` days."""
    day = timezone.localtime(starts_at, zone()).date()
    return available_slots(kind, day, day + timedelta(days=FRESH_DAYS), designer=designer, now=now)


def check_time(kind, starts_at, *, designer=None, exclude=None, now=None):
    """The :class:`~istok_booking.schedule.Slot` at ``starts_at`` when a visit of ``kind``
    may be booked then, else a field error on ``starts_at``: in the past, too soon,
    beyond the horizon, on a day off, off the slot grid, outside working hours; a full
    slot is :class:`SlotTaken`. ``exclude``: an appointment being moved (its own seats do
    not count)."""
    now = now or timezone.now()
    # In UTC: a wall-clock time of the repeated autumn hour never equals a time of
    # another zone (PEP 495), so compare moments, not local times.
    starts_at = starts_at.astimezone(UTC)
    earliest, horizon = bookable_window(now)
    if starts_at <= now:
        raise error("starts_at", _("This time has already passed."), "past")
    if starts_at < earliest:
        count = int((earliest - now).total_seconds() // 3600)
        raise error(
            "starts_at",
            ngettext(
                "Book at least %(count)s hour ahead.",
                "Book at least %(count)s hours ahead.",
                count,
            )
            % {"count": count},
            "too_soon",
        )
    local = timezone.localtime(starts_at, zone())
    day = local.date()
    if day > horizon:
        days = (horizon - timezone.localdate(now, zone())).days
        raise error(
            "starts_at",
            ngettext(
                "You can book at most %(count)s day ahead.",
                "You can book at most %(count)s days ahead.",
                days,
            )
            % {"count": days},
            "beyond_horizon",
        )
    schedule = Schedule(kind, day, day, designer=designer, exclude=exclude)
    if not schedule.is_open(day):
        if designer is not None and schedule.periods(day):
            raise error(
                "starts_at",
                _("%(designer)s does not take visits on this day.") % {"designer": designer},
                "day_off",
            )
        raise error("starts_at", _("We do not take visits on this day."), "day_off")
    minute = minutes_of(local)
    if local.second or local.microsecond or minute % schedule.minutes:
        raise error(
            "starts_at",
            _("Choose a time on the hour or every %(minutes)s minutes after it.")
            % {"minutes": schedule.minutes},
            "off_boundary",
        )
    slot = schedule.slot_at(day, minute)
    # The second time a wall-clock hour comes round (the night the clocks go back) is not
    # a slot: only its first is.
    if slot is None or slot.starts_at != starts_at:
        raise error(
            "starts_at",
            _("This time is outside the working hours. Choose one of the times offered."),
            "outside_hours",
        )
    if slot.is_full:
        raise SlotTaken(fresh_slots(kind, starts_at, designer, now))
    return slot


def _try_insert(seats):
    """Insert ``seats`` in a savepoint; ``False`` when one of them is held already (the
    unique constraint refused it) and nothing was inserted."""
    try:
        with transaction.atomic():
            Seat.objects.bulk_create(seats)
    except IntegrityError:
        return False
    return True


def hold_seats(appointment, slot, *, designer=None, preferred=None, now=None):
    """Hold the seats of ``appointment`` (saved, at ``slot``) in the database, or raise
    :class:`SlotTaken` when another visit holds them first. For a kind with designers,
    tries ``designer`` only when given, else ``preferred`` first and then each designer
    free at ``slot``; sets ``appointment.designer``. Returns the designer's key or
    ``None``."""
    kind = appointment.kind
    cells = cells_of(kind, appointment.starts_at)
    if kind.uses_designers:
        if designer is not None:
            candidates = [designer.pk]
        else:
            candidates = sorted(slot.designers, key=lambda pk: pk != preferred)
        for pk in candidates:
            resource = resource_of_designer(pk)
            seats = [
                Seat(appointment=appointment, resource=resource, starts_at=cell, number=1)
                for cell in cells
            ]
            if _try_insert(seats):
                appointment.designer = Designer.objects.select_related("user").get(pk=pk)
                return pk
        raise SlotTaken(fresh_slots(kind, appointment.starts_at, designer, now))
    resource = resource_of_kind(kind)
    for _attempt in range(kind.capacity + 1):
        held = set(
            Seat.objects.filter(resource=resource, starts_at__in=cells).values_list(
                "starts_at", "number"
            )
        )
        seats = []
        for cell in cells:
            number = next((n for n in range(1, kind.capacity + 1) if (cell, n) not in held), None)
            if number is None:
                raise SlotTaken(fresh_slots(kind, appointment.starts_at, now=now))
            seats.append(
                Seat(appointment=appointment, resource=resource, starts_at=cell, number=number)
            )
        if _try_insert(seats):
            return None
    raise SlotTaken(fresh_slots(kind, appointment.starts_at, now=now))


def release_seats(appointment):
    """Give back the seats of ``appointment`` (cancelled, or about to move)."""
    Seat.objects.filter(appointment=appointment).delete()
