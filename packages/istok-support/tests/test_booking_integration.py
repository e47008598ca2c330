"""The optional integration with istok_booking (``--ds tests.settings_booking``): "I want
to place an order" and "Expert consultation" offer the booking page. Without the app, or
without its URLs, they hand the conversation to a specialist."""

import pytest
from django.apps import apps
from django.urls import reverse

from istok_support import services
from istok_support.integrations import booking
from istok_support.models import Conversation
from istok_support.testing.factories import make_conversation

pytestmark = pytest.mark.django_db

with_booking = pytest.mark.skipif(
    not apps.is_installed("istok_booking"),
    reason="istok_booking is not installed (run with --ds tests.settings_booking)",
)
without_booking = pytest.mark.skipif(
    apps.is_installed("istok_booking"), reason="istok_booking is installed"
)


@pytest.mark.parametrize("branch", ["new_order", "consultation"])
@with_booking
def test_the_booking_page_is_offered(customer, branch):
    conversation = make_conversation(customer)

    answer = services.press_button(conversation, customer, branch)[-1]

    assert answer.data["link"] == {
        "url": reverse("istok_booking:appointment_create"),
        "label": "Book an appointment",
    }
    assert [b["action"] for b in answer.buttons] == ["handoff"]
    conversation.refresh_from_db()
    assert conversation.topic == branch
    assert conversation.bot_active


@with_booking
def test_without_the_booking_urls_the_branch_hands_off(customer, settings):
    settings.ROOT_URLCONF = "tests.urls"
    conversation = make_conversation(customer)

    services.press_button(conversation, customer, "consultation")

    assert booking.booking_url() == ""
    assert conversation.status == Conversation.Status.WAITING


@pytest.mark.parametrize("branch", ["new_order", "consultation"])
@without_booking
def test_without_booking_the_branch_hands_off(customer, branch):
    conversation = make_conversation(customer)

    new = services.press_button(conversation, customer, branch)

    assert [m.sender_kind for m in new] == ["customer", "bot", "bot"]
    assert "link" not in new[1].data
    assert conversation.status == Conversation.Status.WAITING
    assert booking.booking_url() == ""
