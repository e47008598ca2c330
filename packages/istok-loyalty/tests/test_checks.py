from decimal import Decimal

import pytest
from django.core import checks

from istok_loyalty import checks as loyalty_checks


def ids(errors):
    return [e.id for e in errors]


def test_the_default_settings_pass():
    assert [m for m in checks.run_checks() if m.id.startswith("istok_loyalty")] == []


def test_an_adapter_that_cannot_be_imported(settings):
    settings.ISTOK_LOYALTY_ADAPTER = "nowhere.Adapter"
    assert ids(loyalty_checks.check_adapter(None)) == ["istok_loyalty.E001"]


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("ISTOK_LOYALTY_SIGNUP_BONUS", -1, "istok_loyalty.E002"),
        ("ISTOK_LOYALTY_REFERRAL_BONUS", "100", "istok_loyalty.E002"),
        ("ISTOK_LOYALTY_ORDER_CASHBACK_PERCENT", 3.5, "istok_loyalty.E003"),
        ("ISTOK_LOYALTY_MAX_ORDER_SHARE_PERCENT", 130, "istok_loyalty.E003"),
        ("ISTOK_LOYALTY_POINT_VALUE", Decimal("0"), "istok_loyalty.E004"),
        ("ISTOK_LOYALTY_POINT_VALUE", "abc", "istok_loyalty.E004"),
        ("ISTOK_LOYALTY_POINTS_EXPIRE_DAYS", 0, "istok_loyalty.E005"),
    ],
)
def test_bad_rules_are_reported(settings, name, value, expected):
    setattr(settings, name, value)
    assert ids(loyalty_checks.check_rules(None)) == [expected]


def test_good_rules_pass(settings):
    settings.ISTOK_LOYALTY_ORDER_CASHBACK_PERCENT = Decimal("2.5")
    settings.ISTOK_LOYALTY_POINTS_EXPIRE_DAYS = 365
    settings.ISTOK_LOYALTY_POINT_VALUE = Decimal("0.50")
    assert loyalty_checks.check_rules(None) == []
