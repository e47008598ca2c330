"""A promotion chosen for an order (istok_orders): one per order, from the current pool of
the ordering programs (``ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS``). Orders are only
touched through ``istok_orders.services`` and read through ``istok_orders.selectors``."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from istok_core.exceptions import require_app
from istok_core.transactions import retrying

from .. import selectors
from ..adapter import get_adapter
from ..models import Promotion, PromotionChoice
from ._ledger import error

#: The start of the reference of a promotion's adjustment on an order; the promotion's
#: primary key follows (``istok_loyalty:promotion:12``).
PROMOTION_REFERENCE = "istok_loyalty:promotion:"
#: The ``source_key`` of a chosen promotion's adjustment: the order's primary key follows
#: (one promotion per order).
ORDER_PROMOTION_SOURCE = "istok_loyalty:order-promotion:"
#: The permission that lets staff choose a promotion for any customer's order.
CHANGE_ANY_ORDER = "istok_orders.change_order"


def _not_on_offer():
    return error("promotion", _("This promotion is not on offer."), "not_current")


def _already_chosen():
    return error("order", _("This order already has a promotion."), "already_chosen")


def _too_late():
    return error("order", _("A promotion can no longer be chosen for this order."), "too_late")


def _promotion_pk(promotion):
    if isinstance(promotion, Promotion):
        return promotion.pk
    if isinstance(promotion, int) and not isinstance(promotion, bool):
        return promotion
    if isinstance(promotion, str) and promotion.strip().isdigit():
        return int(promotion.strip())
    return None


def _order_promotion(promotion, order):
    """``promotion`` (a ``Promotion`` or its primary key), fresh from the database, if it
    is current, in the ordering pool and fits ``order``."""
    pk = _promotion_pk(promotion)
    found = selectors.current_promotions().filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise _not_on_offer()
    adapter = get_adapter()
    if found.program not in adapter.order_promotion_programs() or not found.is_choosable:
        raise error(
            "promotion", _("This promotion cannot be chosen for an order."), "other_program"
        )
    if not adapter.promotion_fits_order(found, order):
        raise error(
            "promotion",
            _("This promotion is for other products than this order's."),
            "other_categories",
        )
    return found


def _may_choose_for(actor, order):
    """Whether ``actor`` may choose a promotion for ``order``: its customer, or staff who
    may change orders. ``None`` (the system: an import, a command) may."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if order.customer_id == actor.pk:
        return True
    return bool(actor.is_staff and actor.has_perm(CHANGE_ANY_ORDER))


def _has_promotion(order):
    if PromotionChoice.objects.filter(order_pk=str(order.pk)).exists():
        return True
    from istok_orders import selectors as order_selectors

    return order_selectors.order_adjustments(order, reference_prefix=PROMOTION_REFERENCE).exists()


@retrying
@transaction.atomic
def apply_promotion(order, promotion, *, actor=None):
    """Give ``order`` the ``promotion`` its customer chose and return the new
    ``PromotionChoice``.

    ``promotion`` (a ``Promotion`` or its primary key) must be current, chosen for
    orders, belong to one of ``ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS`` (general and
    loyalty) and fit the order (the adapter's ``promotion_fits_order``: its categories).
    With a discount,
    the amount (``discount_percent`` of the subtotal, or ``discount_amount``) is added to
    the order as an adjustment of kind "promotion" through
    ``istok_orders.services.add_adjustment``, labelled with the promotion's title, with the
    reference ``istok_loyalty:promotion:<promotion id>``; without one (a gift, a perk) the
    choice is written on the order's timeline as a note the customer sees too
    (``istok_orders.services.add_note``).

    Refused with a ``ValidationError`` and nothing written: a promotion not on offer or
    of another program, another customer's order (``actor`` is a customer; staff with
    ``istok_orders.change_order`` may choose for any order), an order closed or already at
    ``ISTOK_LOYALTY_PROMOTION_UNTIL_STATUS`` or beyond, an order that already has a
    promotion (one per order, also when two requests try at once), and a discount the
    order's subtotal cannot take (istok_orders' error is passed on).

    Raises ``istok_core.exceptions.AppNotInstalled`` (an ``ImproperlyConfigured``) when
    istok_orders is not installed.
    """
    require_app("istok_orders", "istok_loyalty.services.apply_promotion")
    from istok_orders import services as order_services

    # The order's row first (the lock order), and everything decided on it as it is now.
    current = order_services.lock_order(order)
    if not _may_choose_for(actor, current):
        raise error("order", _("This is not your order."), "not_yours")
    promotion = _order_promotion(promotion, current)
    adapter = get_adapter()
    if not adapter.can_choose_promotion(current):
        raise _too_late()
    if _has_promotion(current):
        raise _already_chosen()
    discount = adapter.promotion_discount(promotion, current)
    try:
        with transaction.atomic():
            choice = PromotionChoice.objects.create(
                order_pk=str(current.pk),
                order_number=current.number,
                promotion=promotion,
                user_id=current.customer_id,
                discount=discount,
                created_by_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # A concurrent request chose a promotion for the same order first.
        raise _already_chosen() from None
    if discount is not None:
        # Refused (more than what is left of the subtotal): the error goes to the caller
        # and the transaction, the choice with it, is rolled back.
        order_services.add_adjustment(
            order,
            "promotion",
            discount,
            label=promotion.title,
            reference=f"{PROMOTION_REFERENCE}{promotion.pk}",
            source_key=f"{ORDER_PROMOTION_SOURCE}{current.pk}",
            actor=actor,
        )
    else:
        order_services.add_note(
            order,
            _("Chosen promotion: %(title)s") % {"title": promotion.title},
            actor=actor,
            customer_visible=True,
        )
    return choice
