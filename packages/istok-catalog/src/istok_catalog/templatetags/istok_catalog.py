"""Template filters of the catalog pages: ``{% load istok_catalog %}``."""

from django import template
from django.utils.translation import gettext as _

from istok_core.formatting import format_money

register = template.Library()


@register.filter
def istok_money(amount):
    """``{{ amount|istok_money }}``: istok-core's ``money`` filter (kept for templates
    written for istok-catalog 0.1)."""
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
