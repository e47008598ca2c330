"""The adapter: the loyalty rules a business may want to change, in one class.

Subclass :class:`DefaultLoyaltyAdapter`, override what differs and name your class in
``ISTOK_LOYALTY_ADAPTER``. :func:`get_adapter` returns an instance of it. The defaults
read the ``ISTOK_LOYALTY_*`` settings, so most projects only change settings.
"""

import secrets
from datetime import timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from istok_core.adapters import load_adapter

CENT = Decimal("0.01")


class DefaultLoyaltyAdapter:
    #: Letters and digits of a referral code: no 0/O, 1/I/L, so it can be read aloud.
    code_alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    #: Length of a new referral code.
    code_length = 8

    # Referral codes and links ---------------------------------------------------------------

    def generate_referral_code(self, user):
        """A new random code for ``user``'s account (its uniqueness is checked by the
        caller, which asks again on a clash)."""
        return "".join(secrets.choice(self.code_alphabet) for _ in range(self.code_length))

    def normalize_referral_code(self, code):
        """The code as stored: upper case, without spaces and dashes (people type
        ``abcd-2345``)."""
        return "".join(str(code or "").split()).replace("-", "").upper()[:32]

    def referral_path(self, code):
        """The path of the referral link: the root ``r/<code>/`` when the project includes
        ``istok_loyalty.urls_referral``, else the one under the app's own prefix."""
        for name in ("istok_loyalty_referral_link", "istok_loyalty:referral_link"):
            try:
                return reverse(name, kwargs={"code": code})
            except NoReverseMatch:
                continue
        return ""

    def referral_url(self, code, request=None):
        """The link a customer shares: absolute from ``request`` or ``ISTOK_LOYALTY_SITE_URL``
        when either is there, else a path."""
        path = self.referral_path(code)
        if not path:
            return ""
        if settings.ISTOK_LOYALTY_SITE_URL:
            return settings.ISTOK_LOYALTY_SITE_URL.rstrip("/") + path
        if request is not None:
            return request.build_absolute_uri(path)
        return path

    def signup_url(self):
        """Where the referral landing page sends the visitor to sign up (``None``: no
        button). Default: istok_accounts' signup page, when it is routed."""
        try:
            return reverse("istok_accounts:signup")
        except NoReverseMatch:
            return None

    def can_refer(self, referrer, new_user):
        """Whether ``referrer`` may be credited for ``new_user``: by default when the
        referrer's account is active. Raise ``ValidationError`` with a message to refuse
        (self-referral and a second referral are refused before this is asked)."""
        return True

    def friend_display_name(self, user):
        """How a referred friend is shown to the customer who invited them: their first
        name, else the first letters of the username."""
        first = (getattr(user, "first_name", "") or "").strip()
        if first:
            return first
        username = str(user.get_username())
        return username[:2] + "…" if len(username) > 2 else username

    # Earning ----------------------------------------------------------------------------

    def signup_bonus(self, user):
        """Points given once to a new customer."""
        return int(settings.ISTOK_LOYALTY_SIGNUP_BONUS)

    def profile_completed_bonus(self, user):
        """Points given once when ``user``'s profile reaches 100%."""
        return int(settings.ISTOK_LOYALTY_PROFILE_COMPLETED_BONUS)

    def cashback_status(self):
        """The order status that earns the cashback."""
        return settings.ISTOK_LOYALTY_ORDER_CASHBACK_STATUS

    def order_cashback(self, order):
        """Points earned on ``order`` when it reaches :meth:`cashback_status`: by default
        ``ORDER_CASHBACK_PERCENT`` of its total, in points, rounded down."""
        percent = Decimal(str(settings.ISTOK_LOYALTY_ORDER_CASHBACK_PERCENT))
        money = Decimal(order.total) * percent / 100
        return self.money_to_points(money)

    def referral_confirm_status(self):
        """The order status that confirms a referral."""
        return settings.ISTOK_LOYALTY_REFERRAL_CONFIRM_STATUS

    def referral_bonus(self, referral):
        """Points the referrer earns when ``referral`` is confirmed."""
        return int(settings.ISTOK_LOYALTY_REFERRAL_BONUS)

    def cancelled_statuses(self):
        """The order statuses that give back the points paid for the order."""
        return list(settings.ISTOK_LOYALTY_ORDER_CANCELLED_STATUSES)

    def award_expires_at(self, reason, now=None):
        """When an award given now expires: ``POINTS_EXPIRE_DAYS`` days from now, or
        ``None`` (never). Points given back on a cancelled order and manual adjustments
        never expire by default."""
        days = settings.ISTOK_LOYALTY_POINTS_EXPIRE_DAYS
        if not days or reason in ("order_cancelled", "manual"):
            return None
        return (now or timezone.now()) + timedelta(days=days)

    # Redeeming --------------------------------------------------------------------------

    def point_value(self):
        """What one point is worth, in money."""
        return Decimal(str(settings.ISTOK_LOYALTY_POINT_VALUE))

    def points_to_money(self, points):
        return (Decimal(points) * self.point_value()).quantize(CENT)

    def money_to_points(self, money):
        """How many whole points ``money`` buys (rounded down)."""
        value = self.point_value()
        if value <= 0 or money <= 0:
            return 0
        return int((Decimal(money) / value).to_integral_value(rounding=ROUND_DOWN))

    def max_order_share_percent(self, order):
        """The largest share of ``order``'s subtotal (percent) that points may pay."""
        return Decimal(str(settings.ISTOK_LOYALTY_MAX_ORDER_SHARE_PERCENT))

    def max_points_money(self, order):
        """The most money that points may pay of ``order`` in all, before what they have
        already paid: the share of its subtotal, and never more than what is left of the
        subtotal after the other adjustments (``istok_orders`` refuses more)."""
        share = (Decimal(order.subtotal) * self.max_order_share_percent(order) / 100).quantize(
            CENT, rounding=ROUND_DOWN
        )
        return max(share, Decimal("0.00"))

    def can_pay_order(self, order):
        """Whether points may still pay for ``order``: by default while it is open (not
        delivered, installed or cancelled)."""
        return not getattr(order, "is_closed", False)

    # Promotions chosen for an order -------------------------------------------------------

    def order_promotion_programs(self):
        """The programs whose current promotions a customer may choose from for an order."""
        return list(settings.ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS)

    def promotion_until_status(self):
        """The order status from which a promotion can no longer be chosen."""
        return settings.ISTOK_LOYALTY_PROMOTION_UNTIL_STATUS

    def can_choose_promotion(self, order):
        """Whether a promotion may still be chosen for ``order``: by default while it is
        open and its status comes before :meth:`promotion_until_status` on the orders
        pipeline's progress bar. An order off the bar, or a status the pipeline does not
        have, answers no."""
        if getattr(order, "is_closed", False):
            return False
        from istok_orders import selectors as order_selectors

        states = {step.code: step.state for step in order_selectors.order_progress(order)}
        if "current" not in states.values():
            return False
        return states.get(self.promotion_until_status()) == "upcoming"

    def order_category_slugs(self, order):
        """The codes of the product categories of ``order``'s lines: by default read from
        istok_catalog (``selectors.product_category_slugs``) when it is installed, else
        none. A project with its own product model overrides it."""
        if not apps.is_installed("istok_catalog"):
            return set()
        from istok_catalog import selectors as catalog_selectors

        product_ids = order.lines.values_list("product_id", flat=True)
        return catalog_selectors.product_category_slugs(list(product_ids))

    def category_choices(self):
        """``[(code, name)]`` of the categories a promotion may be limited to (the
        admin's choice): istok_catalog's active categories when it is installed."""
        if not apps.is_installed("istok_catalog"):
            return []
        from istok_catalog import selectors as catalog_selectors

        return [(category.slug, str(category)) for category in catalog_selectors.categories()]

    def promotion_fits_order(self, promotion, order, category_slugs=None):
        """Whether ``promotion`` may be chosen for ``order``: it is chosen for orders
        (``is_choosable``), and when it names categories, the order has a product of one
        of them. ``category_slugs``: the order's, when the caller has them already."""
        if not promotion.is_choosable:
            return False
        if not promotion.category_slugs:
            return True
        if category_slugs is None:
            category_slugs = self.order_category_slugs(order)
        return bool(set(promotion.category_slugs) & set(category_slugs))

    def promotion_discount(self, promotion, order):
        """The amount ``promotion`` takes off ``order``: ``discount_percent`` of its
        subtotal (to the cent, half up) or ``discount_amount``; ``None`` for a promotion
        without a price effect (a gift, a perk)."""
        if promotion.discount_percent is not None:
            money = Decimal(order.subtotal) * promotion.discount_percent / 100
            return money.quantize(CENT, rounding=ROUND_HALF_UP)
        if promotion.discount_amount is not None:
            return Decimal(promotion.discount_amount).quantize(CENT)
        return None


def get_adapter():
    """An instance of the class ``ISTOK_LOYALTY_ADAPTER`` names (normally a subclass of
    :class:`DefaultLoyaltyAdapter`), imported on first use."""
    return load_adapter("ISTOK_LOYALTY_ADAPTER")
