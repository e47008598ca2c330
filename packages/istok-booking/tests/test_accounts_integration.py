"""With istok_accounts: guest bookings claimed at signup and when a phone is added, the
profile's phone as the contact, the data export and the erasure; without it, none of
this is connected."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from istok_booking import services
from istok_booking.integrations.accounts import contact_phone_for
from istok_booking.models import Appointment, Seat
from istok_booking.testing.factories import book_visit, make_customer

pytestmark = pytest.mark.django_db

with_accounts = pytest.mark.skipif(
    not apps.is_installed("istok_accounts"),
    reason="needs istok_accounts (tests.settings_accounts)",
)
without_accounts = pytest.mark.skipif(
    apps.is_installed("istok_accounts"), reason="istok_accounts is installed"
)

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)


@pytest.fixture
def guest_booking(settings):
    settings.ISTOK_BOOKING_ALLOW_GUESTS = True
    return services.book(
        kind="showroom",
        starts_at=MONDAY_10,
        purpose="wardrobe",
        guest_name="Olga",
        guest_phone="+7 912 000-11-22",
        guest_email="olga@example.com",
        consent=True,
        now=NOW,
    )


@with_accounts
class TestWithAccounts:
    def sign_up(self, email):
        from istok_accounts import services as account_services

        return account_services.sign_up(
            username=email.split("@")[0],
            email=email,
            password="correct-horse-battery-42",
            personal_data_consent=True,
        )

    def test_signing_up_with_the_guests_email_claims_the_booking(
        self, guest_booking, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            user = self.sign_up("olga@example.com")
        guest_booking.refresh_from_db()
        assert guest_booking.customer == user
        assert guest_booking.events.filter(kind="claimed", actor=user).count() == 1

    def test_booking_does_not_make_signup_ask_for_a_referral_code(self):
        from istok_accounts.signals import takes_referral_code

        assert takes_referral_code() is False

    def test_adding_the_guests_phone_to_the_profile_claims_the_booking(
        self, guest_booking, django_capture_on_commit_callbacks
    ):
        from istok_accounts import services as account_services

        with django_capture_on_commit_callbacks(execute=True):
            user = self.sign_up("someone-else@example.com")
        guest_booking.refresh_from_db()
        assert guest_booking.customer is None
        with django_capture_on_commit_callbacks(execute=True):
            account_services.update_profile(user, phone="+79120001122")
        guest_booking.refresh_from_db()
        assert guest_booking.customer == user

    def test_the_profiles_phone_is_the_contact(self, customer):
        from istok_accounts import services as account_services

        assert contact_phone_for(customer) == ""
        account_services.update_profile(customer, phone="+7 912 345-67-89")
        assert contact_phone_for(customer) == "+79123456789"
        appointment = book_visit(customer, starts_at=MONDAY_10, contact_value="", now=NOW)
        assert appointment.contact_value == "+79123456789"

    def test_the_export_lists_the_appointments(self, customer):
        from istok_accounts import services as account_services

        book_visit(customer, starts_at=MONDAY_10, notes="Corner kitchen", now=NOW)
        (visit,) = account_services.export_personal_data(customer)["istok_booking"]
        assert visit["kind"] == "Consultation in the showroom"
        assert visit["notes"] == "Corner kitchen"
        assert visit["contact_value"] == "+79123456789"
        assert visit["starts_at"].startswith("2027-03-01T07:00:00")

    def test_erasure_cancels_the_visits_to_come_and_removes_the_personal_data(
        self, customer, staff
    ):
        from istok_accounts import services as account_services

        past = book_visit(customer, starts_at=MONDAY_10, notes="Corner kitchen", now=NOW)
        services.cancel(past, actor=staff, reason="Anna asked to call her husband", now=NOW)
        upcoming = book_visit(customer, notes="Call me after six")
        account_services.erase_user(customer)
        upcoming.refresh_from_db()
        past.refresh_from_db()
        assert upcoming.status == Appointment.Status.CANCELLED
        assert upcoming.contact_value == "" and upcoming.notes == ""
        assert upcoming.cancel_reason == "The customer deleted their account."
        assert not Seat.objects.filter(appointment=upcoming).exists()
        assert upcoming.events.last().note == "The customer deleted their account."
        assert past.notes == "" and past.cancel_reason == "" and past.contact_value == ""
        assert not past.events.exclude(note="").exists()


@without_accounts
def test_without_accounts_nothing_of_booking_listens_to_its_signals():
    signals = pytest.importorskip("istok_accounts.signals")
    for signal in (
        signals.user_signed_up,
        signals.profile_updated,
        signals.personal_data_requested,
        signals.user_erased,
    ):
        assert not signal.receivers


def test_a_new_account_with_the_guests_email_claims_the_booking_once_committed(
    guest_booking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_customer(email="olga@example.com")
    guest_booking.refresh_from_db()
    assert guest_booking.customer == user
    assert guest_booking.events.filter(kind="claimed").count() == 1


def test_the_profiles_phone_is_read_only_when_valid(customer):
    assert contact_phone_for(customer) == ""  # no phone (Django's user model has none)
    customer.phone = "not a phone"
    assert contact_phone_for(customer) == ""
    customer.phone = "+7 912 345-67-89"
    assert contact_phone_for(customer) == "+79123456789"
    assert contact_phone_for(None) == ""
