"""Races that only a real database with concurrent transactions shows (PostgreSQL): the
last seat, a designer's time, reminders sent by two copies, confirm against cancel."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from istok_booking import services
from istok_booking.models import Appointment, AppointmentEvent, Seat, VisitKind
from istok_booking.testing.factories import book_visit, make_customer, make_designer, make_staff
from istok_core.testing import run_at_once

# serialized_rollback: the flush after each test would drop the seeded kinds and hours.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)


def booking(customer, **fields):
    values = {"starts_at": MONDAY_10, "now": NOW, **fields}
    return lambda: book_visit(customer, **values)


def split(results):
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if not isinstance(r, Appointment)]
    return booked, refused


def assert_taken(refused):
    for error in refused:
        assert isinstance(error, services.SlotTaken), error
        assert error.message_dict == {
            "starts_at": ["This time was just taken. Please choose another one."]
        }
        assert error.fresh_slots and all(s.remaining > 0 for s in error.fresh_slots)
        assert MONDAY_10 not in [s.starts_at for s in error.fresh_slots]


def test_twenty_customers_book_the_last_seat_exactly_one_gets_it(postgres_only):
    book_visit(make_customer(), starts_at=MONDAY_10, now=NOW)  # one of two seats left
    customers = [make_customer() for _ in range(20)]
    results = run_at_once(*[booking(c) for c in customers])
    booked, refused = split(results)
    assert len(booked) == 1, results
    assert len(refused) == 19
    assert_taken(refused)
    assert Appointment.objects.count() == 2
    kind = VisitKind.objects.get(code="showroom")
    cells = Seat.objects.filter(resource=f"kind:{kind.pk}", starts_at=MONDAY_10)
    assert sorted(cells.values_list("number", flat=True)) == [1, 2]


def test_twenty_customers_book_the_last_designer_exactly_one_gets_them(postgres_only):
    make_designer("showroom")
    customers = [make_customer() for _ in range(20)]
    results = run_at_once(*[booking(c) for c in customers])
    booked, refused = split(results)
    assert len(booked) == 1, results
    assert_taken(refused)
    assert Appointment.objects.count() == 1


def test_a_designer_is_never_booked_twice_at_once_across_kinds(postgres_only):
    designer = make_designer("showroom", "measurement")
    for attempt in range(4):
        start = MONDAY_10 + timedelta(days=attempt)
        results = run_at_once(
            booking(make_customer(), kind="showroom", starts_at=start + timedelta(minutes=30)),
            booking(make_customer(), kind="measurement", starts_at=start),
            booking(make_customer(), kind="showroom", starts_at=start + timedelta(minutes=60)),
        )
        booked, refused = split(results)
        # All three hold the designer's slot at start + 60 minutes: one of them gets it.
        assert len(booked) == 1, results
        assert all(isinstance(error, services.SlotTaken) for error in refused), refused
    visits = list(designer.appointments.order_by("starts_at"))
    for earlier, later in zip(visits, visits[1:], strict=False):
        assert earlier.ends_at <= later.starts_at, (earlier, later)


def test_two_copies_of_the_reminder_command_send_each_reminder_once(postgres_only):
    customer = make_customer()
    due = [
        book_visit(
            customer, kind="video", starts_at=MONDAY_10 + timedelta(minutes=30 * i), now=NOW
        )
        for i in range(6)
    ]
    assert all(a.status == Appointment.Status.CONFIRMED for a in due)
    mail.outbox = []
    when = MONDAY_10 - timedelta(hours=2)
    results = run_at_once(*[lambda: services.send_due_reminders(now=when)] * 3)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 6
    assert len(mail.outbox) == 6
    assert sorted(m.subject for m in mail.outbox) == sorted({m.subject for m in mail.outbox})
    reminded = AppointmentEvent.objects.filter(kind=AppointmentEvent.Kind.REMINDED)
    assert sorted(reminded.values_list("appointment_id", flat=True)) == sorted(a.pk for a in due)


def test_confirm_and_cancel_at_once_leave_a_consistent_history(postgres_only):
    staff = make_staff()
    for attempt in range(4):
        customer = make_customer()
        appointment = book_visit(customer, starts_at=MONDAY_10 + timedelta(days=attempt), now=NOW)
        results = run_at_once(
            lambda a=appointment: services.confirm(Appointment.objects.get(pk=a.pk), actor=staff),
            lambda a=appointment, c=customer: services.cancel(
                Appointment.objects.get(pk=a.pk), actor=c, now=NOW
            ),
        )
        confirmed, cancelled = results
        assert not isinstance(cancelled, Exception), cancelled
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
        assert not appointment.seats.exists()
        kinds = list(appointment.events.order_by("pk").values_list("kind", flat=True))
        if isinstance(confirmed, Exception):
            # The cancellation came first: a cancelled visit cannot be confirmed.
            assert isinstance(confirmed, ValidationError)
            assert kinds == ["requested", "cancelled"]
        else:
            assert kinds == ["requested", "confirmed", "cancelled"]


def test_two_moves_into_the_last_seat_one_wins(postgres_only):
    book_visit(make_customer(), starts_at=MONDAY_10 + timedelta(hours=4), now=NOW)
    movers = [
        book_visit(customer, starts_at=MONDAY_10 + timedelta(hours=i), now=NOW)
        for i, customer in enumerate([make_customer(), make_customer()])
    ]
    target = MONDAY_10 + timedelta(hours=4)
    results = run_at_once(
        *[
            lambda a=a: services.reschedule(
                Appointment.objects.get(pk=a.pk), starts_at=target, actor=a.customer, now=NOW
            )
            for a in movers
        ]
    )
    booked, refused = split(results)
    assert len(booked) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], services.SlotTaken)
    assert Appointment.objects.filter(starts_at=target).count() == 2
    loser = Appointment.objects.get(pk=next(a.pk for a in movers if a.pk != booked[0].pk))
    assert loser.starts_at != target and loser.seats.count() == 2


def test_many_customers_booking_moving_and_cancelling_at_once_keep_the_seats_right(
    postgres_only,
):
    """A bounded stress test: 6 threads of 12 random operations each on a few slots of a
    kind with two seats and a kind with two designers; then every visit holds exactly
    the seats of its time and no slot is over its capacity."""
    import random

    from istok_booking import selectors

    make_designer("measurement")
    make_designer("measurement")
    starts = [MONDAY_10 + timedelta(minutes=30 * i) for i in range(6)]
    customers = [make_customer() for _ in range(6)]
    staff = make_staff()

    def plan(seed, customer):
        rng = random.Random(seed)
        calls = []
        for _ in range(12):
            action = rng.choice(["book", "book", "move", "cancel"])
            kind = rng.choice(["showroom", "measurement"])
            when = rng.choice(starts)

            def call(action=action, kind=kind, when=when, rng=rng, customer=customer):
                mine = list(
                    Appointment.objects.filter(customer=customer, status__in=Appointment.ACTIVE)
                )
                if action == "book" or not mine:
                    return book_visit(customer, kind=kind, starts_at=when, now=NOW)
                target = rng.choice(mine)
                if action == "move":
                    return services.reschedule(target, starts_at=when, actor=customer, now=NOW)
                return services.cancel(target, actor=staff, now=NOW)

            calls.append(call)
        return calls

    from istok_core.testing import run_plans

    outcomes = run_plans([plan(seed, c) for seed, c in enumerate(customers)])
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert len(outcomes) == 72
    assert [o for o in outcomes if isinstance(o, Appointment)], outcomes
    assert selectors.seat_mismatches() == []
    for kind_code, limit in (("showroom", 2), ("measurement", 1)):
        kind = VisitKind.objects.get(code=kind_code)
        resources = (
            [f"kind:{kind.pk}"]
            if not kind.uses_designers
            else [f"designer:{pk}" for pk in kind.designers.values_list("pk", flat=True)]
        )
        for resource in resources:
            cells = Seat.objects.filter(resource=resource).values_list("starts_at", flat=True)
            counts = {}
            for cell in cells:
                counts[cell] = counts.get(cell, 0) + 1
            assert max(counts.values(), default=0) <= (limit if "kind:" in resource else 1)
