"""What the account erasure leaves of a customer's loyalty data
(``services.anonymise_user``): their old referral code is nowhere, the friends they
brought keep their referrals, the ledger keeps its points."""

import pytest

from istok_loyalty import selectors, services
from istok_loyalty.models import Referral
from istok_loyalty.testing.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def friends(customer):
    code = services.get_or_create_account(customer).referral_code
    return code, [
        services.apply_referral(make_customer(), code),
        services.apply_referral(make_customer(), code),
    ]


def test_the_referrals_of_friends_no_longer_hold_the_old_code(customer, friends):
    old_code, referrals = friends
    assert Referral.objects.filter(code=old_code).count() == 2

    account = services.anonymise_user(customer)

    assert not Referral.objects.filter(code=old_code).exists()
    assert set(Referral.objects.values_list("code", flat=True)) == {account.referral_code}
    # The friends keep their referral (and its confirmation, for the referrer's bonus).
    assert [r.referrer_id for r in Referral.objects.filter(pk__in=[r.pk for r in referrals])] == [
        customer.pk
    ] * 2
    assert services.confirm_referral(referrals[0].new_user) is not None
    assert selectors.balance(customer) > 0


def test_the_referral_that_brought_the_erased_customer_keeps_its_referrers_code(
    customer, other_customer
):
    code = services.get_or_create_account(other_customer).referral_code
    services.apply_referral(customer, code)

    services.anonymise_user(customer)

    assert Referral.objects.get(new_user=customer).code == code


def test_other_referrers_codes_are_untouched(customer, friends, other_customer):
    code = services.get_or_create_account(other_customer).referral_code
    theirs = services.apply_referral(make_customer(), code)

    services.anonymise_user(customer)

    assert Referral.objects.get(pk=theirs.pk).code == code


def test_anonymising_twice_keeps_the_codes_in_step(customer, friends):
    services.anonymise_user(customer)
    account = services.anonymise_user(customer)
    assert set(Referral.objects.values_list("code", flat=True)) == {account.referral_code}
