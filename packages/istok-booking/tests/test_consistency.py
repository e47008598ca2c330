"""selectors.seat_mismatches: what does not add up between visits and their seats."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from istok_booking import selectors, services
from istok_booking.models import Seat
from istok_booking.testing.factories import book_visit

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_visits_booked_moved_and_cancelled_through_the_services_add_up(customer, staff):
    one = book_visit(customer, starts_at=MONDAY_10, now=NOW)
    two = book_visit(customer, kind="measurement", starts_at=MONDAY_10, now=NOW)
    services.reschedule(one, starts_at=MONDAY_10.replace(hour=15), actor=staff, now=NOW)
    services.cancel(two, actor=staff, now=NOW)
    assert selectors.seat_mismatches() == []


def test_a_missing_a_stray_and_an_impossible_seat_are_reported(customer, staff):
    one = book_visit(customer, starts_at=MONDAY_10, now=NOW)
    two = book_visit(customer, starts_at=MONDAY_10.replace(hour=12), now=NOW)
    services.cancel(two, actor=staff, now=NOW)
    one.seats.order_by("starts_at").last().delete()
    Seat.objects.create(
        appointment=two, resource=f"kind:{two.kind_id}", starts_at=MONDAY_10, number=9
    )
    assert selectors.seat_mismatches() == [
        f"Appointment {one.pk} does not hold the seats of its time.",
        f"Cancelled appointment {two.pk} holds 1 seats.",
    ]
    two.status = "requested"
    two.save()
    assert f"Appointment {two.pk} holds seat 9 of 2." in selectors.seat_mismatches()
