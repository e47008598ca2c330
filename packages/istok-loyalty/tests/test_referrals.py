"""The referral program without other istok apps: codes, refusals, gifts, confirmation,
the welcome of a new customer (the service any signup flow may call)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from istok_loyalty import selectors, services, signals
from istok_loyalty.models import LoyaltyTransaction, Referral
from istok_loyalty.selectors import REFERRAL_COOKIE_SALT
from istok_loyalty.testing.factories import make_customer, make_promotion

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(customer):
    return services.get_or_create_account(customer).referral_code


@pytest.fixture
def gift(db):
    return make_promotion("Drawer organisers", program="referral")


def refused(call, message):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.message_dict["referral_code"] == [message]


def test_a_new_customer_joins_with_a_code(customer, other_customer, code, gift):
    referral = services.apply_referral(other_customer, code, gift=gift)
    assert (referral.referrer, referral.new_user, referral.code, referral.gift) == (
        customer,
        other_customer,
        code,
        gift,
    )
    assert not referral.confirmed and referral.confirmed_at is None


def test_a_code_is_read_whatever_its_case_spaces_and_dashes(customer, other_customer, code):
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert services.apply_referral(other_customer, typed).referrer == customer


def test_self_referral_is_refused(customer, code):
    refused(
        lambda: services.apply_referral(customer, code), "You cannot use your own referral code."
    )
    assert not Referral.objects.exists()


def test_a_second_referral_for_the_same_customer_is_refused(customer, other_customer, code):
    services.apply_referral(other_customer, code)
    third = make_customer()
    third_code = services.get_or_create_account(third).referral_code
    refused(
        lambda: services.apply_referral(other_customer, third_code),
        "You have already joined with a referral code.",
    )
    assert Referral.objects.get(new_user=other_customer).referrer == customer


@pytest.mark.parametrize("typed", ["NOSUCH22", "", "   "])
def test_an_unknown_or_empty_code_is_refused(other_customer, typed):
    with pytest.raises(ValidationError) as caught:
        services.apply_referral(other_customer, typed)
    assert caught.value.message_dict["referral_code"][0] in (
        "This referral code is unknown or no longer valid.",
        "Enter a referral code.",
    )


def test_an_inactive_code_or_referrer_is_refused(customer, other_customer, code):
    account = selectors.account_of(customer)
    account.referral_enabled = False
    account.save()
    message = "This referral code is unknown or no longer valid."
    refused(lambda: services.apply_referral(other_customer, code), message)
    account.referral_enabled = True
    account.save()
    customer.is_active = False
    customer.save()
    refused(lambda: services.apply_referral(other_customer, code), message)


def test_the_gift_comes_from_the_current_referral_pool(customer, other_customer, code, gift):
    general = make_promotion("Kitchen sale", program="general")
    ended = make_promotion(
        "Old gift",
        program="referral",
        end_date=timezone.localdate() - timedelta(days=1),
        start_date=timezone.localdate() - timedelta(days=10),
    )
    inactive = make_promotion("Hidden gift", program="referral", is_active=False)
    services.apply_referral(other_customer, code)
    for wrong in (general, ended, inactive, 999999, "abc", None):
        with pytest.raises(ValidationError) as caught:
            services.choose_gift(other_customer, wrong)
        assert caught.value.message_dict["gift"] == ["Choose one of the gifts on offer."]
    assert services.choose_gift(other_customer, gift.pk).gift == gift


def test_without_a_referral_there_is_no_gift(other_customer, gift):
    with pytest.raises(ValidationError) as caught:
        services.choose_gift(other_customer, gift)
    assert caught.value.message_dict["gift"] == ["You did not join with a referral code."]


def test_confirmation_credits_the_referrer_exactly_once(customer, other_customer, code, gift):
    services.apply_referral(other_customer, code, gift=gift)
    sent = []
    signals.referral_confirmed.connect(receiver := lambda **kw: sent.append(kw))
    try:
        referral = services.confirm_referral(other_customer)
        assert services.confirm_referral(other_customer) is None
    finally:
        signals.referral_confirmed.disconnect(receiver)
    assert referral.confirmed and referral.confirmed_at is not None
    assert selectors.balance(customer) == 1000
    row = LoyaltyTransaction.objects.get(reason="referral")
    assert (row.idempotency_key, row.source) == (f"referral:{referral.pk}", referral)
    assert selectors.balance(other_customer) == 0
    with pytest.raises(ValidationError) as caught:
        services.choose_gift(other_customer, gift)
    assert "no longer be changed" in caught.value.message_dict["gift"][0]


def test_nothing_to_confirm_without_a_referral(other_customer):
    assert services.confirm_referral(other_customer) is None
    assert not LoyaltyTransaction.objects.exists()


def _request(cookie_code=None):
    request = RequestFactory().get("/")
    if cookie_code:
        # Signed exactly as the referral link's response signs it (Django's own scheme,
        # which changed in 6.1: never sign by hand).
        response = HttpResponse()
        response.set_signed_cookie(
            settings.ISTOK_LOYALTY_REFERRAL_COOKIE_NAME, cookie_code, salt=REFERRAL_COOKIE_SALT
        )
        name = settings.ISTOK_LOYALTY_REFERRAL_COOKIE_NAME
        request.COOKIES[name] = response.cookies[name].value
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_welcome_opens_the_account_gives_the_bonus_once_and_attaches_the_code(
    customer, other_customer, code
):
    account, referral = services.welcome(other_customer, referral_code=code)
    assert account.user == other_customer and referral.referrer == customer
    services.welcome(other_customer)
    assert selectors.balance(other_customer) == 500
    assert LoyaltyTransaction.objects.filter(reason="signup").count() == 1


def test_welcome_reads_the_referral_cookie(customer, other_customer, code):
    request = _request(code)
    _account, referral = services.welcome(other_customer, request=request)
    assert referral.referrer == customer
    assert [m.level_tag for m in get_messages(request)] == ["success"]


def test_welcome_ignores_a_forged_cookie(other_customer, code):
    request = _request()
    request.COOKIES["istok_referral"] = code  # not signed
    assert services.welcome(other_customer, request=request)[1] is None
    assert not Referral.objects.exists()


def test_a_refused_code_at_welcome_keeps_the_account_and_says_why(customer, code):
    request = _request()
    account, referral = services.welcome(customer, request=request, referral_code=code)
    assert referral is None and account.user == customer
    assert selectors.balance(customer) == 500
    assert [str(m) for m in get_messages(request)] == ["You cannot use your own referral code."]


def test_no_signup_bonus_when_it_is_zero(customer, settings):
    settings.ISTOK_LOYALTY_SIGNUP_BONUS = 0
    services.welcome(customer)
    assert selectors.account_of(customer) is not None
    assert not LoyaltyTransaction.objects.exists()
