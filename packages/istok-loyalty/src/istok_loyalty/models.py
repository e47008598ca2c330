"""Models of istok_loyalty.

``LoyaltyAccount`` holds a customer's cached balance and referral code;
``LoyaltyTransaction`` is the append-only ledger whose sum the balance always equals;
``PointsAllocation`` records which earlier award each debit spent (oldest first), so that
expiry knows what is left of an award. ``Referral``, ``Promotion`` and ``News`` are the
referral program, the promotions (general, loyalty, referral) and the news;
``PromotionChoice`` is the promotion a customer chose for an order (istok_orders).

Points are written through :mod:`istok_loyalty.services` only.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from model_utils.models import TimeStampedModel

from istok_core.i18n import Translatable

from .conf import IstokLoyaltyConf  # noqa: F401  (the settings' defaults, before the fields)


class LoyaltyAccount(TimeStampedModel):
    """A customer's points: the cached balance and the referral code they share."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        # The ledger is kept for accounting: erase the user (istok_accounts) instead.
        on_delete=models.PROTECT,
        related_name="istok_loyalty_account",
        verbose_name=_("customer"),
    )
    balance = models.BigIntegerField(
        _("balance"), default=0, help_text=_("Always the sum of the ledger.")
    )
    referral_code = models.CharField(_("referral code"), max_length=32, unique=True)
    referral_enabled = models.BooleanField(
        _("referral code active"),
        default=True,
        help_text=_("Signups with an inactive code are refused."),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("loyalty account")
        verbose_name_plural = _("loyalty accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0),
                name="istok_loyalty_account_balance_not_negative",
                violation_error_message=_("The balance cannot be negative."),
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.balance})"


class LoyaltyTransaction(models.Model):
    """One movement of points. Rows are only ever added, never changed or deleted.

    ``points`` is always positive; ``delta`` is the signed change of the balance (``+points``
    for an award, ``-points`` for a redemption or expiry; either for an adjustment). The
    account's balance equals the sum of its ``delta``.
    """

    class Type(models.TextChoices):
        EARN = "earn", _("Earned")
        REDEEM = "redeem", _("Redeemed")
        EXPIRE = "expire", _("Expired")
        ADJUST = "adjust", _("Adjusted")

    class Reason(models.TextChoices):
        SIGNUP = "signup", _("Welcome bonus")
        PROFILE_COMPLETED = "profile_completed", _("Profile completed")
        ORDER_CASHBACK = "order_cashback", _("Cashback on an order")
        REFERRAL = "referral", _("A friend you invited placed an order")
        REDEEMED = "redeemed", _("Points spent")
        REDEEMED_ON_ORDER = "redeemed_on_order", _("Paid for an order")
        ORDER_CANCELLED = "order_cancelled", _("Returned: the order was cancelled")
        EXPIRED = "expired", _("Points expired")
        MANUAL = "manual", _("Manual adjustment")
        OTHER = "other", _("Other")

    account = models.ForeignKey(
        LoyaltyAccount,
        on_delete=models.PROTECT,
        related_name="transactions",
        verbose_name=_("account"),
    )
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    points = models.PositiveBigIntegerField(_("points"))
    delta = models.BigIntegerField(_("change of the balance"))
    balance_after = models.BigIntegerField(_("balance after"))
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Awards only: when what is left expires.")
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caused by (type)"),
    )
    object_id = models.CharField(_("caused by (id)"), max_length=64, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    reference = models.CharField(
        _("reference"),
        max_length=255,
        blank=True,
        help_text=_("What caused it, in words: an order number, a referral."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=255,
        null=True,
        blank=True,
        help_text=_(
            "Unique per account: the same operation sent again with the same key writes "
            "nothing more."
        ),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("gives back"),
        help_text=_("The payment whose points this row gives back (at most once)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("points transaction")
        verbose_name_plural = _("points transactions")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0),
                name="istok_loyalty_transaction_points_positive",
                violation_error_message=_("The points must be a positive whole number."),
            ),
            models.CheckConstraint(
                condition=Q(type="earn", delta=models.F("points"))
                | Q(type__in=["redeem", "expire"], delta=-models.F("points"))
                | Q(type="adjust", delta=models.F("points"))
                | Q(type="adjust", delta=-models.F("points")),
                name="istok_loyalty_transaction_delta_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0),
                name="istok_loyalty_transaction_balance_after_not_negative",
            ),
            models.UniqueConstraint(
                fields=["account", "idempotency_key"],
                name="istok_loyalty_transaction_key_unique_per_account",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created", "-id"], name="istok_loyalty_txn_history"),
            models.Index(fields=["account", "expires_at"], name="istok_loyalty_txn_expiry"),
            models.Index(fields=["content_type", "object_id"], name="istok_loyalty_txn_source"),
        ]

    def __str__(self):
        sign = "+" if self.delta > 0 else "−"
        return f"{sign}{self.points} {self.get_reason_display()}"

    @property
    def is_credit(self):
        return self.delta > 0

    def get_reason_display(self):
        # A project's own reason (from its adapter) is shown as it is.
        try:
            return self.Reason(self.reason).label
        except ValueError:
            return self.reason


class PointsAllocation(models.Model):
    """Which award a debit spent, and how much of it: debits spend the oldest awards
    first, and an award expires with what is left of it. Append-only, like the ledger."""

    debit = models.ForeignKey(
        LoyaltyTransaction,
        on_delete=models.PROTECT,
        related_name="spent_from",
        verbose_name=_("debit"),
    )
    credit = models.ForeignKey(
        LoyaltyTransaction,
        on_delete=models.PROTECT,
        related_name="spent_by",
        verbose_name=_("award"),
    )
    points = models.PositiveBigIntegerField(_("points"))

    class Meta:
        verbose_name = _("points allocation")
        verbose_name_plural = _("points allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="istok_loyalty_allocation_points_positive"
            ),
            models.UniqueConstraint(
                fields=["debit", "credit"], name="istok_loyalty_allocation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.debit_id} ← {self.credit_id}: {self.points}"


class PromotionQuerySet(models.QuerySet):
    def current(self, today=None):
        """Active promotions whose dates include ``today`` (the site's local date)."""
        today = today or timezone.localdate()
        return self.filter(is_active=True, start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )

    def pool(self, program, today=None):
        """The current promotions of ``program`` that are chosen (not announcements):
        what a customer may choose from."""
        return self.current(today).filter(program=program, is_choosable=True)


class Promotion(Translatable, TimeStampedModel):
    """A promotion: for everybody, for loyalty members, or a gift of the referral program.

    A promotion chosen for an order (``services.apply_promotion``) takes
    ``discount_percent`` of the order's subtotal or the fixed ``discount_amount`` off it;
    with neither it is a gift or a perk without a price effect. At most one of the two is
    set. One that is not ``is_choosable`` is an announcement (a rule of the points
    program, a perk everybody gets): listed, never chosen for an order. One with
    ``category_slugs`` is offered only for orders with a product of one of those catalog
    categories. Its title and description have a text per language (``translations``).
    """

    translated_fields = ("title", "description")

    class Program(models.TextChoices):
        GENERAL = "general", _("General")
        LOYALTY = "loyalty", _("Loyalty program")
        REFERRAL = "referral", _("Referral program")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="istok_loyalty/promotions/", blank=True)
    program = models.CharField(
        _("program"),
        max_length=16,
        choices=Program.choices,
        default=Program.GENERAL,
        db_index=True,
        help_text=_("Referral promotions are the gifts a new customer chooses from."),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    discount_percent = models.PositiveSmallIntegerField(
        _("discount, percent"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Percent of the order's subtotal taken off when the promotion is chosen."),
    )
    discount_amount = models.DecimalField(
        _("discount, amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "A fixed amount taken off the order instead. Leave both empty for a gift or a "
            "perk without a discount."
        ),
    )
    is_choosable = models.BooleanField(
        _("chosen for an order"),
        default=True,
        help_text=_(
            "Off for an announcement that is not chosen for an order: a rule of the points "
            "program, a perk every customer gets."
        ),
    )
    category_slugs = models.JSONField(
        _("product categories"),
        default=list,
        blank=True,
        help_text=_(
            "Offered only for orders with a product of one of these categories; none: for "
            "every order."
        ),
    )

    objects = PromotionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-start_date", "pk"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="istok_loyalty_promotion_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True)
                | Q(discount_percent__gte=1, discount_percent__lte=100),
                name="istok_loyalty_promotion_percent_in_range",
                violation_error_message=_("The discount must be from 1 to 100 percent."),
            ),
            models.CheckConstraint(
                condition=Q(discount_amount__isnull=True) | Q(discount_amount__gt=0),
                name="istok_loyalty_promotion_amount_positive",
                violation_error_message=_("The discount amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True) | Q(discount_amount__isnull=True),
                name="istok_loyalty_promotion_one_discount",
                violation_error_message=_(
                    "Give the discount either in percent or as an amount, not both."
                ),
            ),
        ]

    def __str__(self):
        return self.translated.title

    def clean(self):
        super().clean()
        slugs = self.category_slugs
        if not isinstance(slugs, list) or not all(isinstance(slug, str) for slug in slugs):
            raise ValidationError(
                {"category_slugs": _("Give the categories as a list of their codes.")}
            )
        if self.discount_percent is not None and self.discount_amount is not None:
            # On the field, so that the constraint saying the same is not checked twice.
            raise ValidationError(
                {
                    "discount_amount": ValidationError(
                        _("Give the discount either in percent or as an amount, not both."),
                        code="two_discounts",
                    )
                }
            )

    @property
    def has_discount(self):
        """Whether choosing it takes money off an order (else it is a gift or a perk)."""
        return self.discount_percent is not None or self.discount_amount is not None

    def is_current(self, today=None):
        today = today or timezone.localdate()
        return (
            self.is_active
            and self.start_date <= today
            and (self.end_date is None or self.end_date >= today)
        )


class Referral(models.Model):
    """A new customer who came with another customer's code, and the gift they chose."""

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="istok_referrals_made",
        verbose_name=_("recommended by"),
    )
    new_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="istok_referral",
        verbose_name=_("new customer"),
    )
    code = models.CharField(_("code used"), max_length=32)
    gift = models.ForeignKey(
        Promotion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("gift"),
        limit_choices_to={"program": Promotion.Program.REFERRAL},
    )
    created = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed = models.BooleanField(_("confirmed"), default=False, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by_order = models.CharField(
        _("confirmed by order"), max_length=64, blank=True, help_text=_("The order number.")
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(referrer=models.F("new_user")),
                name="istok_loyalty_referral_not_self",
                violation_error_message=_("Nobody can refer themselves."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed=False) | Q(confirmed_at__isnull=False),
                name="istok_loyalty_referral_confirmed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.referrer} → {self.new_user}"


class PromotionChoice(models.Model):
    """The promotion a customer chose for an order (``services.apply_promotion``): one per
    order. The order is named by its primary key and number, not a foreign key, so this
    app works without istok_orders; the discount itself is the order's adjustment."""

    order_pk = models.CharField(_("order (id)"), max_length=64, editable=False)
    order_number = models.CharField(_("order"), max_length=64, db_index=True, editable=False)
    promotion = models.ForeignKey(
        Promotion,
        # A record of what an order got: end the promotion instead of deleting it.
        on_delete=models.PROTECT,
        related_name="choices",
        verbose_name=_("promotion"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="istok_promotion_choices",
        verbose_name=_("customer"),
    )
    discount = models.DecimalField(
        _("discount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What it took off the order; empty for a gift or a perk."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    created = models.DateTimeField(_("chosen"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("promotion chosen for an order")
        verbose_name_plural = _("promotions chosen for orders")
        constraints = [
            models.UniqueConstraint(
                fields=["order_pk"],
                name="istok_loyalty_promotion_choice_one_per_order",
                violation_error_message=_("This order already has a promotion."),
            ),
        ]

    def __str__(self):
        return f"{self.order_number}: {self.promotion}"


class NewsQuerySet(models.QuerySet):
    def published(self, now=None):
        """News marked published whose publication time has come."""
        return self.filter(is_published=True, published_at__lte=now or timezone.now())


class News(Translatable, TimeStampedModel):
    """A news item of the business; its texts have a version per language."""

    translated_fields = ("title", "summary", "content")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown in the list."))
    content = models.TextField(_("content"))
    image = models.ImageField(_("image"), upload_to="istok_loyalty/news/", blank=True)
    published_at = models.DateTimeField(_("publication time"), default=timezone.now)
    is_published = models.BooleanField(_("published"), default=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [
            models.Index(fields=["is_published", "-published_at"], name="istok_loyalty_news_pub")
        ]

    def __str__(self):
        return self.translated.title


class FailedReaction(models.Model):
    """A reaction to another app's signal that failed after its retries (the database was
    unavailable, a deadlock kept coming back): kept here so that nothing is lost silently.
    ``istok_loyalty_retry`` runs each again (every reaction is idempotent) and marks it
    resolved; ``istok_loyalty_verify`` reports the ones still open."""

    class Signal(models.TextChoices):
        ORDER_STATUS_CHANGED = "order_status_changed", _("Order status changed")

    signal = models.CharField(_("signal"), max_length=64, choices=Signal.choices)
    order_pk = models.CharField(_("order (id)"), max_length=64)
    status = models.CharField(_("new status"), max_length=64)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("first failed"), default=timezone.now)
    last_attempt = models.DateTimeField(_("last attempt"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("failed reaction")
        verbose_name_plural = _("failed reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "order_pk", "status"],
                name="istok_loyalty_failed_reaction_unique",
            )
        ]

    def __str__(self):
        return f"{self.get_signal_display()}: {self.order_pk} → {self.status}"
