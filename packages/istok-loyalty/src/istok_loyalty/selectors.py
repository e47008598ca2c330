"""Read queries shared by the pages, the API, the admin, the commands and other apps."""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .adapter import get_adapter
from .models import (
    LoyaltyAccount,
    LoyaltyTransaction,
    News,
    PointsAllocation,
    Promotion,
    PromotionChoice,
    Referral,
)

#: The salt of the referral cookie's signature.
REFERRAL_COOKIE_SALT = "istok_loyalty.referral"


# Accounts and the ledger ------------------------------------------------------------------


def account_of(user):
    """The loyalty account of ``user`` (one indexed row), or ``None`` (no account yet, or
    an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return LoyaltyAccount.objects.filter(user_id=user.pk).first()


def balance(user):
    """The balance of ``user``: one indexed row; ``0`` without an account."""
    if getattr(user, "pk", None) is None:
        return 0
    value = LoyaltyAccount.objects.filter(user_id=user.pk).values_list("balance", flat=True)
    return value.first() or 0


def history(account):
    """The ledger of ``account``, newest first (paginate it: it only grows)."""
    if account is None:
        return LoyaltyTransaction.objects.none()
    return LoyaltyTransaction.objects.filter(account=account).order_by("-created", "-pk")


@dataclass(frozen=True)
class ExpiringPoints:
    """Points that expire on ``date`` (the site's local date)."""

    date: object
    points: int


def expiring_soon(account, *, now=None, days=None):
    """What is left of ``account``'s awards that expires within ``days``
    (``ISTOK_LOYALTY_EXPIRING_SOON_DAYS``), by day, soonest first: a list of
    :class:`ExpiringPoints`, at most one per day. One query over the awards of that
    window."""
    if account is None:
        return []
    now = now or timezone.now()
    days = settings.ISTOK_LOYALTY_EXPIRING_SOON_DAYS if days is None else days
    spent = (
        PointsAllocation.objects.filter(credit=OuterRef("pk"))
        .values("credit")
        .annotate(total=Sum("points"))
        .values("total")
    )
    rows = (
        LoyaltyTransaction.objects.filter(
            account=account,
            delta__gt=0,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=days),
        )
        .annotate(left=F("points") - Coalesce(Subquery(spent), Value(0)))
        .filter(left__gt=0)
        # The day in the site's time zone, summed in the database: at most ``days`` rows.
        .annotate(day=TruncDate("expires_at"))
        .values("day")
        .annotate(total=Sum("left"))
        .order_by("day")
        .values_list("day", "total")
    )
    return [ExpiringPoints(day, int(total)) for day, total in rows]


def order_transactions(order):
    """The ledger rows caused by ``order`` (payments, refunds, cashback)."""
    content_type = ContentType.objects.get_for_model(order)
    return LoyaltyTransaction.objects.filter(content_type=content_type, object_id=str(order.pk))


def points_paid_for_order(order):
    """How many points pay for ``order`` now: redeemed on it, less any given back."""
    total = (
        order_transactions(order)
        .filter(
            reason__in=[
                LoyaltyTransaction.Reason.REDEEMED_ON_ORDER,
                LoyaltyTransaction.Reason.ORDER_CANCELLED,
            ]
        )
        .aggregate(total=Sum("delta"))["total"]
    )
    return -(total or 0)


@dataclass(frozen=True)
class Mismatch:
    account_id: int
    user_id: int
    balance: int
    ledger_sum: int
    last_balance_after: int | None
    awards_left: int

    def describe(self):
        return (
            f"account {self.account_id} (user {self.user_id}): balance {self.balance}, "
            f"ledger sum {self.ledger_sum}, last balance_after {self.last_balance_after}, "
            f"awards left {self.awards_left}"
        )


def balance_mismatches():
    """Every account whose cached balance differs from the sum of its ledger, from the
    ``balance_after`` of its last row, or from what is left of its awards."""
    last = LoyaltyTransaction.objects.filter(account=OuterRef("pk")).order_by("-created", "-pk")
    ledger = (
        LoyaltyTransaction.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("delta"))
        .values("total")
    )
    spent = (
        PointsAllocation.objects.filter(credit__account=OuterRef("pk"))
        .values("credit__account")
        .annotate(total=Sum("points"))
        .values("total")
    )
    awarded = (
        LoyaltyTransaction.objects.filter(account=OuterRef("pk"), delta__gt=0)
        .values("account")
        .annotate(total=Sum("points"))
        .values("total")
    )
    accounts = LoyaltyAccount.objects.annotate(
        ledger_sum=Coalesce(Subquery(ledger), Value(0)),
        last_balance_after=Subquery(last.values("balance_after")[:1]),
        awards_left=Coalesce(Subquery(awarded), Value(0)) - Coalesce(Subquery(spent), Value(0)),
    ).filter(
        ~Q(balance=F("ledger_sum"))
        | ~Q(balance=F("awards_left"))
        | ~Q(balance=Coalesce(F("last_balance_after"), Value(0)))
    )
    return [
        Mismatch(a.pk, a.user_id, a.balance, a.ledger_sum, a.last_balance_after, a.awards_left)
        for a in accounts.order_by("pk")
    ]


# Referrals -------------------------------------------------------------------------------


def referral_code_from_request(request):
    """The referral code the signed cookie of the referral link remembers, or ``""``."""
    if request is None or not hasattr(request, "get_signed_cookie"):
        return ""
    return request.get_signed_cookie(
        settings.ISTOK_LOYALTY_REFERRAL_COOKIE_NAME,
        default="",
        salt=REFERRAL_COOKIE_SALT,
        max_age=settings.ISTOK_LOYALTY_REFERRAL_COOKIE_MAX_AGE,
    )


def referrals_made(user):
    """The friends ``user`` invited, newest first, with their gift."""
    return Referral.objects.filter(referrer_id=user.pk).select_related("new_user", "gift")


def referral_of(user):
    """The referral ``user`` joined with, or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Referral.objects.select_related("gift").filter(new_user_id=user.pk).first()


def referral_link(account, request=None):
    """The link ``account``'s owner shares (absolute when possible)."""
    if account is None:
        return ""
    return get_adapter().referral_url(account.referral_code, request)


# Promotions and news ------------------------------------------------------------------------


def current_promotions(program=None, today=None):
    """The current promotions, of ``program`` when given."""
    promotions = Promotion.objects.current(today)
    if program:
        promotions = promotions.filter(program=program)
    return promotions


def promotion_pool(program, today=None):
    """The current promotions of ``program`` (general, loyalty, referral) a customer may
    choose from: the referral gifts, or a promotion chosen when ordering."""
    return Promotion.objects.pool(program, today)


def order_promotion_pool(today=None, *, order=None):
    """The current promotions a customer may choose one from for an order: those of the
    programs ``ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS`` names (general and loyalty) that
    are chosen for orders. With ``order``, only those that fit it (the adapter's
    ``promotion_fits_order``: a promotion for kitchens is not offered for a wardrobe)."""
    adapter = get_adapter()
    pool = Promotion.objects.current(today).filter(
        program__in=adapter.order_promotion_programs(), is_choosable=True
    )
    if order is None:
        return pool
    slugs = adapter.order_category_slugs(order)
    fitting = [p.pk for p in pool if adapter.promotion_fits_order(p, order, slugs)]
    return pool.filter(pk__in=fitting)


def promotion_choice_for_order(order):
    """The promotion chosen for ``order`` (a ``PromotionChoice``), or ``None``."""
    return (
        PromotionChoice.objects.select_related("promotion").filter(order_pk=str(order.pk)).first()
    )


def promotion_choices(user):
    """The promotions ``user`` chose for their orders, newest first."""
    if getattr(user, "pk", None) is None:
        return PromotionChoice.objects.none()
    return PromotionChoice.objects.filter(user_id=user.pk).select_related("promotion")


def published_news(now=None):
    return News.objects.published(now)


# Rules ------------------------------------------------------------------------------------


def earning_rules(user=None):
    """What the "how to earn" section says: the current rules, as numbers."""
    adapter = get_adapter()
    rules = {
        "signup_bonus": adapter.signup_bonus(user),
        # Earned and spent on orders: nothing to promise without istok_orders.
        "referral_bonus": 0,
        "max_order_share_percent": 0,
        "point_value": adapter.point_value(),
        "expire_days": settings.ISTOK_LOYALTY_POINTS_EXPIRE_DAYS,
        "profile_completed_bonus": 0,
        "cashback_percent": 0,
    }
    if apps.is_installed("istok_accounts"):
        rules["profile_completed_bonus"] = adapter.profile_completed_bonus(user)
    if apps.is_installed("istok_orders"):
        rules["cashback_percent"] = settings.ISTOK_LOYALTY_ORDER_CASHBACK_PERCENT
        rules["referral_bonus"] = settings.ISTOK_LOYALTY_REFERRAL_BONUS
        rules["max_order_share_percent"] = settings.ISTOK_LOYALTY_MAX_ORDER_SHARE_PERCENT
    return rules


# Personal data ----------------------------------------------------------------------------


def personal_data(user):
    """What the loyalty program holds about ``user``, JSON-ready (for the data export)."""
    account = LoyaltyAccount.objects.filter(user_id=user.pk).first()
    referral = Referral.objects.filter(new_user_id=user.pk).select_related("gift").first()
    return {
        "balance": account.balance if account else 0,
        "referral_code": account.referral_code if account else "",
        "transactions": [
            {
                "created": row.created,
                "type": row.type,
                "reason": row.reason,
                "points": row.points,
                "delta": row.delta,
                "balance_after": row.balance_after,
                "expires_at": row.expires_at,
                "reference": row.reference,
                "note": row.note,
            }
            for row in history(account).order_by("created", "pk")
        ],
        "referred_by_code": referral.code if referral else "",
        "gift": referral.gift.title if referral and referral.gift else "",
        "friends_invited": Referral.objects.filter(referrer_id=user.pk).count(),
        "promotions_chosen": [
            {
                "order": choice.order_number,
                "promotion": choice.promotion.title,
                "discount": choice.discount,
                "created": choice.created,
            }
            for choice in promotion_choices(user).order_by("created", "pk")
        ],
    }
