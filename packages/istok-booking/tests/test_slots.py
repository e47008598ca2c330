"""Free slots: working hours, days off, changed days, the grid, buffer, notice, horizon,
time zones across summer time, and a fixed number of queries."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from istok_booking import services
from istok_booking.models import DayOff, VisitKind, WorkingHours
from istok_booking.testing.factories import book_visit, make_customer, make_designer

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
# A Monday, well inside the default horizon of "now" below.
MONDAY = date(2027, 3, 1)
NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)  # the Friday before


def local_times(slots, zone=MOSCOW):
    return [s.starts_at.astimezone(zone).strftime("%H:%M") for s in slots]


def slots_of(kind, day, **kwargs):
    kwargs.setdefault("now", NOW)
    return services.available_slots(kind, day, day, **kwargs)


def test_slots_follow_the_weeks_working_hours_and_the_kinds_duration():
    slots = slots_of("showroom", MONDAY)  # 10:00–19:00, 60 minutes, every 30
    assert local_times(slots)[0] == "10:00"
    assert local_times(slots)[-1] == "18:00"
    assert len(slots) == 17
    assert all(s.ends_at - s.starts_at == timedelta(minutes=60) for s in slots)
    assert all(s.remaining == 2 for s in slots)  # the showroom takes two at a time
    saturday = slots_of("showroom", MONDAY + timedelta(days=5))
    assert local_times(saturday)[0] == "11:00" and local_times(saturday)[-1] == "16:00"


def test_no_slots_on_a_day_without_working_hours():
    assert slots_of("showroom", MONDAY + timedelta(days=6)) == []  # Sunday


def test_a_day_off_has_no_slots_and_a_shortened_day_has_its_own_hours():
    DayOff.objects.create(date=MONDAY, reason="Holiday")
    DayOff.objects.create(date=MONDAY + timedelta(days=1), opens=time(10), closes=time(14))
    assert slots_of("showroom", MONDAY) == []
    tuesday = local_times(slots_of("showroom", MONDAY + timedelta(days=1)))
    assert tuesday[0] == "10:00" and tuesday[-1] == "13:00"


def test_a_lunch_break_splits_the_day():
    WorkingHours.objects.filter(weekday=0).delete()
    WorkingHours.objects.create(weekday=0, opens=time(10), closes=time(13))
    WorkingHours.objects.create(weekday=0, opens=time(14), closes=time(16))
    assert local_times(slots_of("video", MONDAY)) == [
        "10:00", "10:30", "11:00", "11:30", "12:00", "12:30",
        "14:00", "14:30", "15:00", "15:30",
    ]  # fmt: skip


def test_the_slot_length_sets_the_grid(settings):
    settings.ISTOK_BOOKING_SLOT_MINUTES = 60
    assert local_times(slots_of("video", MONDAY))[:3] == ["10:00", "11:00", "12:00"]


def test_the_buffer_keeps_time_free_after_each_visit(settings):
    settings.ISTOK_BOOKING_BUFFER_MINUTES = 30
    kind = VisitKind.objects.get(code="measurement")  # 90 minutes, one at a time
    start = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)
    book_visit(kind="measurement", starts_at=start, now=NOW)
    slots = {s.starts_at.astimezone(MOSCOW).strftime("%H:%M"): s for s in slots_of(kind, MONDAY)}
    # 10:00–11:30 and the buffer to 12:00: a visit at 12:00 fits, 11:30 does not.
    assert "10:00" not in slots and "11:30" not in slots and "12:00" in slots


def test_remaining_counts_the_seats_left_and_full_slots_are_left_out():
    start = datetime(2027, 3, 1, 12, 0, tzinfo=MOSCOW)
    book_visit(starts_at=start, now=NOW)
    by_time = {local_times([s])[0]: s.remaining for s in slots_of("showroom", MONDAY)}
    # The 60-minute visit holds 12:00 and 12:30: the slots that overlap them lose a seat.
    assert by_time["11:00"] == 2
    assert by_time["11:30"] == by_time["12:00"] == by_time["12:30"] == 1
    assert by_time["13:00"] == 2
    book_visit(starts_at=start, now=NOW)
    times = local_times(slots_of("showroom", MONDAY))
    assert "12:00" not in times and "11:30" not in times and "12:30" not in times
    full = {local_times([s])[0]: s for s in slots_of("showroom", MONDAY, include_full=True)}
    assert full["12:00"].remaining == 0 and full["12:00"].is_full


def test_minimum_notice_and_horizon(settings):
    settings.ISTOK_BOOKING_MIN_NOTICE_HOURS = 24
    settings.ISTOK_BOOKING_HORIZON_DAYS = 3
    now = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # Monday 12:00 in Moscow
    slots = services.available_slots("video", MONDAY, MONDAY + timedelta(days=10), now=now)
    assert slots[0].starts_at == datetime(2027, 3, 2, 12, 0, tzinfo=MOSCOW)
    assert slots[-1].starts_at.astimezone(MOSCOW).date() == MONDAY + timedelta(days=3)


def test_a_range_of_datetimes_is_half_open():
    start = datetime(2027, 3, 1, 11, 0, tzinfo=MOSCOW)
    slots = services.available_slots("video", start, start + timedelta(hours=1), now=NOW)
    assert local_times(slots) == ["11:00", "11:30"]


def test_a_range_that_ends_before_it_starts_is_empty():
    assert services.available_slots("video", MONDAY, MONDAY - timedelta(days=1), now=NOW) == []


def test_a_range_beyond_the_calendar_is_clipped_to_what_may_be_booked():
    slots = services.available_slots("video", date.min, date.max, now=NOW)
    assert slots[0].starts_at.astimezone(MOSCOW).date() == date(2027, 2, 26)
    assert slots[-1].starts_at.astimezone(MOSCOW).date() <= date(2027, 4, 27)


def test_a_wrong_date_is_a_field_error():
    with pytest.raises(ValidationError) as exc:
        services.available_slots("video", "someday", "2027-03-01", now=NOW)
    assert exc.value.message_dict == {"start": ["Enter a valid date."]}


def test_an_unknown_kind_is_a_field_error():
    with pytest.raises(ValidationError) as exc:
        services.available_slots("spaceship", MONDAY, MONDAY, now=NOW)
    assert exc.value.message_dict == {"kind": ["Choose one of the kinds of visit offered."]}


def test_with_designers_each_free_designer_is_a_seat():
    first = make_designer("showroom")
    second = make_designer("showroom")
    DayOff.objects.create(date=MONDAY, designer=second, opens=time(15), closes=time(19))
    slots = {local_times([s])[0]: s for s in slots_of("showroom", MONDAY)}
    assert slots["10:00"].remaining == 1 and slots["10:00"].designers == (first.pk,)
    assert slots["15:00"].remaining == 2
    only_second = slots_of("showroom", MONDAY, designer=second)
    assert local_times(only_second)[0] == "15:00"


def test_a_kind_with_designers_but_none_has_no_slots():
    VisitKind.objects.filter(code="showroom").update(uses_designers=True)
    assert slots_of("showroom", MONDAY) == []


def test_a_designer_busy_in_one_kind_is_busy_in_the_others():
    designer = make_designer("showroom", "measurement")
    start = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)
    book_visit(kind="measurement", starts_at=start, now=NOW)  # 10:00–11:30
    times = local_times(slots_of("showroom", MONDAY))
    assert "10:00" not in times and "11:00" not in times and "11:30" in times
    assert designer.appointments.count() == 1


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Berlin: the clocks go forward on 28 March 2027 (UTC+1 -> UTC+2).
        ("Europe/Berlin", date(2027, 3, 26), date(2027, 3, 29)),
        # ... and back on 31 October 2027.
        ("Europe/Berlin", date(2027, 10, 29), date(2027, 11, 1)),
        # Moscow keeps UTC+3 all year.
        ("Europe/Moscow", date(2027, 3, 26), date(2027, 3, 29)),
    ],
)
def test_slots_stay_on_the_local_clock_across_summer_time(settings, zone, before, after):
    settings.TIME_ZONE = zone
    settings.ISTOK_BOOKING_HORIZON_DAYS = 365
    now = datetime(2027, 3, 1, tzinfo=UTC)
    tz = ZoneInfo(zone)
    first_before = services.available_slots("video", before, before, now=now)[0]
    first_after = services.available_slots("video", after, after, now=now)[0]
    assert first_before.starts_at.astimezone(tz).time() == time(10)
    assert first_after.starts_at.astimezone(tz).time() == time(10)
    offsets = {slot.starts_at.astimezone(tz).utcoffset() for slot in (first_before, first_after)}
    assert len(offsets) == (1 if zone == "Europe/Moscow" else 2)


def test_a_night_of_the_clock_change_never_offers_a_time_that_does_not_exist(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    settings.ISTOK_BOOKING_HORIZON_DAYS = 365
    WorkingHours.objects.create(weekday=6, opens=time(1), closes=time(4))  # Sundays
    now = datetime(2027, 3, 1, tzinfo=UTC)
    spring = date(2027, 3, 28)  # 02:00 jumps to 03:00
    slots = services.available_slots("video", spring, spring, now=now)
    assert local_times(slots, BERLIN) == ["01:00", "01:30", "03:00", "03:30"]
    starts = [s.starts_at for s in slots]
    assert starts == sorted(set(starts))
    # Booked across the jump, a 30-minute visit at 01:30 ends at 03:00 local time.
    assert slots[1].ends_at.astimezone(BERLIN).time() == time(3)
    autumn = date(2027, 10, 31)  # 03:00 goes back to 02:00: 02:xx happens twice
    slots = services.available_slots("video", autumn, autumn, now=now)
    assert local_times(slots, BERLIN) == ["01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
    starts = [s.starts_at for s in slots]
    assert starts == sorted(set(starts))


def test_the_repeated_hour_of_the_autumn_night_is_offered_once(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    settings.ISTOK_BOOKING_HORIZON_DAYS = 365
    WorkingHours.objects.create(weekday=6, opens=time(1), closes=time(4))
    now = datetime(2027, 10, 1, tzinfo=UTC)
    first = datetime(2027, 10, 31, 2, 30, tzinfo=BERLIN)  # 00:30 UTC, summer time
    second = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=BERLIN)  # 01:30 UTC, winter time
    assert first.astimezone(UTC).hour == 0 and second.astimezone(UTC).hour == 1
    appointment = book_visit(kind="video", starts_at=first, now=now)
    assert appointment.starts_at == first.astimezone(UTC)
    with pytest.raises(ValidationError) as exc:
        book_visit(kind="video", starts_at=second, now=now)
    assert [e.code for e in exc.value.error_dict["starts_at"]] == ["outside_hours"]


def test_a_booking_at_a_slot_keeps_its_local_time_across_the_change(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    settings.ISTOK_BOOKING_HORIZON_DAYS = 365
    now = datetime(2027, 3, 20, tzinfo=UTC)
    start = datetime(2027, 3, 29, 10, 0, tzinfo=BERLIN)
    appointment = book_visit(kind="video", starts_at=start, now=now)
    appointment.refresh_from_db()
    assert appointment.starts_at == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    seats = list(appointment.seats.values_list("starts_at", flat=True))
    assert seats == [datetime(2027, 3, 29, 8, 0, tzinfo=UTC)]


def _count_queries(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


@pytest.mark.parametrize("kind", ["showroom", "measurement"])
def test_thirty_days_of_slots_take_a_fixed_number_of_queries(kind, django_assert_max_num_queries):
    """However long the range and however many visits are booked: four queries (the
    working hours, the days off, the designers or none, the seats held)."""
    if kind == "measurement":
        make_designer("measurement")
        make_designer("measurement")
    kind = VisitKind.objects.get(code=kind)

    def month():
        return services.available_slots(kind, MONDAY, MONDAY + timedelta(days=29), now=NOW)

    empty_day = _count_queries(lambda: slots_of(kind, MONDAY))
    empty_month = _count_queries(month)
    free = month()
    customer = make_customer()
    for slot in free[::3][:40]:
        book_visit(customer, kind=kind, starts_at=slot.starts_at, now=NOW)
    with django_assert_max_num_queries(4):
        busy = month()
    assert empty_day == empty_month == _count_queries(month) <= 4
    assert sum(s.remaining for s in busy) < sum(s.remaining for s in free)
