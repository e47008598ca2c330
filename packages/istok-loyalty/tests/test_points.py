"""The ledger: earning, redeeming, adjusting, idempotency, expiry, verification."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from istok_loyalty import selectors, services, signals
from istok_loyalty.models import LoyaltyAccount, LoyaltyTransaction, PointsAllocation
from istok_loyalty.services import InsufficientPoints

pytestmark = pytest.mark.django_db


def ledger_sum(user):
    return (
        LoyaltyTransaction.objects.filter(account__user=user).aggregate(s=Sum("delta"))["s"] or 0
    )


def test_an_account_is_opened_on_first_use_with_a_unique_readable_code(customer, other_customer):
    assert selectors.account_of(customer) is None
    account = services.get_or_create_account(customer)
    assert account.balance == 0
    assert len(account.referral_code) == 8
    assert not set(account.referral_code) & set("0O1IL")
    assert services.get_or_create_account(customer) == account
    assert services.get_or_create_account(other_customer).referral_code != account.referral_code


def test_a_clash_of_referral_codes_draws_another(customer, other_customer, monkeypatch):
    from istok_loyalty.adapter import DefaultLoyaltyAdapter

    first = services.get_or_create_account(customer)
    codes = iter([first.referral_code, "FRESH234"])
    monkeypatch.setattr(DefaultLoyaltyAdapter, "generate_referral_code", lambda s, u: next(codes))
    assert services.get_or_create_account(other_customer).referral_code == "FRESH234"


def test_earn_adds_a_row_and_the_balance_follows(customer):
    row = services.earn(customer, 500, reason="signup")
    assert (row.type, row.reason, row.points, row.delta, row.balance_after) == (
        "earn",
        "signup",
        500,
        500,
        500,
    )
    services.earn(customer, 250, reason="order_cashback", reference="2026-00001")
    assert selectors.balance(customer) == 750 == ledger_sum(customer)


def test_redeem_takes_points_and_records_the_balance_after(customer):
    services.earn(customer, 1000, reason="signup")
    row = services.redeem(customer, 300)
    assert (row.type, row.delta, row.balance_after) == ("redeem", -300, 700)
    assert selectors.balance(customer) == 700 == ledger_sum(customer)


def test_redeem_more_than_balance_is_refused_and_writes_nothing(customer):
    services.earn(customer, 100, reason="signup")
    with pytest.raises(InsufficientPoints) as caught:
        services.redeem(customer, 101)
    assert caught.value.message_dict["points"] == ["You have 100 points: 101 cannot be taken."]
    assert isinstance(caught.value, ValidationError)
    assert LoyaltyTransaction.objects.count() == 1
    assert selectors.balance(customer) == 100


def test_redeem_without_an_account_is_refused(customer):
    with pytest.raises(InsufficientPoints):
        services.redeem(customer, 1)
    assert not LoyaltyTransaction.objects.exists()


@pytest.mark.parametrize("points", [0, -5, "abc", None, True, 2.5, "1.5", 10**12 + 1])
def test_bad_points_are_refused(customer, points):
    with pytest.raises(ValidationError) as caught:
        services.earn(customer, points, reason="signup")
    assert "points" in caught.value.message_dict
    assert not LoyaltyTransaction.objects.exists()


def test_the_same_idempotency_key_twice_writes_one_row(customer):
    first = services.earn(customer, 500, reason="signup", idempotency_key="signup:1")
    second = services.earn(customer, 500, reason="signup", idempotency_key="signup:1")
    assert first == second
    assert LoyaltyTransaction.objects.count() == 1
    assert selectors.balance(customer) == 500


def test_adjust_adds_or_takes_away_with_a_reason(customer, staff):
    services.adjust(customer, 200, note="Compensation for a late delivery", actor=staff)
    row = services.adjust(customer, -50, note="Correction", actor=staff)
    assert (row.type, row.reason, row.delta, row.created_by) == ("adjust", "manual", -50, staff)
    assert selectors.balance(customer) == 150 == ledger_sum(customer)


def test_adjust_needs_a_reason_and_cannot_go_below_zero(customer):
    with pytest.raises(ValidationError) as caught:
        services.adjust(customer, 10, note=" ")
    assert "note" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.adjust(customer, 0, note="zero")
    assert "points" in caught.value.message_dict
    with pytest.raises(InsufficientPoints):
        services.adjust(customer, -1, note="too much")
    assert not LoyaltyTransaction.objects.exists()


def test_the_database_refuses_a_negative_balance(customer):
    services.earn(customer, 10, reason="signup")
    with pytest.raises(IntegrityError), transaction.atomic():
        LoyaltyAccount.objects.filter(user=customer).update(balance=-1)


def test_the_database_refuses_a_row_whose_sign_contradicts_its_type(customer):
    account = services.get_or_create_account(customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoyaltyTransaction.objects.create(
            account=account, type="earn", reason="signup", points=5, delta=-5, balance_after=0
        )


def test_signals_are_sent_after_commit(customer, django_capture_on_commit_callbacks):
    earned, redeemed = [], []

    def on_earned(sender, user, account, transaction, **kwargs):
        earned.append((user, account.balance, transaction.points))

    def on_redeemed(sender, user, account, transaction, **kwargs):
        redeemed.append((user, account.balance, transaction.points))

    signals.points_earned.connect(on_earned)
    signals.points_redeemed.connect(on_redeemed)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.earn(customer, 100, reason="signup")
        assert earned == []
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            services.redeem(customer, 40)
    finally:
        signals.points_earned.disconnect(on_earned)
        signals.points_redeemed.disconnect(on_redeemed)
    assert earned == [(customer, 100, 100)]
    assert redeemed == [(customer, 60, 40)]


# Expiry ---------------------------------------------------------------------------------


def test_awards_carry_the_expiry_of_the_setting(customer, settings):
    assert services.earn(customer, 10, reason="signup").expires_at is None
    settings.ISTOK_LOYALTY_POINTS_EXPIRE_DAYS = 365
    row = services.earn(customer, 10, reason="order_cashback")
    assert row.expires_at - row.created == pytest.approx(timedelta(days=365), abs=timedelta(1))
    manual = services.adjust(customer, 10, note="gift")
    assert manual.expires_at is None


def test_redemption_spends_the_oldest_points_first(customer):
    now = timezone.now()
    old = services.earn(customer, 100, reason="signup", expires_at=now + timedelta(days=10))
    new = services.earn(customer, 100, reason="signup", expires_at=now + timedelta(days=300))
    debit = services.redeem(customer, 150)
    spent = dict(PointsAllocation.objects.filter(debit=debit).values_list("credit", "points"))
    assert spent == {old.pk: 100, new.pk: 50}


def test_expiry_takes_what_is_left_of_an_award_once(customer):
    now = timezone.now()
    due = services.earn(customer, 100, reason="signup", expires_at=now - timedelta(minutes=1))
    services.earn(customer, 300, reason="signup", expires_at=now + timedelta(days=300))
    services.redeem(customer, 60)  # spends 60 of the oldest (due) award
    rows = services.expire_due()
    assert [(r.type, r.points, r.reason, r.source) for r in rows] == [
        ("expire", 40, "expired", due)
    ]
    assert selectors.balance(customer) == 300 == ledger_sum(customer)
    assert services.expire_due() == []
    assert selectors.balance(customer) == 300


def test_an_award_spent_entirely_has_nothing_to_expire(customer):
    services.earn(customer, 50, reason="signup", expires_at=timezone.now() - timedelta(days=1))
    services.redeem(customer, 50)
    assert services.expire_due() == []


def test_the_expire_command_is_idempotent(customer):
    services.earn(customer, 70, reason="signup", expires_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("istok_loyalty_expire", stdout=out)
    assert "Expired 70 points in 1 award(s)." in out.getvalue()
    call_command("istok_loyalty_expire", stdout=out)
    assert "Expired 0 points in 0 award(s)." in out.getvalue()
    assert selectors.balance(customer) == 0


def test_the_customer_sees_what_expires_soon_by_day(customer, settings):
    settings.ISTOK_LOYALTY_EXPIRING_SOON_DAYS = 30
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    day = noon + timedelta(days=5)
    services.earn(customer, 100, reason="signup", expires_at=day)
    services.earn(customer, 5, reason="signup", expires_at=day + timedelta(hours=3))
    services.earn(customer, 200, reason="signup", expires_at=noon + timedelta(days=20))
    services.earn(customer, 400, reason="signup", expires_at=noon + timedelta(days=90))
    services.earn(customer, 800, reason="signup", expires_at=None)
    services.redeem(customer, 30)  # from the oldest award, the first above
    expiring = selectors.expiring_soon(selectors.account_of(customer))
    assert [(e.date, e.points) for e in expiring] == [
        (day.date(), 75),
        ((noon + timedelta(days=20)).date(), 200),
    ]


# Verification ---------------------------------------------------------------------------


def test_verify_passes_when_every_balance_matches(customer, other_customer):
    services.earn(customer, 100, reason="signup")
    services.redeem(customer, 30)
    services.earn(other_customer, 5, reason="signup")
    out = StringIO()
    call_command("istok_loyalty_verify", stdout=out)
    assert "All 2 account(s) match their ledger." in out.getvalue()


def test_verify_exits_non_zero_and_lists_a_mismatch(customer, other_customer):
    services.earn(customer, 100, reason="signup")
    services.earn(other_customer, 100, reason="signup")
    LoyaltyAccount.objects.filter(user=customer).update(balance=90)
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("istok_loyalty_verify", stderr=err)
    assert caught.value.code == 1
    account = selectors.account_of(customer)
    assert f"account {account.pk} (user {customer.pk}): balance 90, ledger sum 100" in (
        err.getvalue()
    )
    assert "1 account(s) do not match their ledger." in err.getvalue()


# Speed ----------------------------------------------------------------------------------


def test_reading_the_balance_is_one_query(customer, django_assert_num_queries):
    services.earn(customer, 10, reason="signup")
    with django_assert_num_queries(1):
        assert selectors.balance(customer) == 10


def test_a_write_takes_the_same_queries_however_long_the_ledger(
    customer, django_assert_max_num_queries
):
    services.earn(customer, 10, reason="signup")
    with django_assert_max_num_queries(12) as short:
        services.redeem(customer, 1)
    for _ in range(150):
        services.earn(customer, 1, reason="other")
    with django_assert_max_num_queries(len(short.captured_queries)):
        services.redeem(customer, 1)
