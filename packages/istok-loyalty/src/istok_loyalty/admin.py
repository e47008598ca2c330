"""Admin of istok_loyalty.

Points move only through ``services``: the ledger is read-only everywhere (no adding,
changing or deleting a row), accounts are opened by the services, and a manager changes
a balance with the "adjust points" form, which calls ``services.adjust`` and so leaves a
ledger row saying who did it and why. Referrals are read-only too. Promotions and news
are content, edited here.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from istok_core.admin import LabelledWidgetsMixin
from istok_core.i18n.admin import TranslationsAdminMixin

from . import services
from .forms import AdjustPointsForm, PromotionAdminForm
from .models import (
    LoyaltyAccount,
    LoyaltyTransaction,
    News,
    Promotion,
    PromotionChoice,
    Referral,
)

#: How many of the newest ledger rows the account page shows (the full ledger is in the
#: transactions list, filtered by the account).
INLINE_ROWS = 50


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _signed(row):
    return f"+{row.points}" if row.delta > 0 else f"−{row.points}"


class TransactionInline(LabelledWidgetsMixin, ReadOnlyMixin, admin.TabularInline):
    model = LoyaltyTransaction
    fk_name = "account"
    fields = [
        "created",
        "type",
        "reason_label",
        "change",
        "balance_after",
        "expires_at",
        "reference",
        "note",
        "created_by",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("ledger (newest rows)")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("created_by")
        newest = (
            LoyaltyTransaction.objects.filter(account_id=self._account_id)
            .order_by("-created", "-pk")
            .values_list("pk", flat=True)[:INLINE_ROWS]
        )
        return queryset.filter(pk__in=list(newest)).order_by("-created", "-pk")

    def get_formset(self, request, obj=None, **kwargs):
        self._account_id = obj.pk if obj else None
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("reason"))
    def reason_label(self, row):
        return row.get_reason_display()

    @admin.display(description=_("points"))
    def change(self, row):
        return _signed(row)


def _user_search_fields():
    User = get_user_model()
    fields = [f"user__{User.USERNAME_FIELD}"]
    for name in ("email", "first_name", "last_name", "phone"):
        try:
            User._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        fields.append(f"user__{name}")
    return list(dict.fromkeys(fields))


@admin.register(LoyaltyAccount)
class LoyaltyAccountAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    change_form_template = "admin/istok_loyalty/loyaltyaccount/change_form.html"
    list_display = ["user", "balance", "referral_code", "referral_enabled", "modified"]
    list_select_related = ["user"]
    list_filter = ["referral_enabled"]
    fields = [
        "user",
        "balance",
        "referral_code",
        "referral_enabled",
        "history",
        "anonymised_at",
        "created",
        "modified",
    ]
    readonly_fields = [
        "user",
        "balance",
        "referral_code",
        "history",
        "anonymised_at",
        "created",
        "modified",
    ]
    inlines = [TransactionInline]

    def get_search_fields(self, request):
        return ["referral_code", *_user_search_fields()]

    def has_add_permission(self, request):
        # Accounts are opened by the services (at signup, or on first use).
        return False

    def has_delete_permission(self, request, obj=None):
        # The ledger is kept for accounting.
        return False

    @admin.display(description=_("full history"))
    def history(self, account):
        if not account.pk:
            return "—"
        url = reverse("admin:istok_loyalty_loyaltytransaction_changelist")
        return format_html(
            '<a href="{}?account__id__exact={}">{}</a>', url, account.pk, _("All ledger rows")
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/adjust/",
                self.admin_site.admin_view(self.adjust_view),
                name="istok_loyalty_loyaltyaccount_adjust",
            ),
            *super().get_urls(),
        ]

    def adjust_view(self, request, object_id):
        """Add or take away points by hand, with a reason: ``services.adjust``."""
        account = get_object_or_404(LoyaltyAccount.objects.select_related("user"), pk=object_id)
        if not self.has_change_permission(request, account):
            raise PermissionDenied
        form = AdjustPointsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.adjust(
                    account.user,
                    form.cleaned_data["points"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                self.message_user(request, _("The points were adjusted."), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:istok_loyalty_loyaltyaccount_change", args=[account.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Adjust points"),
            "opts": self.model._meta,
            "original": account,
            "account": account,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/istok_loyalty/loyaltyaccount/adjust.html", context)


@admin.register(LoyaltyTransaction)
class LoyaltyTransactionAdmin(LabelledWidgetsMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The ledger, read-only: rows are only ever added, by the services."""

    list_display = [
        "created",
        "account",
        "type",
        "reason_label",
        "change",
        "balance_after",
        "expires_at",
        "reference",
        "created_by",
    ]
    list_select_related = ["account__user", "created_by"]
    list_filter = ["type", "reason", "created"]
    search_fields = ["account__referral_code", "reference", "idempotency_key", "note"]
    date_hierarchy = "created"
    show_full_result_count = False
    fields = [
        "account",
        "type",
        "reason",
        "points",
        "delta",
        "balance_after",
        "expires_at",
        "content_type",
        "object_id",
        "reference",
        "note",
        "idempotency_key",
        "created_by",
        "created",
    ]
    readonly_fields = fields

    @admin.display(description=_("reason"), ordering="reason")
    def reason_label(self, row):
        return row.get_reason_display()

    @admin.display(description=_("points"), ordering="delta")
    def change(self, row):
        return _signed(row)


@admin.register(Referral)
class ReferralAdmin(LabelledWidgetsMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["referrer", "new_user", "gift", "created", "confirmed", "confirmed_at"]
    list_select_related = ["referrer", "new_user", "gift"]
    list_filter = ["confirmed", "gift"]
    search_fields = ["code", "confirmed_by_order"]
    date_hierarchy = "created"
    fields = [
        "referrer",
        "new_user",
        "code",
        "gift",
        "created",
        "confirmed",
        "confirmed_at",
        "confirmed_by_order",
    ]
    readonly_fields = fields


class CurrentFilter(admin.SimpleListFilter):
    title = _("on offer")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("On offer today")), ("no", _("Not on offer"))]

    def queryset(self, request, queryset):
        current = Promotion.objects.current(timezone.localdate()).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=current)
        if self.value() == "no":
            return queryset.exclude(pk__in=current)
        return queryset


@admin.register(Promotion)
class PromotionAdmin(LabelledWidgetsMixin, TranslationsAdminMixin, admin.ModelAdmin):
    form = PromotionAdminForm
    list_display = [
        "title",
        "program",
        "start_date",
        "end_date",
        "is_active",
        "on_offer",
        "discount",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["program", CurrentFilter, "is_active"]
    search_fields = ["title", "description"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["title", "description", "image", "program"]}),
        (_("When"), {"fields": ["start_date", "end_date", "is_active", "position"]}),
        (_("Which orders"), {"fields": ["is_choosable", "category_slugs"]}),
        (
            _("Discount on an order"),
            {
                "fields": ["discount_percent", "discount_amount"],
                "description": _(
                    "What the promotion takes off an order it is chosen for: a percentage "
                    "of the subtotal or an amount, not both. Leave both empty for a gift or "
                    "a perk."
                ),
            },
        ),
    ]

    @admin.display(description=_("on offer"), boolean=True)
    def on_offer(self, promotion):
        return promotion.is_current()

    @admin.display(description=_("discount"))
    def discount(self, promotion):
        if promotion.discount_percent is not None:
            return f"{promotion.discount_percent}%"
        if promotion.discount_amount is not None:
            return promotion.discount_amount
        return "—"


@admin.register(PromotionChoice)
class PromotionChoiceAdmin(LabelledWidgetsMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The promotions customers chose for their orders, read-only."""

    list_display = ["created", "order_link", "promotion", "user", "discount", "created_by"]
    list_select_related = ["promotion", "user", "created_by"]
    list_filter = ["promotion", "created"]
    search_fields = ["order_number", "promotion__title"]
    date_hierarchy = "created"
    fields = [
        "order_link",
        "promotion",
        "user",
        "discount",
        "created_by",
        "created",
    ]
    readonly_fields = fields

    @admin.display(description=_("order"), ordering="order_number")
    def order_link(self, choice):
        try:
            url = reverse("admin:istok_orders_order_change", args=[choice.order_pk])
        except NoReverseMatch:
            return choice.order_number
        return format_html('<a href="{}">{}</a>', url, choice.order_number)


@admin.register(News)
class NewsAdmin(LabelledWidgetsMixin, TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published", "published_at"]
    search_fields = ["title", "summary", "content"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
