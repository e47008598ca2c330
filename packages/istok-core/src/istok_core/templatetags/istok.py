"""Template filters shared by the istok packages: ``{% load istok %}``.

``{{ order.total|money }}`` → ``392 800,50 ₽``; ``{{ balance|points }}`` → ``1 200 баллов``;
``{{ user.phone|phone }}`` → ``+7 912 345-67-89``; ``{{ order.deadline|istok_date }}``;
``{{ 12500|grouped }}`` → ``12 500``.
``{% money amount currency %}`` names another currency than ``ISTOK_CURRENCY``.
"""

from django import template

from .. import formatting

register = template.Library()


@register.filter
def money(amount, code=None):
    """``{{ amount|money }}`` or ``{{ amount|money:"EUR" }}``."""
    return formatting.format_money(amount, code)


@register.simple_tag(name="money")
def money_tag(amount, code=None):
    """``{% money amount currency %}``: the same as the filter, for a stored currency."""
    return formatting.format_money(amount, code)


@register.filter
def grouped(value):
    """``{{ 12500|grouped }}`` → ``12 500``: a whole number grouped by the language."""
    try:
        return formatting.format_number(int(value), 0)
    except (TypeError, ValueError):
        return value


@register.filter
def points(value):
    return formatting.format_points(value)


@register.filter
def phone(value):
    return formatting.format_phone(value)


@register.filter
def istok_date(value, style="DATE_FORMAT"):
    return formatting.format_date(value, style)
