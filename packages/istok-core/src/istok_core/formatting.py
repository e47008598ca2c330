"""Money, points, phone numbers and dates as every istok page, email and admin shows them.

One format across the packages, in the active language:

- money: ``132 300 ₽`` (Russian) and ``132,300 ₽`` (English): grouped by the locale, the
  currency's sign after a no-break space, kopecks only when there are some
  (``392 800,50 ₽``) unless ``ISTOK_MONEY_DECIMALS`` says otherwise;
- points: ``1 балл``, ``2 балла``, ``5 баллов`` (``1 point``, ``5 points``), grouped;
- phones: international, ``+7 912 345-67-89``;
- dates: the locale's ``DATE_FORMAT`` (``29 ноября 2026 г.``).

Template filters: ``{% load istok %}`` (the module ``istok_core.templatetags.istok``).
"""

from decimal import Decimal, InvalidOperation

import phonenumbers
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import ngettext

#: Signs shown instead of an ISO code; any other currency shows its code.
CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "UZS": "сўм"}

NBSP = "\N{NO-BREAK SPACE}"


def currency():
    """The site's currency: ``ISTOK_CURRENCY`` (an ISO 4217 code), default ``"RUB"``."""
    return getattr(settings, "ISTOK_CURRENCY", "RUB") or "RUB"


def currency_sign(code=None):
    """The sign of ``code`` (default: the site's currency): ``"₽"`` for ``"RUB"``."""
    code = code or currency()
    return CURRENCY_SIGNS.get(code, code)


def _decimal(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def format_number(value, decimal_pos=None):
    """``value`` grouped by the active language's rules (a no-break space in Russian)."""
    text = formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)
    # Russian groups with a no-break space already; make sure no locale breaks the number.
    return text.replace(" ", NBSP)


def format_money(amount, code=None, *, decimals=None):
    """``amount`` as money in the active language: ``"132 300 ₽"``, ``"392 800,50 ₽"``.

    ``code``: the currency (default ``ISTOK_CURRENCY``). ``decimals``: ``"auto"`` (kopecks
    only when not zero), ``"always"`` or ``"never"`` (rounded to whole units); default
    ``ISTOK_MONEY_DECIMALS`` (``"auto"``). A value that is not a number is returned as
    text, unchanged; ``None`` is an empty string.
    """
    if amount is None or amount == "":
        return ""
    number = _decimal(amount)
    if number is None:
        return str(amount)
    mode = decimals or getattr(settings, "ISTOK_MONEY_DECIMALS", "auto")
    if mode == "never":
        places = 0
    elif mode == "always":
        places = 2
    else:
        places = 0 if number == number.to_integral_value() else 2
    return f"{format_number(number, places)}{NBSP}{currency_sign(code)}"


def format_points(points):
    """``points`` with its noun in the active language: ``"1 балл"``, ``"1 200 баллов"``."""
    if points is None or points == "":
        return ""
    try:
        count = int(points)
    except (TypeError, ValueError):
        return str(points)
    text = ngettext("%(count)s point", "%(count)s points", count) % {
        "count": format_number(count, 0)
    }
    return text.replace(" ", NBSP)  # the number never wraps away from its noun


def format_phone(phone):
    """A phone number in one display format everywhere: international, grouped
    (``"+7 912 345-67-89"``). Accepts a ``PhoneNumber`` (django-phonenumber-field) or a
    string; what cannot be parsed is shown as given."""
    if not phone:
        return ""
    if isinstance(phone, phonenumbers.PhoneNumber):
        number = phone
    else:
        try:
            number = phonenumbers.parse(str(phone), phone_region())
        except phonenumbers.NumberParseException:
            return str(phone)
    if not phonenumbers.is_possible_number(number):
        return str(phone)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_region():
    """The region a phone number written without ``+`` is read in:
    ``PHONENUMBER_DEFAULT_REGION``, default ``"RU"``."""
    return getattr(settings, "PHONENUMBER_DEFAULT_REGION", None) or "RU"


def phone_example(region=None):
    """An example mobile number of ``region`` (default ``PHONENUMBER_DEFAULT_REGION``) in the one
    display format, for a form's help text and its error message alike:
    ``"+7 912 345-67-89"`` for Russia."""
    region = region or phone_region()
    number = phonenumbers.example_number_for_type(
        region, phonenumbers.PhoneNumberType.MOBILE
    ) or phonenumbers.example_number(region)
    if number is None:
        return "+7 912 345-67-89"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def format_date(value, style="DATE_FORMAT"):
    """A date (or an aware datetime, shown in the current time zone) in the active
    language's ``style`` (``DATE_FORMAT``, ``SHORT_DATE_FORMAT``, ``DATETIME_FORMAT``...)."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, style, use_l10n=True)
