"""Who sees which conversation, the inbox and its unread counts, polling after a cursor."""

import pytest
from django.http import Http404

from istok_support import selectors, services
from istok_support.models import Conversation
from istok_support.testing.factories import make_conversation, make_customer, make_staff

pytestmark = pytest.mark.django_db


def test_a_customer_sees_only_their_own_conversations(customer, other_customer, staff):
    mine = make_conversation(customer)
    theirs = make_conversation(other_customer)

    assert list(selectors.conversations_for(customer)) == [mine]
    assert selectors.get_conversation_for(customer, mine.pk) == mine
    for pk in (theirs.pk, "abc", None, 10**30, -1):
        with pytest.raises(Http404):
            selectors.get_conversation_for(customer, pk)
    # Staff see all; anonymous visitors and staff without the permission see none.
    assert selectors.get_conversation_for(staff, theirs.pk) == theirs
    from django.contrib.auth.models import AnonymousUser

    for nobody in (AnonymousUser(), make_staff(permissions=())):
        with pytest.raises(Http404):
            selectors.get_conversation_for(nobody, mine.pk)
        assert not selectors.inbox(nobody, "all").exists()


def test_a_read_only_staff_member_sees_but_cannot_handle(customer):
    viewer = make_staff(permissions=("view_conversation",))
    conversation = make_conversation(customer)
    assert selectors.get_conversation_for(viewer, conversation.pk) == conversation
    assert selectors.can_view_all(viewer)
    assert not selectors.can_handle(viewer)


def test_open_conversation_for_the_dashboard(customer, staff):
    assert selectors.open_conversation_for(customer) is None
    conversation = make_conversation(customer, handed_off=True)
    services.staff_reply(conversation, staff, "Hello!")

    found = selectors.open_conversation_for(customer)
    assert found == conversation
    # The greeting, the hand-off, "Olga has joined" and the reply are unread.
    assert found.unread == 4
    services.mark_read(conversation, customer)
    assert selectors.open_conversation_for(customer).unread == 0

    services.close(conversation, customer)
    assert selectors.open_conversation_for(customer) is None


def test_messages_after_a_cursor(customer):
    conversation = make_conversation(customer, handed_off=True)
    first, second = conversation.messages.order_by("pk")
    third = services.post_customer_message(conversation, customer, "third")

    assert list(selectors.messages_after(conversation)) == [first, second, third]
    assert list(selectors.messages_after(conversation, first.pk)) == [second, third]
    assert list(selectors.messages_after(conversation, str(second.pk))) == [third]
    assert list(selectors.messages_after(conversation, third.pk)) == []
    assert list(selectors.messages_after(conversation, 0, limit=1)) == [first]
    for bad in ("x", -1, True):
        with pytest.raises(ValueError):
            list(selectors.messages_after(conversation, bad))


def test_messages_after_reads_one_query_whatever_their_number(
    customer, staff, django_assert_num_queries
):
    conversation = make_conversation(customer, handed_off=True)
    for number in range(10):
        services.staff_reply(conversation, staff, f"reply {number}")
    with django_assert_num_queries(1):
        messages = list(selectors.messages_after(conversation))
        assert {m.sender.pk for m in messages if m.sender} == {staff.pk}


def test_the_inbox_filters_and_counts_unread(staff, other_staff):
    waiting_long = make_conversation(handed_off=True)
    waiting_short = make_conversation(handed_off=True)
    with_bot = make_conversation()
    mine = make_conversation(handed_off=True, specialist=staff)
    theirs = make_conversation(handed_off=True, specialist=other_staff)
    services.post_customer_message(mine, mine.customer, "one")
    services.post_customer_message(mine, mine.customer, "two")
    services.post_customer_message(waiting_long, waiting_long.customer, "hello?")

    assert list(selectors.inbox(staff, "waiting")) == [waiting_long, waiting_short]
    assert list(selectors.inbox(staff, "mine")) == [mine]
    assert set(selectors.inbox(staff, "all")) == {
        waiting_long,
        waiting_short,
        with_bot,
        mine,
        theirs,
    }
    unread = {c.pk: c.unread for c in selectors.inbox(staff, "all")}
    assert unread[mine.pk] == 2
    assert unread[waiting_long.pk] == 1
    assert unread[with_bot.pk] == 0
    assert selectors.inbox_counts(staff) == {"waiting": 2, "mine": 1, "unread": 3}

    services.mark_read(mine, staff)
    assert {c.pk: c.unread for c in selectors.inbox(staff, "mine")} == {mine.pk: 0}
    with pytest.raises(ValueError):
        selectors.inbox(staff, "closed")


def test_the_inbox_is_one_query_whatever_its_length(staff, django_assert_num_queries):
    def read_inbox():
        with django_assert_num_queries(1):
            return [
                (c.customer.get_username(), c.specialist and c.specialist.pk, c.unread)
                for c in selectors.inbox(staff, "all")
            ]

    make_conversation(handed_off=True, specialist=staff)
    assert len(read_inbox()) == 1
    for _number in range(8):
        conversation = make_conversation(handed_off=True, specialist=staff)
        services.post_customer_message(conversation, conversation.customer, "hi")
    assert len(read_inbox()) == 9
    with django_assert_num_queries(1):
        selectors.inbox_counts(staff)


def test_attachments_only_for_the_customer_and_staff(customer, other_customer, staff):
    from istok_support.testing.factories import png_file

    conversation = make_conversation(customer, handed_off=True)
    message = services.post_customer_message(conversation, customer, "", attachment=png_file())
    text_only = services.post_customer_message(conversation, customer, "no file")

    assert selectors.get_attachment_for(customer, message.pk) == message
    assert selectors.get_attachment_for(staff, message.pk) == message
    for user, pk in (
        (other_customer, message.pk),
        (customer, text_only.pk),
        (customer, "x"),
        (make_customer(), message.pk),
    ):
        with pytest.raises(Http404):
            selectors.get_attachment_for(user, pk)


def test_the_buttons_offered_now(customer):
    conversation = make_conversation(customer)
    assert [b["action"] for b in selectors.last_bot_buttons(conversation)][-1] == "handoff"
    services.request_handoff(conversation, customer)
    conversation.refresh_from_db()
    assert selectors.last_bot_buttons(conversation) == []


def test_one_open_conversation_per_customer_in_the_database(customer):
    from django.db import IntegrityError, transaction

    make_conversation(customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(customer=customer)
