import pytest
from django.core import checks


def ids(tags=None):
    return sorted(m.id for m in checks.run_checks() if m.id.startswith("istok_booking."))


def test_the_default_settings_pass():
    assert ids() == []


@pytest.mark.parametrize("value", [0, 7, 50, "30", None, 24 * 60 + 1])
def test_a_slot_length_that_does_not_divide_a_day_is_an_error(settings, value):
    settings.ISTOK_BOOKING_SLOT_MINUTES = value
    assert ids() == ["istok_booking.E001"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BUFFER_MINUTES", -5),
        ("MIN_NOTICE_HOURS", 1.5),
        ("HORIZON_DAYS", 0),
        ("REMINDER_HOURS", True),
        ("CANCEL_DEADLINE_HOURS", "24"),
    ],
)
def test_numbers_must_be_whole_and_not_negative(settings, name, value):
    setattr(settings, f"ISTOK_BOOKING_{name}", value)
    assert ids() == ["istok_booking.E002"]


def test_an_adapter_that_cannot_be_imported_is_an_error(settings):
    settings.ISTOK_BOOKING_ADAPTER = "nowhere.Adapter"
    assert ids() == ["istok_booking.E003"]


def test_use_tz_is_required(settings):
    settings.USE_TZ = False
    assert "istok_booking.E004" in ids()


def test_a_reminder_after_the_cancellation_deadline_is_a_warning(settings):
    settings.ISTOK_BOOKING_REMINDER_HOURS = 12
    settings.ISTOK_BOOKING_CANCEL_DEADLINE_HOURS = 24
    assert ids() == ["istok_booking.W001"]
