"""Template filters of the catalog pages: ``{% load istok_catalog %}``."""

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br"}


def format_money(amount):
    """``125000`` -> "125 000 ₽" (grouped in the active language, in ``ISTOK_CURRENCY``)."""
    if amount is None:
        return ""
    decimals = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    currency = getattr(settings, "ISTOK_CURRENCY", "RUB")
    return f"{number}\N{NO-BREAK SPACE}{CURRENCY_SIGNS.get(currency, currency)}"


@register.filter
def istok_money(amount):
    return format_money(amount)


@register.filter
def istok_price(product):
    """A product's price as shown to customers: "from 125 000 ₽" for a minimum price."""
    price = format_money(product.price)
    if product.price_from:
        return _("from %(price)s") % {"price": price}
    return price


@register.filter
def istok_duration(duration):
    """A ``timedelta`` as "1 h 30 min"."""
    if not duration:
        return ""
    minutes = int(duration.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}
