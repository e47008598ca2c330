"""The optional integration with istok_accounts (``--ds tests.settings_accounts``): a
user's data export lists their conversations; erasing the user deletes them. Without the
app, nothing is connected."""

import pytest
from django.apps import apps

from istok_support import services
from istok_support.models import ChatMessage, Conversation
from istok_support.testing.factories import make_conversation, png_file

pytestmark = pytest.mark.django_db

with_accounts = pytest.mark.skipif(
    not apps.is_installed("istok_accounts"),
    reason="istok_accounts is not installed (run with --ds tests.settings_accounts)",
)
without_accounts = pytest.mark.skipif(
    apps.is_installed("istok_accounts"), reason="istok_accounts is installed"
)


@pytest.fixture
def talked(customer, staff):
    conversation = make_conversation(customer, handed_off=True)
    services.post_customer_message(
        conversation, customer, "My door squeaks", attachment=png_file("door.png")
    )
    services.staff_reply(conversation, staff, "We will send a fitter.")
    services.close(conversation, customer)
    services.rate(conversation, customer, 5)
    return conversation


@without_accounts
def test_without_accounts_nothing_is_connected():
    accounts_signals = pytest.importorskip(
        "istok_accounts.signals", reason="istok-accounts is not in this environment"
    )
    from istok_support import receivers

    for signal in (accounts_signals.personal_data_requested, accounts_signals.user_erased):
        connected = [r() for _key, r in signal.receivers]
        assert receivers.export_support not in connected
        assert receivers.erase_support not in connected


@with_accounts
def test_the_data_export_lists_the_conversations(talked, customer):
    from istok_accounts.services import export_personal_data

    data = export_personal_data(customer)["istok_support"]

    (conversation,) = data
    assert conversation["rating"] == 5
    assert conversation["status"] == "closed"
    texts = [(m["sender_kind"], m["text"]) for m in conversation["messages"]]
    assert ("customer", "My door squeaks") in texts
    assert ("specialist", "We will send a fitter.") in texts
    assert (
        conversation["messages"][texts.index(("customer", "My door squeaks"))]["attachment_name"]
        == "door.png"
    )


@with_accounts
def test_erasing_the_user_deletes_their_conversations_and_files(
    talked, customer, staff, private_root, django_capture_on_commit_callbacks
):
    from istok_accounts.services import erase_user

    handled = make_conversation(handed_off=True, specialist=staff)
    with django_capture_on_commit_callbacks(execute=True):
        erase_user(customer)

    assert not Conversation.objects.filter(customer=customer).exists()
    assert not ChatMessage.objects.filter(conversation_id=talked.pk).exists()
    assert not any(p.is_file() for p in private_root.rglob("*"))
    # A specialist erased: the conversations they handled stay.
    with django_capture_on_commit_callbacks(execute=True):
        erase_user(staff)
    assert Conversation.objects.filter(pk=handled.pk).exists()
