"""Settings of istok_loyalty, each with its default.

Every setting is read as ``settings.ISTOK_LOYALTY_<NAME>`` (django-appconf fills in the
default when the project does not set it). The rules they set are applied by the adapter
(``ISTOK_LOYALTY_ADAPTER``): override one of its methods for a rule a number cannot say.
"""

from decimal import Decimal

from appconf import AppConf
from django.conf import settings  # noqa: F401  (AppConf needs settings imported here)


class IstokLoyaltyConf(AppConf):
    #: Dotted path to the adapter class: the earning and redeeming rules, referral codes
    #: and links, gifts. Imported when first needed.
    ADAPTER = "istok_loyalty.adapter.DefaultLoyaltyAdapter"

    #: What one point is worth in the site's currency (``ISTOK_CURRENCY``) when it pays
    #: for an order, and what cashback is counted in. A ``Decimal``.
    POINT_VALUE = Decimal("1.00")

    #: Points given once when a customer signs up (``istok_accounts``' ``user_signed_up``,
    #: or :func:`istok_loyalty.services.welcome`). ``0``: none.
    SIGNUP_BONUS = 500

    #: Points given once when the customer's profile reaches 100% (needs
    #: ``istok_accounts``). ``0``: none.
    PROFILE_COMPLETED_BONUS = 300

    #: Cashback: this percentage of an order's total (after its discounts and points),
    #: in points, when the order reaches ``ORDER_CASHBACK_STATUS`` (needs
    #: ``istok_orders``). A ``Decimal`` or a whole number; ``0``: no cashback.
    ORDER_CASHBACK_PERCENT = Decimal("3")

    #: The order status that earns the cashback: by default "delivered", the first status
    #: after which an order can no longer be cancelled or changed.
    ORDER_CASHBACK_STATUS = "delivered"

    #: The order statuses that give back the points paid for an order.
    ORDER_CANCELLED_STATUSES = ["cancelled"]

    #: Points the customer who recommended the portal earns when the friend's first order
    #: reaches ``REFERRAL_CONFIRM_STATUS``. ``0``: none (the referral is still confirmed).
    REFERRAL_BONUS = 1000

    #: The order status that confirms a referral: by default "production", i.e. the
    #: friend has signed the contract and it went to the workshop.
    REFERRAL_CONFIRM_STATUS = "production"

    #: The programs whose current promotions a customer may choose one from for an order
    #: (``services.apply_promotion``, the "choose a promotion" page; needs
    #: ``istok_orders``). The referral program's promotions are the gifts for joining.
    ORDER_PROMOTION_PROGRAMS = ["general", "loyalty"]

    #: The order status from which a promotion can no longer be chosen: only an open order
    #: still before it in ``ISTOK_ORDERS_PIPELINE`` gets one (by default, before the
    #: contract goes into production).
    PROMOTION_UNTIL_STATUS = "production"

    #: The largest share of an order's subtotal (in percent) that points may pay.
    MAX_ORDER_SHARE_PERCENT = 30

    #: Days after which earned points expire (each award carries its own expiry date).
    #: ``None``: points never expire. Run ``istok_loyalty_expire`` daily when it is set.
    POINTS_EXPIRE_DAYS = None

    #: How far ahead the customer is warned about expiring points, in days.
    EXPIRING_SOON_DAYS = 30

    #: Name of the signed cookie that remembers a referral code from ``/r/<code>/`` until
    #: the visitor signs up.
    REFERRAL_COOKIE_NAME = "istok_referral"

    #: How long that cookie lives, in seconds (30 days).
    REFERRAL_COOKIE_MAX_AGE = 30 * 24 * 60 * 60

    #: Scheme and host put before referral links built outside a request
    #: (``"https://mebel.example"``). Empty: the link is built from the request, or is a
    #: path.
    SITE_URL = ""

    #: Ledger rows per page of the points history (page and API).
    HISTORY_PAGE_SIZE = 20

    #: Attempts to pay an order with points per customer, the page and the API counted
    #: together (``"30/hour"``, as DRF writes rates; ``None``: no limit). Over it: HTTP 429
    #: with ``Retry-After``, nothing paid.
    PAY_RATE = "30/hour"

    class Meta:
        prefix = "ISTOK_LOYALTY"
