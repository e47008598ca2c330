"""Models of istok_orders.

An ``Order`` is the contract: its number, customer, status in the pipeline, dates, delivery
address and a stored price breakdown (lines, adjustments, delivery zone) that the services
keep consistent. ``OrderEvent`` is its timeline, ``Document`` its private files.

Write them through :mod:`istok_orders.services` only.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from model_utils.models import TimeStampedModel

from istok_core import uploads
from istok_core.formatting import format_money

from .conf import IstokOrdersConf  # noqa: F401  (the settings' defaults, before the fields)
from .pipeline import get_pipeline
from .storage import document_storage

# Read at import, like AUTH_USER_MODEL: the initial migration names the same setting.
PRODUCT_MODEL = getattr(settings, "ISTOK_ORDERS_PRODUCT_MODEL", "istok_catalog.Product")

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = 0


def default_currency():
    return getattr(settings, "ISTOK_CURRENCY", "RUB")


class DeliveryZone(models.Model):
    """Where an order is delivered and what that costs: a table the business edits."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    cost = models.DecimalField(_("delivery cost"), default=ZERO, **MONEY)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive zones cannot be chosen for an order.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("delivery zone")
        verbose_name_plural = _("delivery zones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost__gte=0),
                name="istok_orders_zone_cost_not_negative",
                violation_error_message=_("The delivery cost cannot be negative."),
            )
        ]

    def __str__(self):
        return self.name


class OrderQuerySet(models.QuerySet):
    def open(self):
        """Orders in a status that is not closed (not delivered, installed or cancelled)."""
        return self.exclude(status__in=get_pipeline().closed_codes)

    def overdue(self, today=None):
        """Open orders whose deadline has passed."""
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)

    def stuck(self, now=None):
        """Open orders that sit in their status longer than its ``max_days``."""
        now = now or timezone.now()
        condition = models.Q()
        for status in get_pipeline():
            if status.max_days and not status.closed:
                since = now - timedelta(days=status.max_days)
                condition |= models.Q(status=status.code, status_changed_at__lt=since)
        if not condition:
            return self.none()
        return self.filter(condition)

    def flagged(self, now=None):
        """Overdue or stuck orders."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        return self.filter(
            models.Q(pk__in=self.overdue(today).values("pk"))
            | models.Q(pk__in=self.stuck(now).values("pk"))
        )


class Order(TimeStampedModel):
    """A customer's order: the contract with the furniture business."""

    number = models.CharField(_("contract number"), max_length=32, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="istok_orders",
        verbose_name=_("customer"),
    )
    status = models.CharField(_("status"), max_length=32, db_index=True)
    status_changed_at = models.DateTimeField(_("in this status since"), default=timezone.now)

    order_date = models.DateField(_("contract date"), default=timezone.localdate)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    installation_date = models.DateField(_("installation date"), null=True, blank=True)

    delivery_address = models.TextField(_("delivery address"), blank=True)
    phone = models.CharField(
        _("contact phone"),
        max_length=32,
        blank=True,
        help_text=_("Whom to call about delivery and installation."),
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Internal: the customer does not see them.")
    )

    delivery_zone = models.ForeignKey(
        DeliveryZone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("delivery zone"),
    )
    delivery_cost = models.DecimalField(_("delivery cost"), default=ZERO, **MONEY)
    delivery_cost_overridden = models.BooleanField(_("delivery cost set by hand"), default=False)
    delivery_cost_reason = models.CharField(
        _("why the delivery cost was set by hand"), max_length=255, blank=True
    )
    subtotal = models.DecimalField(_("subtotal"), default=ZERO, **MONEY)
    adjustments_total = models.DecimalField(_("adjustments"), default=ZERO, **MONEY)
    total = models.DecimalField(_("total"), default=ZERO, **MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, default=default_currency, editable=False
    )

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-order_date", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0),
                name="istok_orders_order_total_not_negative",
                violation_error_message=_("The total cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    subtotal__gte=0, delivery_cost__gte=0, adjustments_total__gte=0
                ),
                name="istok_orders_order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(adjustments_total__lte=models.F("subtotal")),
                name="istok_orders_order_adjustments_within_subtotal",
                violation_error_message=_("The adjustments cannot exceed the subtotal."),
            ),
            models.CheckConstraint(
                condition=models.Q(delivery_cost_overridden=False)
                | ~models.Q(delivery_cost_reason=""),
                name="istok_orders_order_override_has_reason",
                violation_error_message=_("Say why the delivery cost is set by hand."),
            ),
        ]
        indexes = [models.Index(fields=["deadline"], name="istok_orders_order_deadline")]

    def __str__(self):
        return self.number or gettext("new order")

    # The status, read from the pipeline ---------------------------------------------------

    @property
    def status_info(self):
        """The pipeline's :class:`~istok_orders.pipeline.Status` of this order (``None`` for
        a status the pipeline no longer has)."""
        return get_pipeline().get(self.status)

    def get_status_display(self):
        return get_pipeline().label(self.status)

    @property
    def is_closed(self):
        status = self.status_info
        return bool(status and status.closed)

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return not self.is_closed and self.deadline is not None and self.deadline < today

    def days_in_status(self, now=None):
        return ((now or timezone.now()) - self.status_changed_at).days

    def is_stuck(self, now=None):
        status = self.status_info
        if status is None or status.closed or not status.max_days:
            return False
        now = now or timezone.now()
        return self.status_changed_at < now - timedelta(days=status.max_days)

    def flags(self, now=None):
        """Why the order needs a manager's eye: a list of translated reasons, maybe empty."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        reasons = []
        if self.is_overdue(today):
            reasons.append(
                gettext("deadline passed %(days)s day(s) ago")
                % {"days": (today - self.deadline).days}
            )
        if self.is_stuck(now):
            reasons.append(
                gettext("%(days)s days in this status (at most %(max)s)")
                % {"days": self.days_in_status(now), "max": self.status_info.max_days}
            )
        return reasons


class OrderLine(models.Model):
    """One product of an order, with its name and price as they were when ordered."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        PRODUCT_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="istok_order_lines",
        verbose_name=_("product"),
    )
    product_name = models.CharField(_("name"), max_length=255)
    product_price = models.DecimalField(
        _("catalog price when ordered"), null=True, blank=True, **MONEY
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    configuration = models.TextField(
        _("configuration"), blank=True, help_text=_("Sizes, colours, materials, options.")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="istok_orders_line_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0),
                name="istok_orders_line_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.product_name} × {self.quantity}"

    @property
    def amount(self):
        return self.quantity * self.unit_price


class Adjustment(models.Model):
    """An amount taken off an order's subtotal: a discount, a promotion, points, by hand."""

    class Kind(models.TextChoices):
        DISCOUNT = "discount", _("Discount")
        PROMOTION = "promotion", _("Promotion")
        POINTS = "points", _("Loyalty points")
        MANUAL = "manual", pgettext_lazy("adjustment", "Manual")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=255)
    reference = models.CharField(
        _("reference"),
        max_length=255,
        blank=True,
        help_text=_("What it comes from: a promotion code, a points transaction, a document."),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    source_key = models.CharField(
        _("managed by"),
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_(
            "The record of another app that backs this adjustment (a points payment, a "
            "chosen promotion). It is changed or removed only through that app."
        ),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="istok_orders_adjustment_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            )
        ]

    def __str__(self):
        return f"{self.label}: −{self.amount}"

    @property
    def is_managed(self):
        """Whether another app backs this adjustment (see ``source_key``)."""
        return bool(self.source_key)


class OrderEvent(models.Model):
    """One entry of an order's timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Order created")
        STATUS = "status", _("Status change")
        DOCUMENT = "document", _("Document")
        DATE = "date", _("Date change")
        LINE = "line", _("Line change")
        PRICE = "price", _("Price change")
        DELIVERY = "delivery", _("Delivery zone")
        DETAILS = "details", _("Details change")
        NOTE = "note", _("Note")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    customer_visible = models.BooleanField(_("the customer sees it"), default=True)
    old_status = models.CharField(_("old status"), max_length=32, blank=True)
    new_status = models.CharField(_("new status"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self):
        return self.describe()

    def describe(self):
        """The event in words, in the active language."""
        data = self.data or {}
        pipeline = get_pipeline()
        if self.kind == self.Kind.CREATED:
            return gettext("Order %(number)s was created.") % {"number": data.get("number", "")}
        if self.kind == self.Kind.STATUS:
            return gettext("Status changed from “%(old)s” to “%(new)s”.") % {
                "old": pipeline.label(self.old_status),
                "new": pipeline.label(self.new_status),
            }
        if self.kind == self.Kind.DOCUMENT:
            kind = data.get("kind", "")
            if kind in Document.Kind.values:
                kind = Document.Kind(kind).label
            return gettext("New document: %(kind)s, version %(version)s.") % {
                "kind": kind,
                "version": data.get("version", ""),
            }
        if self.kind == self.Kind.DATE:
            field = data.get("field", "")
            try:
                label = Order._meta.get_field(field).verbose_name
            except Exception:
                label = field
            if data.get("new"):
                return gettext("%(field)s set to %(date)s.") % {
                    "field": str(label).capitalize(),
                    "date": _format_date(data["new"]),
                }
            return gettext("%(field)s cleared.") % {"field": str(label).capitalize()}
        if self.kind == self.Kind.LINE:
            params = {"name": data.get("name", ""), "quantity": data.get("quantity", "")}
            action = data.get("action")
            if action == "added":
                return gettext("Added: %(name)s × %(quantity)s.") % params
            if action == "removed":
                return gettext("Removed: %(name)s.") % params
            return gettext("Changed: %(name)s × %(quantity)s.") % params
        if self.kind == self.Kind.PRICE:
            params = {
                "label": data.get("label", ""),
                "amount": format_money(data.get("amount", ""), self.order.currency),
            }
            if data.get("action") == "removed":
                return gettext("Adjustment removed: %(label)s.") % params
            if data.get("action") == "changed":
                return gettext("Adjustment changed: %(label)s, −%(amount)s.") % params
            return gettext("Adjustment added: %(label)s, −%(amount)s.") % params
        if self.kind == self.Kind.DELIVERY:
            if data.get("zone"):
                return gettext("Delivery: %(zone)s, %(cost)s.") % {
                    "zone": data.get("zone_name") or data["zone"],
                    "cost": format_money(data.get("cost", ""), self.order.currency),
                }
            return gettext("Delivery zone cleared.")
        if self.kind == self.Kind.DETAILS:
            names = [
                str(Order._meta.get_field(name).verbose_name)
                for name in data.get("fields", [])
                if name in {"delivery_address", "phone", "notes"}
            ]
            return gettext("Changed: %(fields)s.") % {"fields": ", ".join(names)}
        return self.note

    @property
    def total_changed(self):
        data = self.data or {}
        return "old_total" in data and data.get("old_total") != data.get("new_total")


def _format_date(value):
    from django.utils.dateformat import format as date_format
    from django.utils.dateparse import parse_date
    from django.utils.formats import get_format

    parsed = parse_date(str(value))
    return date_format(parsed, get_format("DATE_FORMAT")) if parsed else str(value)


def document_upload_to(document, filename):
    """``orders/<number>/<kind>-v<version>-<random><ext>``: unguessable, never overwritten.
    ``<ext>`` is the one of the type the upload check found (``document.content_type``),
    never the one the file was sent with: a PDF called ``evil.html`` is kept as ``.pdf``."""
    upload_type = uploads.type_for_content_type(document.content_type)
    ext = upload_type.extension if upload_type else ".bin"
    token = secrets.token_hex(6)
    return f"orders/{document.order.number}/{document.kind}-v{document.version}-{token}{ext}"


class Document(models.Model):
    """A version of one of an order's documents. A new upload is a new version."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Contract")
        SPECIFICATION = "specification", _("Specification")
        RECEIPT = "receipt", _("Receipt")
        MODEL_3D = "model_3d", _("3D model")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="documents", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(
        _("file"), upload_to=document_upload_to, storage=document_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    customer_visible = models.BooleanField(_("the customer sees it"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "version"], name="istok_orders_document_version_unique"
            )
        ]

    def __str__(self):
        return gettext("%(kind)s, version %(version)s") % {
            "kind": self.get_kind_display(),
            "version": self.version,
        }


class OrderNumberCounter(models.Model):
    """The last order number given in a year: locked while the next one is taken."""

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order number counter")
        verbose_name_plural = _("order number counters")

    def __str__(self):
        return f"{self.year}: {self.last}"
