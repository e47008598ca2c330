"""Booking a visit: what is kept, what is sent, and every wrong input refused with a field
error and nothing changed."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from istok_booking import services, signals
from istok_booking.models import Appointment, AppointmentEvent, DayOff, Seat, VisitKind
from istok_booking.testing.factories import book_visit, make_customer, make_designer

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)  # Friday, 12:00 in Moscow
MONDAY_10 = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)


def book(customer, **fields):
    values = {
        "kind": "showroom",
        "starts_at": MONDAY_10,
        "purpose": "kitchen",
        "customer": customer,
        "contact_value": "+7 912 345-67-89",
        "now": NOW,
    }
    values.update(fields)
    return services.book(**values)


def nothing_kept():
    return not Appointment.objects.exists() and not Seat.objects.exists()


def field_errors(exc):
    return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}


def test_a_customer_books_a_visit_that_waits_for_confirmation(
    customer, mailoutbox, django_capture_on_commit_callbacks
):
    booked = []
    signals.appointment_booked.connect(
        lambda **kw: booked.append(kw), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            appointment = book(
                customer,
                consultation_wanted=True,
                notes="Corner kitchen, 3 m",
                contact_method="telegram",
                contact_value="https://t.me/anna_smirnova",
            )
    finally:
        signals.appointment_booked.disconnect(dispatch_uid="t")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REQUESTED
    assert appointment.needs_confirmation
    assert appointment.customer == customer
    assert appointment.contact_method == "telegram"
    assert appointment.contact_value == "@anna_smirnova"
    assert appointment.purpose.code == "kitchen"
    assert appointment.consultation_wanted
    assert appointment.starts_at == MONDAY_10
    assert appointment.ends_at == MONDAY_10 + timedelta(hours=1)
    assert [e.kind for e in appointment.events.all()] == ["requested"]
    assert booked and booked[0]["appointment"] == appointment
    customer_mail, managers_mail = mailoutbox
    assert customer_mail.to == [customer.email]
    assert customer_mail.subject == ("We have received your request: Consultation in the showroom")
    assert "A manager will confirm it shortly" in customer_mail.body
    ((name, content, mimetype),) = customer_mail.attachments
    assert name == f"appointment-{appointment.pk}.ics" and mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(str(appointment.uid))
    assert event["STATUS"] == "TENTATIVE"
    assert managers_mail.to == ["manager@example.com"]
    assert "Corner kitchen, 3 m" in managers_mail.body
    assert "Wants an expert consultation" in managers_mail.body


def test_a_kind_without_confirmation_is_confirmed_at_once(
    customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(customer, kind="video")
    assert appointment.status == Appointment.Status.CONFIRMED
    assert [e.kind for e in appointment.events.all()] == ["requested", "confirmed"]
    assert mailoutbox[0].subject == "Your visit is confirmed: Video call"


def test_the_errors_and_emails_speak_the_language(
    settings, customer, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("ru"), pytest.raises(ValidationError) as exc:
        book(customer, starts_at=datetime(2027, 2, 28, 12, tzinfo=MOSCOW))
    assert exc.value.message_dict["starts_at"] == ["В этот день мы не принимаем."]
    with translation.override("ru"):
        book(customer)
        book(customer)
        with pytest.raises(services.SlotTaken) as exc:
            book(customer)
        assert exc.value.message_dict["starts_at"] == [
            "Это время только что заняли. Пожалуйста, выберите другое."
        ]
    settings.LANGUAGE_CODE = "ru"  # the customer's language when the user model has none
    with django_capture_on_commit_callbacks(execute=True):
        book(customer, starts_at=MONDAY_10 + timedelta(days=1))
    assert mailoutbox[0].subject.startswith("Мы получили вашу заявку: ")


def test_the_phone_of_the_profile_is_the_contact_when_none_is_given(customer):
    customer.phone = "+79111111111"  # a user model with a phone (istok_accounts has one)
    appointment = book(customer, contact_value="")
    assert appointment.contact_value == "+79111111111"


def test_a_measurement_needs_the_address_and_keeps_it(customer):
    with pytest.raises(ValidationError) as exc:
        book(customer, kind="measurement")
    assert field_errors(exc.value) == {"address": ["Give the address where we should come."]}
    appointment = book(customer, kind="measurement", address="Nevsky 1, flat 2")
    assert appointment.address == "Nevsky 1, flat 2"


def test_a_chosen_designer_is_booked_and_otherwise_the_first_free_one(customer):
    first = make_designer("showroom")
    second = make_designer("showroom")
    chosen = book(customer, designer=second)
    assert chosen.designer == second
    assert book(customer).designer == first
    with pytest.raises(services.SlotTaken):
        book(customer)  # both are busy at 10:00 now


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": "spaceship"}, {"kind": ["Choose one of the kinds of visit offered."]}),
        ({"kind": ""}, {"kind": ["This field is required."]}),
        ({"purpose": "garage"}, {"purpose": ["Choose one of the purposes offered."]}),
        ({"purpose": None}, {"purpose": ["This field is required."]}),
        ({"starts_at": "tomorrow"}, {"starts_at": ["Enter a valid date and time."]}),
        ({"starts_at": "0001-01-01T00:00"}, {"starts_at": ["Enter a valid date and time."]}),
        ({"starts_at": datetime.min}, {"starts_at": ["Enter a valid date and time."]}),
        ({"starts_at": "2027-03-01T10:00+25:00"}, {"starts_at": ["Enter a valid date and time."]}),
        ({"starts_at": MONDAY_10.date()}, {"starts_at": ["Enter a valid date and time."]}),
        (
            {"starts_at": "9999-12-31T23:59"},
            {"starts_at": ["You can book at most 60 days ahead."]},
        ),
        (
            {"starts_at": datetime(2027, 2, 25, 10, tzinfo=MOSCOW)},
            {"starts_at": ["This time has already passed."]},
        ),
        (
            {"starts_at": datetime(2027, 2, 26, 13, tzinfo=MOSCOW)},
            {"starts_at": ["Book at least 2 hours ahead."]},
        ),
        (
            {"starts_at": datetime(2027, 6, 1, 10, tzinfo=MOSCOW)},
            {"starts_at": ["You can book at most 60 days ahead."]},
        ),
        (
            {"starts_at": datetime(2027, 2, 28, 12, tzinfo=MOSCOW)},  # Sunday
            {"starts_at": ["We do not take visits on this day."]},
        ),
        (
            {"starts_at": datetime(2027, 3, 1, 10, 10, tzinfo=MOSCOW)},
            {"starts_at": ["Choose a time on the hour or every 30 minutes after it."]},
        ),
        (
            {"starts_at": datetime(2027, 3, 1, 8, 0, tzinfo=MOSCOW)},
            {
                "starts_at": [
                    "This time is outside the working hours. Choose one of the times offered."
                ]
            },
        ),
        (
            {"starts_at": datetime(2027, 3, 1, 18, 30, tzinfo=MOSCOW)},  # ends after 19:00
            {
                "starts_at": [
                    "This time is outside the working hours. Choose one of the times offered."
                ]
            },
        ),
        (
            {"contact_value": "12345"},
            {"contact_value": ["Enter a valid phone number, for example +7 912 345-67-89."]},
        ),
        (
            {"contact_method": "pigeon"},
            {"contact_method": ["Choose the phone or one of the messengers offered."]},
        ),
        (
            {"contact_method": "telegram", "contact_value": "@no"},
            {
                "contact_value": [
                    "Enter a user name of 5 to 32 Latin letters, digits or underscores, "
                    "for example @ivan_petrov."
                ]
            },
        ),
        (
            {"contact_method": "vk", "contact_value": "javascript:alert(1)"},
            {"contact_value": ["Enter a link to your page (https://…) or its short name."]},
        ),
        (
            {"contact_method": "whatsapp", "contact_value": "not a phone"},
            {"contact_value": ["Enter a valid phone number, for example +7 912 345-67-89."]},
        ),
        ({"notes": "x" * 2001}, {"notes": ["Use at most 2000 characters."]}),
        ({"notes": "a\x00b"}, {"notes": ["Remove the control characters."]}),
        ({"designer": 999}, {"designer": ["Choose one of the designers offered."]}),
        ({"consultation_wanted": "false"}, {"consultation_wanted": ["Answer yes or no."]}),
    ],
)
def test_wrong_input_is_refused_with_a_field_error_and_nothing_is_kept(
    customer, fields, expected, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        book(customer, **fields)
    assert field_errors(exc.value) == expected
    assert nothing_kept()
    assert mailoutbox == []


def test_several_wrong_fields_are_reported_together(customer):
    with pytest.raises(ValidationError) as exc:
        book(customer, kind="spaceship", purpose="garage", contact_value="1")
    assert set(exc.value.message_dict) == {"kind", "purpose", "contact_value"}


def test_a_designer_on_a_day_off_is_refused(customer):
    designer = make_designer("showroom")
    make_designer("showroom")
    DayOff.objects.create(date=MONDAY_10.date(), designer=designer, reason="Leave")
    with pytest.raises(ValidationError) as exc:
        book(customer, designer=designer)
    assert exc.value.message_dict["starts_at"] == [f"{designer} does not take visits on this day."]
    assert nothing_kept()


def test_an_inactive_kind_or_purpose_is_unknown(customer):
    VisitKind.objects.filter(code="showroom").update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        book(customer)
    assert "kind" in exc.value.message_dict


def test_a_full_slot_is_refused_with_fresh_slots(customer):
    book(customer)
    book(customer)  # the showroom takes two at a time
    with pytest.raises(services.SlotTaken) as exc:
        book(customer)
    assert exc.value.message_dict == {
        "starts_at": ["This time was just taken. Please choose another one."]
    }
    fresh = exc.value.fresh_slots
    assert fresh and all(slot.remaining > 0 for slot in fresh)
    assert MONDAY_10 not in [slot.starts_at for slot in fresh]
    assert Appointment.objects.count() == 2


def test_the_seats_of_a_visit_are_rows_the_database_keeps_unique(customer):
    appointment = book(customer)
    seats = list(appointment.seats.order_by("starts_at").values_list("resource", "number"))
    assert seats == [(f"kind:{appointment.kind_id}", 1)] * 2
    second = book(customer)
    assert set(second.seats.values_list("number", flat=True)) == {2}
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(
            appointment=second,
            resource=f"kind:{appointment.kind_id}",
            starts_at=MONDAY_10,
            number=1,
        )


class TestGuests:
    def test_guests_may_not_book_unless_allowed(self):
        with pytest.raises(ValidationError) as exc:
            book(None, guest_name="Olga", guest_phone="+79123456789", consent=True)
        assert field_errors(exc.value) == {"customer": ["Sign in to book a visit."]}
        assert nothing_kept()

    def test_a_guest_books_with_name_phone_and_consent(
        self, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        settings.ISTOK_BOOKING_ALLOW_GUESTS = True
        with django_capture_on_commit_callbacks(execute=True):
            appointment = book(
                None,
                guest_name="Olga",
                guest_phone="8 912 345-67-89",
                guest_email="olga@example.com",
                consent=True,
                contact_value="",
            )
        assert appointment.is_guest and appointment.customer is None
        assert appointment.contact_name == "Olga"
        assert str(appointment.guest_phone) == "+79123456789"
        assert appointment.contact_value == "+79123456789"
        assert appointment.guest_consent_at == NOW
        assert mailoutbox[0].to == ["olga@example.com"]

    def test_a_guest_without_name_phone_or_consent_is_refused(self, settings):
        settings.ISTOK_BOOKING_ALLOW_GUESTS = True
        with pytest.raises(ValidationError) as exc:
            book(None, guest_phone="123", guest_email="not-an-email", consent="yes")
        assert field_errors(exc.value) == {
            "guest_name": ["Tell us your name."],
            "guest_phone": ["Enter a valid phone number, for example +7 912 345-67-89."],
            "guest_email": ["Enter a valid email address."],
            "consent": ["Agree to the processing of your personal data to book a visit."],
        }
        assert nothing_kept()

    def test_a_guests_wrong_phone_is_reported_once(self, settings):
        settings.ISTOK_BOOKING_ALLOW_GUESTS = True
        with pytest.raises(ValidationError) as exc:
            book(None, guest_name="Olga", guest_phone="12", consent=True, contact_value="")
        assert list(exc.value.message_dict) == ["guest_phone"]

    def test_a_guests_booking_is_claimed_by_the_account_with_that_email(self, settings):
        settings.ISTOK_BOOKING_ALLOW_GUESTS = True
        appointment = book(
            None,
            guest_name="Olga",
            guest_phone="+79123456789",
            guest_email="Olga@Example.com",
            consent=True,
        )
        other = make_customer(email="someone@example.com")
        assert services.claim_guest_appointments(other) == 0
        user = make_customer(email="olga@example.com")
        assert services.claim_guest_appointments(user) == 1
        appointment.refresh_from_db()
        assert appointment.customer == user
        claimed = appointment.events.get(kind=AppointmentEvent.Kind.CLAIMED)
        assert claimed.actor == user
        assert services.claim_guest_appointments(user) == 0  # once


def test_a_booking_far_in_a_long_day_uses_the_changed_hours(customer):
    DayOff.objects.create(date=MONDAY_10.date(), opens=time(12), closes=time(14))
    with pytest.raises(ValidationError) as exc:
        book(customer)
    assert exc.value.message_dict["starts_at"][0].startswith("This time is outside")
    appointment = book(customer, starts_at=MONDAY_10.replace(hour=12))
    assert appointment.starts_at.astimezone(MOSCOW).hour == 12


def test_the_factory_books_the_first_free_slot(customer):
    appointment = book_visit(customer)
    assert appointment.customer == customer
