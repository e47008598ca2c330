"""System checks of istok_loyalty (``manage.py check``).

- ``E001``: ``ISTOK_LOYALTY_ADAPTER`` cannot be imported.
- ``E002``: a bonus setting is not a whole number ≥ 0.
- ``E003``: a percentage setting is not a number from 0 to 100.
- ``E004``: ``ISTOK_LOYALTY_POINT_VALUE`` is not a positive amount.
- ``E005``: ``ISTOK_LOYALTY_POINTS_EXPIRE_DAYS`` is neither ``None`` nor a whole number ≥ 1.
- ``E006``: ``ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS`` names a program promotions do not
  have.
- ``W001``: with istok_orders installed, ``ORDER_CASHBACK_STATUS``,
  ``REFERRAL_CONFIRM_STATUS``, ``ORDER_CANCELLED_STATUSES`` or ``PROMOTION_UNTIL_STATUS``
  names a status that ``ISTOK_ORDERS_PIPELINE`` does not have (so that rule never
  applies).
"""

from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

BONUSES = ("SIGNUP_BONUS", "PROFILE_COMPLETED_BONUS", "REFERRAL_BONUS")
PERCENTAGES = ("ORDER_CASHBACK_PERCENT", "MAX_ORDER_SHARE_PERCENT")


def _error(msg, id, hint=None):
    return checks.Error(msg, hint=hint, id=f"istok_loyalty.{id}")


def _setting(name):
    return getattr(settings, f"ISTOK_LOYALTY_{name}")


def _decimal(value):
    if isinstance(value, bool | float):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


@checks.register()
def check_adapter(app_configs, **kwargs):
    try:
        import_string(settings.ISTOK_LOYALTY_ADAPTER)
    except ImportError:
        return [
            _error(
                f"ISTOK_LOYALTY_ADAPTER: cannot import {settings.ISTOK_LOYALTY_ADAPTER!r}.",
                "E001",
            )
        ]
    return []


@checks.register()
def check_rules(app_configs, **kwargs):
    errors = []
    for name in BONUSES:
        value = _setting(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(
                _error(f"ISTOK_LOYALTY_{name} must be a whole number ≥ 0, not {value!r}.", "E002")
            )
    for name in PERCENTAGES:
        number = _decimal(_setting(name))
        if number is None or not 0 <= number <= 100:
            errors.append(
                _error(
                    f"ISTOK_LOYALTY_{name} must be a number from 0 to 100, "
                    f"not {_setting(name)!r}.",
                    "E003",
                    hint="Use an int or a Decimal, never a float.",
                )
            )
    value = _decimal(_setting("POINT_VALUE"))
    if value is None or value <= 0:
        errors.append(
            _error(
                "ISTOK_LOYALTY_POINT_VALUE must be a positive amount, "
                f"not {_setting('POINT_VALUE')!r}.",
                "E004",
                hint='Use a Decimal, e.g. Decimal("1.00").',
            )
        )
    days = _setting("POINTS_EXPIRE_DAYS")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 1):
        errors.append(
            _error(
                f"ISTOK_LOYALTY_POINTS_EXPIRE_DAYS must be None or a whole number ≥ 1, "
                f"not {days!r}.",
                "E005",
            )
        )
    from .models import Promotion

    programs = _setting("ORDER_PROMOTION_PROGRAMS")
    if not isinstance(programs, list | tuple) or not all(
        p in Promotion.Program.values for p in programs
    ):
        errors.append(
            _error(
                "ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS must be a list of programs "
                f"({', '.join(Promotion.Program.values)}), not {programs!r}.",
                "E006",
            )
        )
    return errors


@checks.register()
def check_order_statuses(app_configs, **kwargs):
    if not apps.is_installed("istok_orders"):
        return []
    pipeline = getattr(settings, "ISTOK_ORDERS_PIPELINE", None) or []
    codes = {entry.get("status") for entry in pipeline if isinstance(entry, dict)}
    if not codes:
        return []
    named = [
        ("ORDER_CASHBACK_STATUS", [_setting("ORDER_CASHBACK_STATUS")]),
        ("REFERRAL_CONFIRM_STATUS", [_setting("REFERRAL_CONFIRM_STATUS")]),
        ("ORDER_CANCELLED_STATUSES", list(_setting("ORDER_CANCELLED_STATUSES"))),
        ("PROMOTION_UNTIL_STATUS", [_setting("PROMOTION_UNTIL_STATUS")]),
    ]
    warnings = []
    for name, statuses in named:
        for status in statuses:
            if status not in codes:
                warnings.append(
                    checks.Warning(
                        f"ISTOK_LOYALTY_{name} names the order status {status!r}, which "
                        "ISTOK_ORDERS_PIPELINE does not have: that rule never applies.",
                        id="istok_loyalty.W001",
                    )
                )
    return warnings
