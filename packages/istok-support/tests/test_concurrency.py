"""Races that only a real database with concurrent transactions shows (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError

from istok_core.testing import run_at_once, run_plans
from istok_support import selectors, services
from istok_support.models import ChatMessage, Conversation
from istok_support.testing.factories import make_conversation, make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def fresh(conversation):
    return Conversation.objects.get(pk=conversation.pk)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ISTOK_SUPPORT_RATE_LIMIT = None


def test_of_specialists_taking_at_once_exactly_one_wins(postgres_only):
    specialists = [make_staff() for _ in range(4)]
    for _attempt in range(5):
        conversation = make_conversation(handed_off=True)
        results = run_at_once(
            *[lambda s=s, c=conversation: services.take(fresh(c), s) for s in specialists]
        )
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 3, results
        assert all(isinstance(e, ValidationError) and e.code == "already_taken" for e in errors)
        winner = next(
            s for s, r in zip(specialists, results, strict=True) if not isinstance(r, Exception)
        )
        assert fresh(conversation).specialist == winner
        joined = conversation.messages.filter(sender_kind=ChatMessage.SenderKind.SYSTEM)
        assert joined.count() == 1


def test_replies_of_two_specialists_at_once_give_the_conversation_one_owner(postgres_only):
    first, second = make_staff(), make_staff()
    for _attempt in range(5):
        conversation = make_conversation(handed_off=True)
        results = run_at_once(
            lambda c=conversation: services.staff_reply(fresh(c), first, "mine"),
            lambda c=conversation: services.staff_reply(fresh(c), second, "no, mine"),
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        owner = fresh(conversation).specialist
        assert owner in (first, second)
        # One "has joined" message: the second reply found it taken.
        system = conversation.messages.filter(sender_kind=ChatMessage.SenderKind.SYSTEM)
        assert system.count() == 1


def test_starting_from_two_tabs_at_once_opens_one_conversation(postgres_only, customer):
    results = run_at_once(*[lambda: services.start_conversation(customer)] * 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({conversation.pk for conversation in results}) == 1
    assert Conversation.objects.filter(customer=customer).count() == 1
    assert results[0].messages.count() == 1  # greeted once


def test_a_poller_never_misses_a_message_written_concurrently(postgres_only, customer):
    """Messages written at once by the customer and two specialists: a client that
    polls with the last key it saw gets every message exactly once."""
    staff_a, staff_b = make_staff(), make_staff()
    conversation = make_conversation(customer, handed_off=True, specialist=staff_a)
    seen, cursor = [], conversation.messages.order_by("pk").last().pk
    start = cursor

    def poll():
        nonlocal cursor
        batch = list(selectors.messages_after(fresh(conversation), cursor))
        if batch:
            cursor = batch[-1].pk
            seen.extend(m.pk for m in batch)

    writers = [
        [lambda n=n: services.post_customer_message(fresh(conversation), customer, f"c{n}")]
        for n in range(6)
    ] + [
        [lambda n=n, s=s: services.staff_reply(fresh(conversation), s, f"s{n}")]
        for n in range(6)
        for s in (staff_a, staff_b)
    ]
    outcomes = run_plans([*writers, [poll] * 40])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    poll()
    written = list(
        conversation.messages.filter(pk__gt=start).order_by("pk").values_list("pk", flat=True)
    )
    assert len(written) == 18
    assert seen == written  # each once, in order, none skipped


def test_read_marks_at_once_keep_the_highest(postgres_only, customer, staff):
    conversation = make_conversation(customer, handed_off=True, specialist=staff)
    keys = [services.staff_reply(conversation, staff, f"r{n}").pk for n in range(6)]
    run_at_once(*[lambda k=k: services.mark_read(fresh(conversation), customer, k) for k in keys])
    assert fresh(conversation).customer_read_upto == max(keys)


def test_taking_against_closing_never_leaves_a_closed_conversation_taken(postgres_only):
    specialist = make_staff()
    for _attempt in range(5):
        conversation = make_conversation(handed_off=True)
        results = run_at_once(
            lambda c=conversation: services.take(fresh(c), specialist),
            lambda c=conversation: services.close(fresh(c), c.customer),
        )
        after = fresh(conversation)
        assert after.status == Conversation.Status.CLOSED
        take_result = results[0]
        if isinstance(take_result, Exception):  # the closing came first
            assert take_result.code == "closed"
            assert after.specialist is None
        else:  # taken, then closed
            assert after.specialist == specialist
        assert not isinstance(results[1], Exception), results


def test_a_reply_against_the_erasure_is_saved_before_or_not_found(postgres_only, customer):
    from django.http import Http404

    specialist = make_staff()
    for _attempt in range(3):
        conversation = make_conversation(customer, handed_off=True)
        results = run_at_once(
            # The instance the page loaded: the erasure may have come before the reply.
            lambda c=conversation: services.staff_reply(c, specialist, "hello"),
            lambda: services.erase_customer_data(customer),
        )
        assert isinstance(results[0], (ChatMessage, Http404)), results
        assert not Conversation.objects.filter(pk=conversation.pk).exists()
        assert not ChatMessage.objects.filter(conversation_id=conversation.pk).exists()
