from django import template

from ..money import format_money

register = template.Library()


@register.simple_tag
def money(amount, currency):
    """``{% money order.total order.currency %}``: "392 800,00 ₽"."""
    return format_money(amount, currency)
