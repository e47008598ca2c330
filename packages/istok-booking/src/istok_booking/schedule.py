"""The free time of one kind of visit over a range of days: working hours, days off and
changed days, the slot grid, and the seats already held, read with a fixed number of
queries however long the range and however many visits are booked.

Everything is computed on the wall clock of the site's time zone (``TIME_ZONE``): a slot
at 10:00 is at 10:00 local time on either side of a change to or from summer time, and
a wall-clock time that does not exist that night (the hour the clocks skip) is never
offered.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.utils import timezone

from .models import DayOff, Designer, Seat, WorkingHours

#: Where the offsets of held slots are counted from.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Slot:
    """A time a visit may start: its start and end (aware datetimes), how many more visits
    it takes (``remaining``) and, for a kind with designers, which of them are free
    (primary keys of ``Designer``)."""

    starts_at: datetime
    ends_at: datetime
    remaining: int
    designers: tuple = field(default=(), compare=False)

    @property
    def is_full(self):
        return self.remaining <= 0


def slot_length():
    return timedelta(minutes=settings.ISTOK_BOOKING_SLOT_MINUTES)


def cells_of(kind, starts_at):
    """The starts of the slots a visit of ``kind`` at ``starts_at`` holds: its duration
    plus the buffer, rounded up to whole slots."""
    minutes = settings.ISTOK_BOOKING_SLOT_MINUTES
    count = math.ceil((kind.duration + settings.ISTOK_BOOKING_BUFFER_MINUTES) / minutes)
    step = timedelta(minutes=minutes)
    starts_at = starts_at.astimezone(UTC)
    return [starts_at + step * index for index in range(max(count, 1))]


def resource_of_kind(kind):
    return f"kind:{kind.pk}"


def resource_of_designer(designer_pk):
    return f"designer:{designer_pk}"


def zone():
    return timezone.get_default_timezone()


def local_moment(day, minutes):
    """The moment (an aware datetime in UTC) at ``minutes`` past midnight of ``day`` on
    the site's clock, or ``None`` when that wall-clock time does not exist (the clocks
    jump over it)."""
    if minutes >= 24 * 60:
        return None
    naive = datetime.combine(day, time(minutes // 60, minutes % 60))
    moment = naive.replace(tzinfo=zone())
    moment = moment.astimezone(UTC)
    if moment.astimezone(zone()).replace(tzinfo=None) != naive:
        return None
    # In UTC: adding a duration to a datetime in a zone with summer time would count on
    # the wall clock, and a visit across the change would end an hour off.
    return moment


def minutes_of(clock):
    return clock.hour * 60 + clock.minute


def _intersect(periods, opens, closes):
    result = []
    for start, end in periods:
        start, end = max(start, opens), min(end, closes)
        if start < end:
            result.append((start, end))
    return result


class Schedule:
    """Hours and held seats of ``kind`` from ``first_day`` to ``last_day`` (local dates,
    both included), optionally for one ``designer`` only, leaving out the seats of
    ``exclude`` (an appointment being moved).

    Four queries at most, whatever the range: the working hours, the days off, the kind's
    designers, the seats held (counted per resource and slot).
    """

    def __init__(self, kind, first_day, last_day, *, designer=None, exclude=None):
        self.kind = kind
        self.first_day, self.last_day = first_day, last_day
        self.minutes = settings.ISTOK_BOOKING_SLOT_MINUTES
        self._plans = {}
        # The offsets of a visit's slots from its start.
        self.steps = [cell - EPOCH for cell in cells_of(kind, EPOCH)]
        self.week = defaultdict(list)
        for opens, closes, weekday in WorkingHours.objects.values_list(
            "opens", "closes", "weekday"
        ):
            self.week[weekday].append((minutes_of(opens), minutes_of(closes)))
        for periods in self.week.values():
            periods.sort()
        self.showroom_days = {}
        self.designer_days = {}
        for day, designer_pk, opens, closes in DayOff.objects.filter(
            date__gte=first_day, date__lte=last_day
        ).values_list("date", "designer_id", "opens", "closes"):
            hours = None if opens is None else (minutes_of(opens), minutes_of(closes))
            if designer_pk is None:
                self.showroom_days[day] = hours
            else:
                self.designer_days[(day, designer_pk)] = hours
        if kind.uses_designers:
            designers = Designer.objects.filter(is_active=True, kinds=kind)
            if designer is not None:
                designers = designers.filter(pk=getattr(designer, "pk", designer))
            self.designers = list(
                designers.order_by("position", "pk").values_list("pk", flat=True)
            )
            resources = [resource_of_designer(pk) for pk in self.designers]
        else:
            self.designers = []
            resources = [resource_of_kind(kind)]
        start = datetime.combine(first_day, time(), zone()).astimezone(UTC)
        end = datetime.combine(last_day + timedelta(days=1), time(), zone()).astimezone(UTC)
        end += timedelta(minutes=kind.duration + settings.ISTOK_BOOKING_BUFFER_MINUTES)
        self.held = {}
        if resources:
            seats = Seat.objects.filter(
                resource__in=resources, starts_at__gte=start, starts_at__lt=end
            )
            if exclude is not None:
                seats = seats.exclude(appointment_id=exclude.pk)
            # Each slot as its distance from EPOCH (a duration): the database sends an
            # interval, read much faster than a time stamp with its zone.
            rows = (
                seats.values("resource", "starts_at")
                .annotate(
                    count=Count("pk"),
                    offset=ExpressionWrapper(
                        F("starts_at") - Value(EPOCH, DateTimeField()),
                        output_field=DurationField(),
                    ),
                )
                .values_list("resource", "offset", "count")
            )
            self.held = {(resource, offset): count for resource, offset, count in rows}

    # Hours --------------------------------------------------------------------------------

    def periods(self, day):
        """The showroom's open periods of ``day``, as (opens, closes) minutes past
        midnight: its changed hours, none on a day off, else the week's hours."""
        if day in self.showroom_days:
            hours = self.showroom_days[day]
            return [] if hours is None else [hours]
        return list(self.week.get(day.weekday(), ()))

    def designer_periods(self, day, designer_pk):
        periods = self.periods(day)
        key = (day, designer_pk)
        if key in self.designer_days:
            hours = self.designer_days[key]
            return [] if hours is None else _intersect(periods, *hours)
        return periods

    def is_open(self, day):
        """Whether anybody takes visits of the kind on ``day``."""
        if not self.kind.uses_designers:
            return bool(self.periods(day))
        return any(self.designer_periods(day, pk) for pk in self.designers)

    # Slots --------------------------------------------------------------------------------

    def _starts(self, periods):
        """Minutes past midnight at which a visit fits into one of ``periods``."""
        duration = self.kind.duration
        for opens, closes in periods:
            minute = math.ceil(opens / self.minutes) * self.minutes
            while minute + duration <= closes:
                yield minute
                minute += self.minutes

    def _plan(self, day):
        """Who takes visits on ``day`` and when they may start, computed once per day:
        a list of ``(designer key or None, resource, seats, start minutes)``."""
        plan = self._plans.get(day)
        if plan is None:
            if self.kind.uses_designers:
                plan = [
                    (
                        pk,
                        resource_of_designer(pk),
                        1,
                        frozenset(self._starts(self.designer_periods(day, pk))),
                    )
                    for pk in self.designers
                ]
            else:
                resource = resource_of_kind(self.kind)
                starts = frozenset(self._starts(self.periods(day)))
                plan = [(None, resource, self.kind.capacity, starts)]
            self._plans[day] = plan
        return plan

    def _free(self, resource, cells, seats):
        """Seats of ``resource`` free in every slot of ``cells`` (offsets from EPOCH)."""
        held = self.held
        return min(seats - held.get((resource, cell), 0) for cell in cells)

    def slot_at(self, day, minute):
        """The :class:`Slot` starting at ``minute`` past midnight of ``day``, or ``None``
        when no visit of the kind can start then (closed, off the grid, past closing)."""
        fitting = [entry for entry in self._plan(day) if minute in entry[3]]
        if not fitting:
            return None
        starts_at = local_moment(day, minute)
        if starts_at is None:
            return None
        ends_at = starts_at + timedelta(minutes=self.kind.duration)
        cells = [starts_at - EPOCH + step for step in self.steps]
        if not self.kind.uses_designers:
            (_pk, resource, seats, _starts) = fitting[0]
            return Slot(starts_at, ends_at, max(self._free(resource, cells, seats), 0))
        free = tuple(
            pk for pk, resource, _seats, _starts in fitting if self._free(resource, cells, 1) > 0
        )
        return Slot(starts_at, ends_at, len(free), free)

    def slots(self, day):
        """Every :class:`Slot` of ``day``, full ones included, in time order."""
        minutes = set().union(*(starts for _pk, _resource, _seats, starts in self._plan(day)))
        result = []
        for minute in sorted(minutes):
            slot = self.slot_at(day, minute)
            if slot is not None:
                result.append(slot)
        return result

    def days(self):
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += timedelta(days=1)


def bookable_window(now=None):
    """``(earliest start, last local date)`` a visit may be booked for now: the minimum
    notice from now, the horizon in days from today."""
    now = now or timezone.now()
    earliest = now + timedelta(hours=settings.ISTOK_BOOKING_MIN_NOTICE_HOURS)
    last_day = timezone.localdate(now, zone()) + timedelta(
        days=settings.ISTOK_BOOKING_HORIZON_DAYS
    )
    return earliest, last_day
