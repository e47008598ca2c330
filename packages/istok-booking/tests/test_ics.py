"""The .ics of a visit (icalendar): one UID for the visit's life, SEQUENCE growing with
each change, a cancellation that removes the event; and the adapter's emails."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from istok_booking import ics, services
from istok_booking.adapter import DefaultBookingAdapter
from istok_booking.testing.factories import book_visit

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)


def parse(appointment):
    calendar = Calendar.from_ical(ics.calendar_for(appointment))
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_calendar_file_describes_the_visit(customer):
    appointment = book_visit(customer, kind="measurement", starts_at=MONDAY_10, now=NOW)
    calendar, event = parse(appointment)
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    assert str(calendar["PRODID"]).startswith("-//ISTOK//istok-booking ")
    assert str(event["UID"]) == f"{appointment.uid}@shop.example.com"
    assert event.decoded("DTSTART") == MONDAY_10
    assert event.decoded("DTEND") == MONDAY_10 + timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Measurement at your home"
    assert str(event["LOCATION"]) == "Nevsky prospekt 1, flat 2"
    assert "Purpose: Kitchen" in str(event["DESCRIPTION"])
    assert "Waiting for a manager's confirmation." in str(event["DESCRIPTION"])
    assert event["STATUS"] == "TENTATIVE" and event["SEQUENCE"] == 0


def test_the_uid_stays_and_the_sequence_grows_until_the_cancellation(customer, staff):
    appointment = book_visit(customer, starts_at=MONDAY_10, now=NOW)
    _calendar, first = parse(appointment)
    services.confirm(appointment, actor=staff)
    services.reschedule(appointment, starts_at=MONDAY_10 + timedelta(days=1), actor=staff, now=NOW)
    _calendar, moved = parse(appointment)
    services.reschedule(appointment, starts_at=MONDAY_10 + timedelta(days=2), actor=staff, now=NOW)
    services.cancel(appointment, actor=staff, now=NOW)
    calendar, cancelled = parse(appointment)
    assert first["UID"] == moved["UID"] == cancelled["UID"]
    assert (first["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1, 3)
    assert moved.decoded("DTSTART") == MONDAY_10 + timedelta(days=1)
    assert moved["STATUS"] == "CONFIRMED"
    assert calendar["METHOD"] == "CANCEL" and cancelled["STATUS"] == "CANCELLED"


def test_the_site_url_makes_absolute_links(settings, customer):
    appointment = book_visit(customer, starts_at=MONDAY_10, now=NOW)
    adapter = DefaultBookingAdapter()
    settings.ROOT_URLCONF = "tests.urls_surfaces"
    assert adapter.get_appointment_url(appointment) == (
        f"https://shop.example.com/booking/appointments/{appointment.pk}/"
    )
    settings.ROOT_URLCONF = "tests.urls"  # no booking pages: no link
    assert adapter.get_appointment_url(appointment) == ""


def test_a_guest_without_email_gets_none_and_managers_can_be_left_out(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ISTOK_BOOKING_ALLOW_GUESTS = True
    settings.ISTOK_BOOKING_NOTIFY_MANAGERS = False
    with django_capture_on_commit_callbacks(execute=True):
        services.book(
            kind="showroom",
            starts_at=MONDAY_10,
            purpose="hallway",
            guest_name="Olga",
            guest_phone="+79123456789",
            consent=True,
            now=NOW,
        )
    assert mailoutbox == []


def test_a_failing_mail_server_does_not_undo_the_booking(
    customer, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    monkeypatch.setattr("istok_booking.adapter.mail_managers", broken)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_visit(customer, starts_at=MONDAY_10, now=NOW)
    assert appointment.pk is not None
    assert "Could not email the customer" in caplog.text
    assert "Could not tell the managers" in caplog.text
