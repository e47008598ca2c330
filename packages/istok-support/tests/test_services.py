"""The services besides the bot: limits, attachments, the specialist's side, closing,
rating and the read cursors."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from istok_support import services
from istok_support.models import ChatMessage, Conversation
from istok_support.testing.factories import make_conversation, make_customer, pdf_file, png_file

pytestmark = pytest.mark.django_db

Kind = ChatMessage.SenderKind


@pytest.fixture
def waiting(customer):
    return make_conversation(customer, handed_off=True)


# Limits -----------------------------------------------------------------------------------


def test_a_message_over_the_length_limit_is_refused_with_a_field_error(waiting, settings):
    settings.ISTOK_SUPPORT_MAX_MESSAGE_LENGTH = 10
    count = waiting.messages.count()

    with pytest.raises(ValidationError) as caught:
        services.post_customer_message(waiting, waiting.customer, "x" * 11)

    assert caught.value.message_dict == {
        "text": ["A message may have at most 10 characters (this one has 11)."]
    }
    services.post_customer_message(waiting, waiting.customer, "x" * 10)
    assert waiting.messages.count() == count + 1


def test_the_limits_are_told_in_russian(waiting, settings, default_language_afterwards):
    from django.utils import translation

    settings.ISTOK_SUPPORT_MAX_MESSAGE_LENGTH = 10
    settings.ISTOK_SUPPORT_RATE_LIMIT = 1
    translation.activate("ru")
    with pytest.raises(ValidationError) as caught:
        services.post_customer_message(waiting, waiting.customer, "x" * 11)
    assert caught.value.message_dict["text"] == [
        "В сообщении может быть не больше 10 символов (в этом — 11)."
    ]
    services.post_customer_message(waiting, waiting.customer, "x")
    with pytest.raises(ValidationError) as caught:
        services.post_customer_message(waiting, waiting.customer, "y")
    assert caught.value.messages[0].startswith("Вы отправляете сообщения слишком часто")


def test_an_empty_message_is_refused(waiting):
    for text in ("", "   ", "\n\t", "\x00\x01"):
        with pytest.raises(ValidationError) as caught:
            services.post_customer_message(waiting, waiting.customer, text)
        assert caught.value.message_dict == {"text": ["Type a message or attach a file."]}


def test_control_characters_are_removed_and_line_breaks_kept(waiting):
    message = services.post_customer_message(
        waiting, waiting.customer, "  one\r\ntwo\x00\u202ethree\t! "
    )
    message.refresh_from_db()
    assert message.text == "one\ntwothree\t!"


def test_the_rate_limit_refuses_the_message_past_the_limit(waiting, settings):
    settings.ISTOK_SUPPORT_RATE_LIMIT = 3
    for number in range(3):
        services.post_customer_message(waiting, waiting.customer, f"message {number}")

    with pytest.raises(ValidationError) as caught:
        services.post_customer_message(waiting, waiting.customer, "one too many")

    assert caught.value.code == "rate_limited"
    assert "at most 3 a minute" in caught.value.messages[0]
    assert not waiting.messages.filter(text="one too many").exists()


def test_the_rate_limit_counts_per_user_and_button_presses_too(customer, settings):
    settings.ISTOK_SUPPORT_RATE_LIMIT = 2
    conversation = services.start_conversation(customer)
    services.post_customer_message(conversation, customer, "hi")
    services.press_button(conversation, customer, "my_order")  # the second this minute
    with pytest.raises(ValidationError):
        services.post_customer_message(conversation, customer, "third")

    # Another customer is not limited by the first one.
    other = services.start_conversation(make_customer())
    services.post_customer_message(other, other.customer, "hi")


def test_no_rate_limit_when_the_setting_is_none(waiting, settings):
    settings.ISTOK_SUPPORT_RATE_LIMIT = None
    for number in range(30):
        services.post_customer_message(waiting, waiting.customer, f"m{number}")


# Attachments ------------------------------------------------------------------------------


def test_an_image_or_a_pdf_is_attached_under_a_safe_name(waiting, private_root):
    photo = services.post_customer_message(
        waiting, waiting.customer, "", attachment=png_file("broken door.png")
    )
    scan = services.post_customer_message(
        waiting, waiting.customer, "the invoice", attachment=pdf_file("invoice.html")
    )

    photo.refresh_from_db()
    assert photo.attachment_name == "broken door.png"
    assert photo.attachment_type == "image/png"
    assert photo.attachment_size > 0
    assert scan.attachment_name == "invoice.pdf"  # named by what it is
    assert scan.attachment_type == "application/pdf"
    # Stored privately, under a random name.
    path = private_root / photo.attachment.name
    assert path.exists()
    assert "broken" not in photo.attachment.name
    with pytest.raises(ValueError):
        _ = photo.attachment.url


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nnot really"),
        SimpleUploadedFile("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_an_attachment_that_is_neither_image_nor_pdf_is_refused(waiting, upload, private_root):
    with pytest.raises(ValidationError) as caught:
        services.post_customer_message(waiting, waiting.customer, "look", attachment=upload)

    assert caught.value.message_dict == {
        "attachment": ["Attach an image (JPEG, PNG, WEBP) or a PDF file."]
    }
    assert not waiting.messages.filter(text="look").exists()
    assert not private_root.exists() or not any(p.is_file() for p in private_root.rglob("*"))


def test_an_attachment_over_the_size_limit_is_refused(waiting, settings):
    settings.ISTOK_SUPPORT_ATTACHMENT_MAX_SIZE = 100
    with pytest.raises(ValidationError) as caught:
        services.post_customer_message(
            waiting, waiting.customer, "", attachment=png_file(size=(300, 300))
        )
    assert "too large" in caught.value.message_dict["attachment"][0]


def test_a_message_to_a_closed_conversation_stores_no_file(waiting, private_root):
    services.close(waiting, waiting.customer)
    with pytest.raises(ValidationError):
        services.post_customer_message(waiting, waiting.customer, "", attachment=png_file())
    assert not private_root.exists() or not any(p.is_file() for p in private_root.rglob("*"))


def test_a_message_rolled_back_after_its_file_was_stored_leaves_no_file(
    waiting, private_root, monkeypatch
):
    from django.db import DatabaseError

    original = ChatMessage.save

    def save_then_fail(self, *args, **kwargs):
        original(self, *args, **kwargs)
        raise DatabaseError("the connection dropped")

    monkeypatch.setattr(ChatMessage, "save", save_then_fail)
    with pytest.raises(DatabaseError):
        services.post_customer_message(waiting, waiting.customer, "", attachment=png_file())
    assert any(private_root.rglob("*"))  # the file had been stored...
    assert not any(p.is_file() for p in private_root.rglob("*"))  # ...and is gone


# The specialist's side --------------------------------------------------------------------


def test_a_specialist_takes_a_waiting_conversation(waiting, staff):
    services.take(waiting, staff)

    assert waiting.status == Conversation.Status.WITH_SPECIALIST
    assert waiting.specialist == staff
    joined = waiting.messages.last()
    assert joined.sender_kind == Kind.SYSTEM
    assert joined.text == "Olga has joined the conversation."
    services.take(waiting, staff)  # again: nothing changes
    assert waiting.messages.filter(sender_kind=Kind.SYSTEM).count() == 1


def test_a_taken_conversation_cannot_be_taken_by_another(waiting, staff, other_staff):
    services.take(waiting, staff)
    with pytest.raises(ValidationError) as caught:
        services.take(waiting, other_staff)
    assert caught.value.code == "already_taken"
    assert caught.value.messages == ["Olga has already taken this conversation."]


def test_only_support_staff_take_and_reply(waiting, customer):
    from istok_support.testing.factories import make_staff

    no_permission = make_staff(permissions=())
    for user in (customer, no_permission):
        with pytest.raises(PermissionDenied):
            services.take(waiting, user)
        with pytest.raises(PermissionDenied):
            services.staff_reply(waiting, user, "hello")


def test_a_reply_takes_an_untaken_conversation(waiting, staff, other_staff):
    message = services.staff_reply(waiting, staff, "Good afternoon! Let me look.")

    assert message.sender_kind == Kind.SPECIALIST
    assert message.sender == staff
    waiting.refresh_from_db()
    assert waiting.specialist == staff
    assert waiting.status == Conversation.Status.WITH_SPECIALIST
    # A colleague may answer too; the conversation stays Olga's.
    services.staff_reply(waiting, other_staff, "Pavel here, I can add something.")
    waiting.refresh_from_db()
    assert waiting.specialist == staff


def test_a_specialist_attaches_a_pdf(waiting, staff):
    message = services.staff_reply(waiting, staff, "", attachment=pdf_file("quote.pdf"))
    assert message.attachment_name == "quote.pdf"


def test_closing_stops_messages_and_allows_a_rating(waiting, staff):
    services.take(waiting, staff)
    services.close(waiting, staff)

    assert waiting.status == Conversation.Status.CLOSED
    assert waiting.closed_at is not None
    assert waiting.messages.last().text == "The conversation is closed. Thank you!"
    for call in (
        lambda: services.post_customer_message(waiting, waiting.customer, "one more thing"),
        lambda: services.staff_reply(waiting, staff, "and another"),
        lambda: services.take(waiting, staff),
        lambda: services.press_button(waiting, waiting.customer, "handoff"),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.code == "closed"

    services.rate(waiting, waiting.customer, 5)
    assert Conversation.objects.get(pk=waiting.pk).rating == 5
    services.rate(waiting, waiting.customer, "4")
    assert Conversation.objects.get(pk=waiting.pk).rating == 4


def test_closing_twice_changes_nothing(waiting):
    services.close(waiting, waiting.customer)
    count = waiting.messages.count()
    services.close(waiting, waiting.customer)
    assert waiting.messages.count() == count


def test_another_customer_cannot_close_or_rate(waiting, other_customer):
    with pytest.raises(PermissionDenied):
        services.close(waiting, other_customer)
    services.close(waiting, waiting.customer)
    with pytest.raises(PermissionDenied):
        services.rate(waiting, other_customer, 5)


@pytest.mark.parametrize("rating", [0, 6, -1, "five", None, True, 4.5, ""])
def test_a_rating_outside_1_to_5_is_refused(waiting, rating):
    services.close(waiting, waiting.customer)
    with pytest.raises(ValidationError) as caught:
        services.rate(waiting, waiting.customer, rating)
    assert caught.value.message_dict == {"rating": ["Rate from 1 to 5."]}
    assert Conversation.objects.get(pk=waiting.pk).rating is None


def test_an_open_conversation_cannot_be_rated(waiting):
    with pytest.raises(ValidationError) as caught:
        services.rate(waiting, waiting.customer, 5)
    assert caught.value.message_dict == {
        "rating": ["You can rate the conversation once it is closed."]
    }


def test_the_database_refuses_a_rating_outside_1_to_5(waiting):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.filter(pk=waiting.pk).update(rating=9)


# Read cursors -----------------------------------------------------------------------------


def test_read_cursors_move_forward_per_side(waiting, staff):
    customer = waiting.customer
    services.post_customer_message(waiting, customer, "hello")
    reply = services.staff_reply(waiting, staff, "hi")
    last = waiting.messages.last().pk

    # The writer has read what they wrote.
    waiting.refresh_from_db()
    assert waiting.staff_read_upto == reply.pk
    assert waiting.customer_read_upto < reply.pk

    assert services.mark_read(waiting, customer) == last
    assert services.mark_read(waiting, customer, upto=1) == last  # never backwards
    assert services.mark_read(waiting, customer, upto=10**9) == last  # never past the end
    waiting.refresh_from_db()
    assert waiting.customer_read_upto == last
    assert waiting.staff_read_upto == reply.pk


@pytest.mark.parametrize("upto", ["abc", -1, True, [1]])
def test_a_bad_read_cursor_is_a_field_error(waiting, upto):
    with pytest.raises(ValidationError) as caught:
        services.mark_read(waiting, waiting.customer, upto=upto)
    assert list(caught.value.message_dict) == ["upto"]


def test_another_customer_cannot_mark_read(waiting, other_customer):
    with pytest.raises(PermissionDenied):
        services.mark_read(waiting, other_customer)


# Erasure ----------------------------------------------------------------------------------


def test_a_conversation_erased_meanwhile_is_not_found(waiting, staff):
    from django.http import Http404

    stale = Conversation.objects.get(pk=waiting.pk)
    services.erase_customer_data(waiting.customer)
    for call in (
        lambda: services.post_customer_message(stale, stale.customer, "hello?"),
        lambda: services.staff_reply(stale, staff, "hello"),
        lambda: services.take(stale, staff),
        lambda: services.close(stale, staff),
    ):
        with pytest.raises(Http404):
            call()


def test_erasing_a_customer_deletes_their_conversations_and_files(
    waiting, staff, private_root, django_capture_on_commit_callbacks
):
    services.post_customer_message(waiting, waiting.customer, "", attachment=png_file())
    other = make_conversation(handed_off=True)
    services.staff_reply(other, staff, "kept")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.erase_customer_data(waiting.customer) == 1

    assert not Conversation.objects.filter(pk=waiting.pk).exists()
    assert not any(p.is_file() for p in private_root.rglob("*"))
    assert other.messages.filter(text="kept").exists()
