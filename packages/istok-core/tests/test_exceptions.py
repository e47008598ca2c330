import pytest
from django.core.exceptions import ImproperlyConfigured

from istok_core.exceptions import AppNotInstalled, require_app


def test_a_missing_optional_app_is_one_improperly_configured_naming_it_and_its_user():
    with pytest.raises(AppNotInstalled) as refused:
        require_app("istok_nowhere", "istok_loyalty.services.pay_order_with_points")
    assert isinstance(refused.value, ImproperlyConfigured)
    assert refused.value.app_label == "istok_nowhere"
    assert str(refused.value) == (
        "istok_loyalty.services.pay_order_with_points needs istok_nowhere in INSTALLED_APPS."
    )


def test_an_installed_app_is_required_silently():
    require_app("istok_core", "anything")
