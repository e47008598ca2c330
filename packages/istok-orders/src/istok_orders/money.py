"""Amounts of money as customers read them: "1 500,00 ₽" in Russian, "1,500.00 ₽" in English."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

#: Signs shown instead of the ISO code; any other currency shows its code.
CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br"}


def format_money(amount, currency):
    """``amount`` (a Decimal, or its string as stored in an event) with two decimals,
    grouped in the active language, and the currency's sign."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    sign = CURRENCY_SIGNS.get(currency, currency)
    return f"{number_format(value, 2, force_grouping=True)}\N{NO-BREAK SPACE}{sign}"
