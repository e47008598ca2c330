"""After booking: confirm, cancel, reschedule, complete, no-show; who may, until when, what
is recorded, sent and given back."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from istok_booking import selectors, services, signals
from istok_booking.models import Appointment, Seat
from istok_booking.testing.factories import (
    book_visit,
    make_designer,
    move_into_past,
    next_slot,
)

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)
Status = Appointment.Status


@pytest.fixture
def appointment(customer):
    return book_visit(customer, starts_at=MONDAY_10, now=NOW)


def ics_event(message):
    ((_name, content, _mimetype),) = message.attachments
    return Calendar.from_ical(content).walk("VEVENT")[0], Calendar.from_ical(content)


def history(appointment):
    return [(e.kind, e.status, e.actor) for e in appointment.events.order_by("pk")]


def listen(signal):
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    signal.connect(receiver, weak=False, dispatch_uid="test")
    return received, lambda: signal.disconnect(dispatch_uid="test")


def test_a_manager_confirms_a_request(
    appointment, staff, mailoutbox, django_capture_on_commit_callbacks
):
    received, stop = listen(signals.appointment_confirmed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm(appointment, actor=staff)
    finally:
        stop()
    assert appointment.status == Status.CONFIRMED
    assert Appointment.objects.get().status == Status.CONFIRMED
    assert history(appointment)[-1] == ("confirmed", "confirmed", staff)
    assert received[0]["actor"] == staff
    assert mailoutbox[0].subject == "Your visit is confirmed: Consultation in the showroom"
    event, _calendar = ics_event(mailoutbox[0])
    assert event["STATUS"] == "CONFIRMED"


def test_only_staff_confirm_and_only_a_request(appointment, customer, staff):
    with pytest.raises(PermissionDenied):
        services.confirm(appointment, actor=customer)
    services.confirm(appointment, actor=staff)
    with pytest.raises(ValidationError) as exc:
        services.confirm(appointment, actor=staff)
    assert exc.value.message_dict == {"status": ["The appointment is already “Confirmed”."]}


def test_the_customer_cancels_in_time_and_the_seats_are_given_back(
    appointment, customer, mailoutbox, django_capture_on_commit_callbacks
):
    received, stop = listen(signals.appointment_cancelled)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel(appointment, actor=customer, reason="Changed my mind", now=NOW)
    finally:
        stop()
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.cancelled_by == customer and appointment.cancelled_by_customer
    assert appointment.cancel_reason == "Changed my mind"
    assert not Seat.objects.exists()
    assert history(appointment)[-1] == ("cancelled", "cancelled", customer)
    assert received[0]["reason"] == "Changed my mind"
    assert "Changed my mind" in mailoutbox[0].body
    event, calendar = ics_event(mailoutbox[0])
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    slots = services.available_slots("showroom", MONDAY_10, MONDAY_10 + timedelta(1), now=NOW)
    assert slots[0].starts_at == MONDAY_10 and slots[0].remaining == 2


def test_the_customer_cannot_cancel_too_late_but_staff_can(appointment, customer, staff):
    late = MONDAY_10 - timedelta(hours=23)
    with pytest.raises(ValidationError) as exc:
        services.cancel(appointment, actor=customer, now=late)
    assert exc.value.message_dict == {
        "starts_at": [
            "It is too late to cancel online: less than 24 hours are left before the visit. "
            "Please call us."
        ]
    }
    assert Appointment.objects.get().status == Status.REQUESTED
    assert Seat.objects.count() == 2
    services.cancel(appointment, actor=staff, reason="Designer ill", now=late)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and not appointment.cancelled_by_customer
    assert appointment.cancelled_by == staff


def test_another_customer_cannot_cancel_or_move(appointment, other_customer):
    with pytest.raises(PermissionDenied):
        services.cancel(appointment, actor=other_customer, now=NOW)
    with pytest.raises(PermissionDenied):
        services.reschedule(
            appointment, starts_at=MONDAY_10 + timedelta(hours=2), actor=other_customer, now=NOW
        )
    assert Appointment.objects.get().status == Status.REQUESTED


def test_a_stranger_learns_nothing_about_the_status(appointment, staff, other_customer):
    services.cancel(appointment, actor=staff, now=NOW)
    with pytest.raises(PermissionDenied):
        services.cancel(appointment, actor=other_customer, now=NOW)


def test_a_cancelled_visit_cannot_be_cancelled_moved_or_confirmed(appointment, staff):
    services.cancel(appointment, actor=staff, now=NOW)
    for call in (
        lambda: services.cancel(appointment, actor=staff, now=NOW),
        lambda: services.confirm(appointment, actor=staff),
        lambda: services.reschedule(
            appointment, starts_at=MONDAY_10 + timedelta(hours=2), actor=staff, now=NOW
        ),
        lambda: services.complete(appointment, actor=staff),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert list(exc.value.message_dict) == ["status"]


def test_the_customer_moves_a_visit_and_the_calendar_updates_it(
    appointment, customer, staff, mailoutbox, django_capture_on_commit_callbacks
):
    services.confirm(appointment, actor=staff)
    new = MONDAY_10 + timedelta(minutes=30)  # overlaps the old time: its own seats are free
    received, stop = listen(signals.appointment_rescheduled)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.reschedule(appointment, starts_at=new, actor=customer, now=NOW)
    finally:
        stop()
    appointment.refresh_from_db()
    assert appointment.starts_at == new and appointment.ends_at == new + timedelta(hours=1)
    # Confirmed by a manager for the old time: the new time waits for confirmation again.
    assert appointment.status == Status.REQUESTED
    assert appointment.sequence == 1
    assert sorted(Seat.objects.values_list("starts_at", flat=True)) == [
        new,
        new + timedelta(minutes=30),
    ]
    assert received[0]["old_starts_at"] == MONDAY_10
    event, _calendar = ics_event(mailoutbox[0])
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]).startswith(str(appointment.uid))
    assert event.decoded("DTSTART") == new
    kind, status, actor = history(appointment)[-1]
    assert (kind, status, actor) == ("rescheduled", "requested", customer)
    assert appointment.events.last().data == {
        "old_starts_at": MONDAY_10.astimezone(UTC).isoformat(),
        "new_starts_at": new.astimezone(UTC).isoformat(),
    }


def test_staff_move_a_confirmed_visit_and_it_stays_confirmed(appointment, staff):
    services.confirm(appointment, actor=staff)
    services.reschedule(appointment, starts_at=MONDAY_10 + timedelta(days=1), actor=staff, now=NOW)
    assert appointment.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("starts_at", "code"),
    [
        (MONDAY_10, "same_time"),
        (datetime(2027, 2, 25, 10, tzinfo=MOSCOW), "past"),
        (datetime(2027, 2, 27, 10, tzinfo=MOSCOW), "outside_hours"),  # Saturday opens at 11
        (datetime(2027, 2, 28, 12, tzinfo=MOSCOW), "day_off"),  # Sunday
        (MONDAY_10 + timedelta(minutes=10), "off_boundary"),
        (datetime(2027, 6, 1, 10, tzinfo=MOSCOW), "beyond_horizon"),
    ],
)
def test_moving_to_a_wrong_time_changes_nothing(appointment, customer, starts_at, code):
    with pytest.raises(ValidationError) as exc:
        services.reschedule(appointment, starts_at=starts_at, actor=customer, now=NOW)
    assert [e.code for e in exc.value.error_dict["starts_at"]] == [code]
    appointment.refresh_from_db()
    assert appointment.starts_at == MONDAY_10 and appointment.sequence == 0
    assert Seat.objects.count() == 2
    assert appointment.events.count() == 1


def test_moving_into_a_full_slot_is_slot_taken_and_keeps_the_old_seats(appointment, customer):
    later = MONDAY_10 + timedelta(hours=3)
    book_visit(starts_at=later, now=NOW)
    book_visit(starts_at=later, now=NOW)
    with pytest.raises(services.SlotTaken) as exc:
        services.reschedule(appointment, starts_at=later, actor=customer, now=NOW)
    assert exc.value.fresh_slots
    appointment.refresh_from_db()
    assert appointment.starts_at == MONDAY_10
    assert appointment.seats.count() == 2


def test_the_customer_cannot_move_too_late(appointment, customer):
    with pytest.raises(ValidationError) as exc:
        services.reschedule(
            appointment,
            starts_at=MONDAY_10 + timedelta(days=1),
            actor=customer,
            now=MONDAY_10 - timedelta(hours=1),
        )
    assert exc.value.message_dict["starts_at"][0].startswith("It is too late to move the visit")


def test_a_move_keeps_the_designer_when_free(customer):
    first = make_designer("showroom")
    second = make_designer("showroom")
    appointment = book_visit(customer, starts_at=MONDAY_10, designer=second, now=NOW)
    services.reschedule(
        appointment, starts_at=MONDAY_10 + timedelta(hours=2), actor=customer, now=NOW
    )
    assert appointment.designer == second
    assert first.appointments.count() == 0


def test_complete_and_no_show_are_for_confirmed_visits_by_staff(
    appointment, customer, staff, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as exc:
        services.complete(appointment, actor=staff)
    assert exc.value.message_dict == {
        "status": ["An appointment that is “Requested” cannot become “Completed”."]
    }
    services.confirm(appointment, actor=staff)
    with pytest.raises(PermissionDenied):
        services.complete(appointment, actor=customer)
    with pytest.raises(ValidationError) as exc:
        services.mark_no_show(appointment, actor=staff, now=NOW)
    assert exc.value.message_dict == {
        "status": ["The visit has not started yet: wait for its time."]
    }
    received, stop = listen(signals.appointment_completed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.complete(appointment, actor=staff, note="Measured, 3.2 m")
    finally:
        stop()
    assert appointment.status == Status.COMPLETED
    assert received[0]["actor"] == staff
    assert history(appointment)[-1] == ("completed", "completed", staff)
    assert appointment.events.last().note == "Measured, 3.2 m"


def test_a_missed_visit_is_a_no_show(customer, staff, django_capture_on_commit_callbacks):
    appointment = book_visit(customer)
    services.confirm(appointment, actor=staff)
    move_into_past(appointment)
    received, stop = listen(signals.appointment_no_show)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_no_show(appointment, actor=staff)
    finally:
        stop()
    assert appointment.status == Status.NO_SHOW
    assert history(appointment)[-1] == ("no_show", "no_show", staff)
    assert [r["appointment"] for r in received] == [appointment]


def test_the_customer_sees_their_own_history_and_nobody_elses(
    appointment, customer, other_customer, staff
):
    services.confirm(appointment, actor=staff)
    found = selectors.get_appointment_for(customer, appointment.pk)
    assert [e.kind for e in found.events.all()] == ["requested", "confirmed"]
    with pytest.raises(Appointment.DoesNotExist):
        selectors.get_appointment_for(other_customer, appointment.pk)
    with pytest.raises(Appointment.DoesNotExist):
        selectors.get_appointment_for(customer, "not-a-number")
    assert selectors.get_appointment_for(staff, appointment.pk) == appointment


def test_upcoming_past_and_next_appointment(customer, staff):
    first = book_visit(customer)
    second = book_visit(
        customer, starts_at=next_slot(after=first.ends_at + timedelta(days=1)).starts_at
    )
    over = book_visit(customer)
    services.confirm(over, actor=staff)
    move_into_past(over, hours=5)
    services.complete(over, actor=staff)
    cancelled = book_visit(customer)
    services.cancel(cancelled, actor=staff)
    assert list(selectors.upcoming_for(customer)) == [first, second]
    assert set(selectors.past_for(customer)) == {over, cancelled}
    assert selectors.next_appointment_for(customer) == first
    assert selectors.next_appointment_for(staff) is None


def test_the_staff_calendar_lists_days_and_visits_in_a_fixed_number_of_queries(
    customer, django_assert_num_queries
):
    designer = make_designer("showroom")
    one = book_visit(customer, starts_at=MONDAY_10, now=NOW)
    two = book_visit(customer, starts_at=MONDAY_10 + timedelta(days=2), now=NOW)
    with django_assert_num_queries(1):
        days = selectors.calendar_for(MONDAY_10.date(), MONDAY_10.date() + timedelta(days=6))
        assert [d.date.isoformat() for d in days][:3] == [
            "2027-03-01",
            "2027-03-02",
            "2027-03-03",
        ]
        assert len(days) == 7
        assert days[0].appointments == [one] and days[2].appointments == [two]
        assert [str(a.designer) for a in days[0].appointments] == [str(designer)]
    assert (
        selectors.calendar_for(MONDAY_10.date(), MONDAY_10.date(), designer=designer.pk + 1)[
            0
        ].appointments
        == []
    )


def test_a_failing_receiver_does_not_undo_the_change_or_stop_the_email(
    appointment, staff, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("receiver down")

    signals.appointment_confirmed.connect(broken, weak=False, dispatch_uid="broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm(appointment, actor=staff)
    finally:
        signals.appointment_confirmed.disconnect(dispatch_uid="broken")
    assert Appointment.objects.get().status == Status.CONFIRMED
    assert "receiver down" in caplog.text
    assert [m.subject for m in mailoutbox] == [
        "Your visit is confirmed: Consultation in the showroom"
    ]
