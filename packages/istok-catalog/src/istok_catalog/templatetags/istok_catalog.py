"""Template filters of the catalog pages: ``{% load istok_catalog %}``."""

from django import template
from django.utils.http import urlencode
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


def _without(query, name, value=None):
    """``query`` (a QueryDict) as a query string without ``name`` (or one of its values),
    and without ``page``: a result changed by a filter starts at its first page."""
    pairs = [
        (key, item)
        for key, items in query.lists()
        for item in items
        if key != "page" and not (key == name and (value is None or item == value))
    ]
    return f"?{urlencode(pairs)}" if pairs else "?"


@register.simple_tag(takes_context=True)
def istok_active_filters(context):
    """What the visitor chose, each with the link that removes it: the list page's chips.

    ``{% istok_active_filters as chosen %}``: a list of ``{"label", "url", "name"}`` in the
    sidebar's order (the search, the facets, the price), ``url`` a query string.
    """
    query = context["request"].GET
    chosen = []
    if context.get("query"):
        chosen.append(
            {
                "name": "q",
                "label": _("“%(query)s”") % {"query": context["query"]},
                "url": _without(query, "q"),
            }
        )
    for dimension in context["facets"]["dimensions"]:
        for option in dimension["options"]:
            if option["selected"]:
                chosen.append(
                    {
                        "name": dimension["name"],
                        "label": option["label"],
                        "url": _without(query, dimension["name"], str(option["value"])),
                    }
                )
    for name, text in (("price_min", _("from %(price)s")), ("price_max", _("up to %(price)s"))):
        if context.get(name) is not None:
            chosen.append(
                {
                    "name": name,
                    "label": text % {"price": format_money(context[name])},
                    "url": _without(query, name),
                }
            )
    return chosen
