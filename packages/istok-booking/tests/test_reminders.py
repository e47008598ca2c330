"""Reminders: each due one sent once, with the visit's .ics; the cron command."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from istok_booking import services
from istok_booking.models import Appointment
from istok_booking.testing.factories import book_visit, next_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(customer, staff):
    appointment = book_visit(customer, kind="video")  # needs no confirmation
    assert appointment.status == Appointment.Status.CONFIRMED
    return appointment


def test_a_due_reminder_is_sent_once(confirmed, mailoutbox, django_capture_on_commit_callbacks):
    before = confirmed.starts_at - timedelta(hours=30)
    assert services.send_due_reminders(now=before) == 0
    due = confirmed.starts_at - timedelta(hours=23)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=due) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=due + timedelta(minutes=10)) == 0
    (message,) = mailoutbox
    assert message.subject.startswith("Reminder: Video call, ")
    assert message.to == [confirmed.customer.email]
    ((_name, content, _mime),) = message.attachments
    assert Calendar.from_ical(content).walk("VEVENT")[0]["STATUS"] == "CONFIRMED"
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at == due
    assert confirmed.events.filter(kind="reminded").count() == 1


def test_requests_cancelled_and_started_visits_get_no_reminder(customer, staff):
    requested = book_visit(customer)  # waits for confirmation
    cancelled = book_visit(customer, kind="video")
    services.cancel(cancelled, actor=staff)
    assert requested.status == Appointment.Status.REQUESTED
    assert services.send_due_reminders(now=requested.starts_at - timedelta(hours=1)) == 0
    assert services.send_due_reminders(now=requested.starts_at + timedelta(minutes=1)) == 0


def test_a_moved_visit_is_reminded_again_for_its_new_time(confirmed, staff):
    due = confirmed.starts_at - timedelta(hours=1)
    assert services.send_due_reminders(now=due) == 1
    later = next_slot("video", after=confirmed.starts_at + timedelta(days=2)).starts_at
    services.reschedule(confirmed, starts_at=later, actor=staff)
    assert confirmed.reminder_sent_at is None
    assert services.send_due_reminders(now=later - timedelta(hours=1)) == 1


def test_the_command_sends_the_due_reminders(
    confirmed, settings, mailoutbox, django_capture_on_commit_callbacks, capsys
):
    settings.ISTOK_BOOKING_REMINDER_HOURS = 24 * 30
    with django_capture_on_commit_callbacks(execute=True):
        call_command("istok_booking_send_reminders")
    assert capsys.readouterr().out == "1 reminder(s) sent.\n"
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("istok_booking_send_reminders", verbosity=0)
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_is_logged_and_not_retried(
    confirmed, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    due = confirmed.starts_at - timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=due) == 1
    assert "Could not email the customer" in caplog.text
    assert services.send_due_reminders(now=due) == 0
    assert Appointment.objects.get().reminder_sent_at == due
    assert timezone.now() < confirmed.starts_at
