"""Template filters shared by the istok packages: ``{% load istok %}``.

``{{ order.total|money }}`` → ``392 800,50 ₽``; ``{{ balance|points }}`` → ``1 200 баллов``;
``{{ user.phone|phone }}`` → ``+7 912 345-67-89``; ``{{ order.deadline|istok_date }}``;
``{{ 12500|grouped }}`` → ``12 500``.
``{% money amount currency %}`` names another currency than ``ISTOK_CURRENCY``;
``{% steps_position steps as position %}`` says where a step progress stands.
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


@register.simple_tag
def steps_position(steps):
    """``{% steps_position steps as position %}``: where a step progress stands.

    ``steps`` as ``istok_core/includes/steps.html`` takes them (objects or dicts, each
    with ``label`` and ``state``). Returns ``None`` when no step is current (a cancelled order), else a dict:
    ``number`` (of the current step, from 1), ``total``, ``current`` and ``next`` (the
    step after it, or ``None`` at the last one).
    """
    steps = list(steps)
    for index, step in enumerate(steps):
        state = step.get("state") if isinstance(step, dict) else getattr(step, "state", None)
        if state == "current":
            return {
                "number": index + 1,
                "total": len(steps),
                "current": step,
                "next": steps[index + 1] if index + 1 < len(steps) else None,
            }
    return None
