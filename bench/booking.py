"""Benchmark of the booking slots: 30 days of free times of a kind of visit taken by 5
designers, with 5,000 appointments already booked.

Creates a PostgreSQL database (``istok_booking_bench`` by default; ``BENCH_DATABASE_URL``
names another), migrates it (the seeded kinds and working hours: Monday to Friday
10:00–19:00, Saturday 11:00–17:00), lets 5 designers take the showroom consultation (60
minutes, on a 30-minute grid), closes the showroom on one day of the range and shortens
another, and books 5,000 visits over the 60 days before and the 180 days from the
start (each designer's visits never overlapping; about half of their time is booked),
written in bulk, their seats with them.

It measures, interleaved:

* django: ``istok_booking.services.available_slots(kind, first day, last day)`` for 30
  days (a list of slots, each with the number of designers still free);
* baseline: one raw SQL query that computes the same answer in PostgreSQL (the days, the
  week's hours or the changed ones, every start on the grid, and for each the designers
  with no seat held in the slots the visit covers), with the rows turned into the same
  tuples. The two answers are compared before timing.

It also counts the queries of ``available_slots`` for 1 and for 30 days, with no
appointments and with the 5,000, to show that the number does not grow with the range
or the bookings.

Writes ``bench/results/booking.json`` in the form of ``catalog.json``: ``median_ms``,
``baseline_median_ms``, ``ratio``, the queries of each. Without a PostgreSQL server it
prints that it is skipped and exits 0.

    .venv/bin/python bench/booking.py [--appointments 5000] [--runs 30] [--reuse]
"""

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from _common import compare, count_queries, create_database, server

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "booking.json"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/istok_booking_bench"
)
TARGET_RATIO = 2.0
DESIGNERS = 5
DAYS = 30
ZONE = "Europe/Moscow"
# A fixed "now" (a Monday, 09:00 in Moscow), so every run measures the same slots.
NOW = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
FIRST_DAY = date(2027, 3, 2)
LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)

urlpatterns = []


def configure():
    import dj_database_url
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        USE_TZ=True,
        TIME_ZONE=ZONE,
        LANGUAGE_CODE="en",
        DATABASES={"default": {**dj_database_url.parse(DATABASE_URL), "CONN_MAX_AGE": None}},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "istok_core",
            "istok_booking",
        ],
        ROOT_URLCONF=__name__,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        ISTOK_BOOKING_HORIZON_DAYS=120,
        ISTOK_BOOKING_NOTIFY_MANAGERS=False,
    )


def fill(count):
    """5 designers for the showroom, a day off and a short day, and ``count`` visits."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from istok_booking.models import Appointment, DayOff, Designer, Purpose, Seat, VisitKind
    from istok_booking.schedule import Schedule, cells_of, resource_of_designer

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic()
    User = get_user_model()
    kind = VisitKind.objects.get(code="showroom")
    kind.uses_designers = True
    kind.save()
    designers = []
    for number in range(DESIGNERS):
        user = User.objects.create_user(f"designer{number}", is_staff=True)
        designer = Designer.objects.create(user=user, position=number)
        designer.kinds.add(kind)
        designers.append(designer.pk)
    DayOff.objects.create(date=FIRST_DAY + timedelta(days=7), reason="Holiday")
    DayOff.objects.create(
        date=FIRST_DAY + timedelta(days=10), opens=clock(10), closes=clock(14), reason="Short"
    )
    customer = User.objects.create_user("bench-customer")
    purpose = Purpose.objects.get(code="kitchen")
    empty_queries = query_counts(kind)  # the same schedule before any booking

    # Every (start, designer) the schedule offers over 150 days, shuffled, taken while
    # the designer's slots are free, until there are ``count`` visits.
    schedule = Schedule(kind, FIRST_DAY - timedelta(days=60), FIRST_DAY + timedelta(days=179))
    candidates = [
        (slot.starts_at, pk)
        for day in schedule.days()
        for slot in schedule.slots(day)
        for pk in designers
    ]
    random.Random(42).shuffle(candidates)
    held, visits = set(), []
    for starts_at, pk in candidates:
        cells = [(pk, cell) for cell in cells_of(kind, starts_at)]
        if any(cell in held for cell in cells):
            continue
        held.update(cells)
        visits.append((starts_at, pk, cells))
        if len(visits) == count:
            break
    with transaction.atomic():
        made = Appointment.objects.bulk_create(
            [
                Appointment(
                    customer=customer,
                    kind=kind,
                    purpose=purpose,
                    contact_value="+79123456789",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=kind.duration),
                    designer_id=pk,
                    status=Appointment.Status.CONFIRMED,
                )
                for starts_at, pk, _cells in visits
            ],
            batch_size=2000,
        )
        Seat.objects.bulk_create(
            [
                Seat(
                    appointment=appointment,
                    resource=resource_of_designer(pk),
                    starts_at=cell,
                    number=1,
                )
                for appointment, (_start, _pk, cells) in zip(made, visits, strict=True)
                for pk, cell in cells
            ],
            batch_size=5000,
        )
    filled = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"migrate_s": migrated - started, "fill_s": filled - migrated}, empty_queries


def query_counts(kind):
    """The queries of ``available_slots`` for 1 day and for the whole range."""
    from istok_booking import services

    return {
        "1_day": count_queries(
            lambda: services.available_slots(kind, FIRST_DAY, FIRST_DAY, now=NOW)
        ),
        f"{DAYS}_days": count_queries(
            lambda: services.available_slots(kind, FIRST_DAY, LAST_DAY, now=NOW)
        ),
    }


# -- baseline: one raw SQL query ------------------------------------------------------------

SLOTS_SQL = """
WITH days AS (
    SELECT d::date AS day FROM generate_series(%(first)s::date, %(last)s::date, '1 day') d
),
periods AS (
    SELECT days.day, w.opens, w.closes
    FROM days JOIN istok_booking_workinghours w
        ON w.weekday = extract(isodow FROM days.day)::int - 1
    WHERE NOT EXISTS (
        SELECT 1 FROM istok_booking_dayoff o WHERE o.date = days.day AND o.designer_id IS NULL
    )
    UNION ALL
    SELECT o.date, o.opens, o.closes FROM istok_booking_dayoff o
    WHERE o.designer_id IS NULL AND o.opens IS NOT NULL
        AND o.date BETWEEN %(first)s AND %(last)s
),
starts AS (
    SELECT ((p.day + p.opens) + make_interval(mins => m)) AT TIME ZONE %(zone)s AS starts_at
    FROM periods p,
        generate_series(0, 24 * 60 - %(slot)s, %(slot)s) m
    WHERE extract(epoch FROM p.closes - p.opens) / 60 >= m + %(duration)s
),
designers AS (
    SELECT d.id FROM istok_booking_designer d
    JOIN istok_booking_designer_kinds k ON k.designer_id = d.id
    WHERE k.visitkind_id = %(kind)s AND d.is_active
)
SELECT s.starts_at, count(*) AS remaining
FROM starts s CROSS JOIN designers d
WHERE s.starts_at >= %(earliest)s AND NOT EXISTS (
    SELECT 1 FROM istok_booking_seat st
    WHERE st.resource = 'designer:' || d.id
        AND st.starts_at >= s.starts_at
        AND st.starts_at < s.starts_at + make_interval(mins => %(span)s)
)
GROUP BY s.starts_at
ORDER BY s.starts_at
"""


def baseline(kind):
    import math

    from django.conf import settings
    from django.db import connection

    slot = settings.ISTOK_BOOKING_SLOT_MINUTES
    cells = math.ceil((kind.duration + settings.ISTOK_BOOKING_BUFFER_MINUTES) / slot)
    with connection.cursor() as cursor:
        cursor.execute(
            SLOTS_SQL,
            {
                "first": FIRST_DAY,
                "last": LAST_DAY,
                "zone": ZONE,
                "slot": slot,
                "duration": kind.duration,
                "kind": kind.pk,
                "earliest": NOW + timedelta(hours=settings.ISTOK_BOOKING_MIN_NOTICE_HOURS),
                "span": cells * slot,
            },
        )
        return [(starts_at, remaining) for starts_at, remaining in cursor.fetchall()]


def ours(kind):
    from istok_booking import services

    slots = services.available_slots(kind, FIRST_DAY, LAST_DAY, now=NOW)
    return [(slot.starts_at, slot.remaining) for slot in slots]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appointments", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it is filled")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    configure()
    try:
        server(DATABASE_URL).close()
    except Exception as exc:  # any failure means: no server to measure on
        print(f"PostgreSQL is not reachable ({exc}); booking benchmark skipped.")
        return 0

    import django

    django.setup()
    from django.db import DatabaseError, connection

    from istok_booking.models import Appointment, VisitKind

    reuse = False
    if args.reuse:
        try:
            reuse = Appointment.objects.count() == args.appointments
        except DatabaseError:  # no database or no tables yet
            reuse = False
        connection.close()
    timings, empty_queries = {}, None
    if not reuse:
        create_database(DATABASE_URL)
        timings, empty_queries = fill(args.appointments)
    kind = VisitKind.objects.get(code="showroom")
    appointments = Appointment.objects.count()
    in_range = Appointment.objects.filter(
        starts_at__date__gte=FIRST_DAY, starts_at__date__lte=LAST_DAY
    ).count()

    answer = ours(kind)
    if not answer or len(answer) == len({s for s, remaining in answer if remaining == DESIGNERS}):
        raise SystemExit("the bench has no free or no busy slots: it would measure nothing")
    if answer != baseline(kind):
        raise SystemExit("the baseline differs from available_slots")
    queries = query_counts(kind)
    result_timings = compare(lambda: ours(kind), lambda: baseline(kind), args.runs)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]

    result = {
        "benchmark": f"booking slots: {DAYS} days of a kind with {DESIGNERS} designers",
        "appointments": appointments,
        "appointments_in_range": in_range,
        "designers": DESIGNERS,
        "days": DAYS,
        "slots": len(answer),
        "seats_left": sum(remaining for _starts_at, remaining in answer),
        "runs": args.runs,
        "median_ms": result_timings["median_ms"],
        "baseline_median_ms": result_timings["baseline_median_ms"],
        "ratio": result_timings["ratio"],
        "target_ratio": TARGET_RATIO,
        "target_met": result_timings["ratio"] <= TARGET_RATIO,
        "django": result_timings["django"],
        "baseline": result_timings["baseline"],
        "queries": queries,
        "queries_without_appointments": empty_queries,
        "setup": {key: round(value, 1) for key, value in timings.items()},
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": server_version,
            "machine": platform.machine(),
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("median_ms", "baseline_median_ms", "ratio")}))
    print(f"queries: {queries}, without appointments: {empty_queries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
