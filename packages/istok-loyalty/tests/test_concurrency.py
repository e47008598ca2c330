"""Races that only a real database with concurrent transactions shows (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from istok_core.testing import run_at_once
from istok_loyalty import selectors, services
from istok_loyalty.models import LoyaltyAccount, LoyaltyTransaction, Referral
from istok_loyalty.services import InsufficientPoints
from istok_loyalty.testing.factories import make_customer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def ledger_sum(user):
    total = LoyaltyTransaction.objects.filter(account__user=user).aggregate(s=Sum("delta"))["s"]
    return total or 0


def test_fifty_threads_redeeming_and_earning_lose_nothing(postgres_only, customer):
    services.earn(customer, 1000, reason="signup")
    redeem = [lambda: services.redeem(customer, 60)] * 25  # 1500 asked of 1000 + 250
    earn = [lambda: services.earn(customer, 10, reason="other")] * 25
    results = run_at_once(*[call for pair in zip(redeem, earn, strict=True) for call in pair])

    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, InsufficientPoints)
    ]
    assert not unexpected, unexpected
    redeemed = [r for r in results if isinstance(r, LoyaltyTransaction) and r.type == "redeem"]
    earned = [r for r in results if isinstance(r, LoyaltyTransaction) and r.type == "earn"]
    assert len(earned) == 25
    # No lost update and never below zero. (How many redemptions fit depends on how the
    # threads interleave with the awards: a refusal early may be followed by awards.)
    balance = selectors.balance(customer)
    assert balance == 1000 + 25 * 10 - 60 * len(redeemed)
    assert balance >= 0
    assert len(redeemed) + sum(isinstance(r, InsufficientPoints) for r in results) == 25
    assert balance == ledger_sum(customer)
    # The balance_after of the rows tells one consistent story.
    rows = LoyaltyTransaction.objects.filter(account__user=customer).order_by("pk")
    running = 0
    for row in rows:
        running += row.delta
        assert row.balance_after == running
    assert selectors.balance_mismatches() == []


def test_the_same_award_sent_at_once_with_one_key_writes_one_row(postgres_only, customer):
    results = run_at_once(
        *[lambda: services.earn(customer, 300, reason="order_cashback", idempotency_key="k")] * 10
    )
    assert all(isinstance(r, LoyaltyTransaction) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert LoyaltyTransaction.objects.filter(idempotency_key="k").count() == 1
    assert selectors.balance(customer) == 300


def test_concurrent_first_uses_open_one_account(postgres_only, customer):
    results = run_at_once(*[lambda: services.get_or_create_account(customer)] * 8)
    assert all(isinstance(r, LoyaltyAccount) for r in results), results
    assert LoyaltyAccount.objects.filter(user=customer).count() == 1


def test_two_concurrent_signups_with_the_same_referral_make_one_referral(postgres_only, customer):
    code = services.get_or_create_account(customer).referral_code
    for _attempt in range(5):
        friend = make_customer()
        results = run_at_once(
            lambda f=friend: services.apply_referral(f, code),
            lambda f=friend: services.apply_referral(f, code.lower()),
        )
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1, results
        assert isinstance(errors[0], ValidationError)
        assert errors[0].message_dict["referral_code"] == [
            "You have already joined with a referral code."
        ]
        assert Referral.objects.filter(new_user=friend).count() == 1


def test_a_referral_confirmed_at_once_credits_the_referrer_once(postgres_only, customer):
    friend = make_customer()
    services.apply_referral(friend, services.get_or_create_account(customer).referral_code)
    results = run_at_once(*[lambda: services.confirm_referral(friend)] * 6)
    confirmed = [r for r in results if isinstance(r, Referral)]
    assert len(confirmed) == 1, results
    assert results.count(None) == 5
    assert selectors.balance(customer) == 1000
    assert LoyaltyTransaction.objects.filter(reason="referral").count() == 1
