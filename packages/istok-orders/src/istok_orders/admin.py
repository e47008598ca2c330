"""Admin of istok_orders. Every change goes through ``services``: the form and inlines are
read here and turned into service calls, so the admin records the same events, keeps the
same totals and refuses the same input as the pages and the API."""

from django import forms
from django.apps import apps as django_apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from istok_core.admin import LabelledWidgetsMixin
from istok_core.formatting import format_money
from istok_core.transactions import TryAgain

from . import services
from .forms import (
    AdjustmentAdminForm,
    DocumentUploadForm,
    LineAdminForm,
    OrderAdminForm,
    StatusActionForm,
)
from .models import Adjustment, DeliveryZone, Document, Order, OrderEvent, OrderLine
from .pipeline import get_pipeline


@admin.register(DeliveryZone)
class DeliveryZoneAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    list_display = ["name", "code", "cost", "position", "is_active"]
    list_editable = ["cost", "position", "is_active"]
    prepopulated_fields = {"code": ["name"]}
    search_fields = ["name", "code"]


def capitalise_labels(fields):
    """Form labels as headings ("Статус", not "статус"), as the admin shows model fields:
    the forms' own labels are written in lower case, like the models' verbose names."""
    for field in fields.values():
        if field.label:
            field.label = capfirst(field.label)


class LineInline(LabelledWidgetsMixin, admin.TabularInline):
    model = OrderLine
    # Named, so the admin's checks never look at the product foreign key: with the product
    # model missing, it points at a string, and Django's search for the parent's key
    # crashed before check istok_orders.E007 could report it.
    fk_name = "order"
    form = LineAdminForm
    fields = [
        "product",
        "product_name",
        "quantity",
        "unit_price",
        "amount",
        "configuration",
        "product_price",
    ]
    readonly_fields = ["amount", "product_price"]
    raw_id_fields = ["product"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The admin's wide inputs made the order page 1956 px wide at 1366: narrower ones
        # (the text area grows downwards) keep the lines' table on the screen.
        if db_field.name == "configuration":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 20})
        elif db_field.name == "product_name":
            kwargs["widget"] = forms.TextInput(attrs={"size": 14})
        elif db_field.name == "unit_price":
            # The admin's class for a 10em number field (no inline style: the CSP).
            kwargs["widget"] = forms.NumberInput(
                attrs={"class": "vBigIntegerField", "step": "0.01"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("amount"))
    def amount(self, line):
        return format_money(line.amount, line.order.currency) if line.pk else "—"


class AdjustmentFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.is_managed and DELETION_FIELD_NAME in form.fields:
            # A points payment is given back through istok_loyalty, not deleted here.
            form.fields[DELETION_FIELD_NAME].disabled = True


class AdjustmentInline(LabelledWidgetsMixin, admin.TabularInline):
    """The amounts taken off. An adjustment another app backs (a points payment, a chosen
    promotion) is read-only: it changes only with its record."""

    model = Adjustment
    form = AdjustmentAdminForm
    formset = AdjustmentFormSet
    fields = ["kind", "label", "amount", "source", "created", "created_by"]
    readonly_fields = ["source", "created", "created_by"]
    extra = 0

    @admin.display(description=_("comes from"))
    def source(self, adjustment):
        if not adjustment.pk:
            return "—"
        if adjustment.is_managed:
            label = adjustment.source_key.partition(":")[0]
            try:
                app = django_apps.get_app_config(label).verbose_name
            except LookupError:
                app = label
            return _("%(app)s (changed only there)") % {"app": app}
        return adjustment.reference or "—"


def document_link(document):
    url = reverse(
        "istok_orders:document_download",
        kwargs={"number": document.order.number, "pk": document.pk},
    )
    return format_html('<a href="{}">{}</a>', url, document.original_name)


class DocumentInline(LabelledWidgetsMixin, admin.TabularInline):
    """The documents attached so far, every version (read only: a new upload is a new
    version, below)."""

    model = Document
    fields = [
        "kind",
        "version",
        "download",
        "size",
        "customer_visible",
        "uploaded_at",
        "uploaded_by",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("documents")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, document):
        try:
            return document_link(document)
        except Exception:
            return document.original_name


class DocumentUploadInline(LabelledWidgetsMixin, admin.TabularInline):
    """Upload a document: each upload becomes the next version of its kind."""

    model = Document
    form = DocumentUploadForm
    fields = ["kind", "file", "customer_visible"]
    extra = 1
    can_delete = False
    verbose_name = _("new document")
    verbose_name_plural = _("upload documents")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class EventInline(LabelledWidgetsMixin, admin.TabularInline):
    model = OrderEvent
    fields = ["created", "kind", "text", "actor", "customer_visible"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("timeline")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "order")

    @admin.display(description=_("event"))
    def text(self, event):
        if event.note and event.kind != OrderEvent.Kind.NOTE:
            return f"{event.describe()} {event.note}"
        return event.describe()


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return get_pipeline().choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class FlagFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [
            ("any", _("Overdue or stuck")),
            ("overdue", _("Deadline passed")),
            ("stuck", _("Too long in its status")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "overdue":
            return queryset.overdue()
        if value == "stuck":
            return queryset.stuck()
        if value == "any":
            return queryset.flagged()
        return queryset


def _customer_search_fields():
    fields = ["customer__first_name", "customer__last_name", "customer__email"]
    User = get_user_model()
    fields.insert(0, f"customer__{User.USERNAME_FIELD}")
    try:
        User._meta.get_field("phone")
    except FieldDoesNotExist:
        pass
    else:
        fields.append("customer__phone")
    return [f for f in dict.fromkeys(fields) if _is_field(User, f.split("__", 1)[1])]


def _is_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


@admin.register(Order)
class OrderAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    form = OrderAdminForm
    list_display = [
        "number",
        "customer",
        "status_label",
        "order_date",
        "deadline",
        "total_amount",
        "delivery_zone",
        "attention",
    ]
    list_select_related = ["customer", "delivery_zone"]
    list_filter = [StatusFilter, FlagFilter, "delivery_zone", "order_date", "deadline"]
    date_hierarchy = "order_date"
    raw_id_fields = ["customer"]
    actions = ["change_status"]
    inlines = [LineInline, AdjustmentInline, DocumentInline, DocumentUploadInline, EventInline]
    readonly_fields = [
        "number",
        "status_changed_at",
        "attention",
        "subtotal_amount",
        "adjustments_amount",
        "delivery_amount",
        "total_amount",
        "currency",
        "created_at",
        "modified_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "customer",
                    "status",
                    "status_note",
                    "status_changed_at",
                    "attention",
                ]
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "order_date",
                    "deadline",
                    "completion_date",
                    "delivery_date",
                    "installation_date",
                ]
            },
        ),
        (
            _("Delivery"),
            {
                "fields": [
                    "delivery_address",
                    "phone",
                    "delivery_zone",
                    "delivery_cost_override",
                    "delivery_cost_reason",
                ]
            },
        ),
        (
            _("Price"),
            {
                "fields": [
                    "subtotal_amount",
                    "adjustments_amount",
                    "delivery_amount",
                    "total_amount",
                    "currency",
                ]
            },
        ),
        (
            _("Notes"),
            {"fields": ["notes", "note", "note_customer_visible", "created_at", "modified_at"]},
        ),
    ]

    def get_search_fields(self, request):
        return ["number", "phone", *_customer_search_fields()]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CapitalisedForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                capitalise_labels(self.fields)  # its __init__ builds "status" anew

        CapitalisedForm.__name__ = form.__name__
        return CapitalisedForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("customer")
        return fields

    def has_delete_permission(self, request, obj=None):
        # A contract is kept for accounting: cancel it instead.
        return False

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, order):
        return order.get_status_display()

    # Amounts as the customer reads them (istok_core.formatting): one format everywhere.

    @admin.display(description=_("subtotal"), ordering="subtotal")
    def subtotal_amount(self, order):
        return format_money(order.subtotal, order.currency)

    @admin.display(description=_("adjustments"), ordering="adjustments_total")
    def adjustments_amount(self, order):
        return format_money(order.adjustments_total, order.currency)

    @admin.display(description=_("delivery cost"), ordering="delivery_cost")
    def delivery_amount(self, order):
        return format_money(order.delivery_cost, order.currency)

    @admin.display(description=_("total"), ordering="total")
    def total_amount(self, order):
        return format_money(order.total, order.currency)

    # The order's timestamps come from django-model-utils, whose labels ("Modified") are
    # not translated: labelled here.

    @admin.display(description=_("created"), ordering="created")
    def created_at(self, order):
        return order.created

    @admin.display(description=_("last changed"), ordering="modified")
    def modified_at(self, order):
        return order.modified

    @admin.display(description=_("needs attention"))
    def attention(self, order):
        if not order.pk:
            return ""
        return "; ".join(order.flags()) or "—"

    # Writing through the services ---------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # A service refused the change after the form had passed (a race, or the
            # adjustments exceeding the new subtotal): the transaction is rolled back.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except TryAgain as exc:
            # A database conflict outlived the retries: nothing was saved.
            self.message_user(request, str(exc.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        actor = request.user
        if not change:
            created = services.create_order(
                data["customer"],
                actor=actor,
                status=data["status"],
                order_date=data.get("order_date"),
                deadline=data.get("deadline"),
                delivery_address=data.get("delivery_address", ""),
                phone=data.get("phone", ""),
                notes=data.get("notes", ""),
                delivery_zone=None
                if data.get("delivery_cost_override") is not None
                else data.get("delivery_zone"),
            )
            for field in Order._meta.concrete_fields:
                setattr(obj, field.attname, getattr(created, field.attname))
            obj._state.adding, obj._state.db = False, created._state.db
            other_dates = {
                name: data[name]
                for name in ("completion_date", "delivery_date", "installation_date")
                if data.get(name)
            }
            if other_dates:
                services.change_dates(obj, actor=actor, **other_dates)
            if data.get("delivery_cost_override") is not None:
                services.set_delivery_zone(
                    obj,
                    data.get("delivery_zone"),
                    cost=data["delivery_cost_override"],
                    reason=data.get("delivery_cost_reason", ""),
                    actor=actor,
                )
        else:
            changed = set(form.changed_data)
            dates = {name: data.get(name) for name in services.DATE_FIELDS if name in changed}
            if dates:
                services.change_dates(obj, actor=actor, **dates)
            details = {
                name: data.get(name, "") for name in services.DETAIL_FIELDS if name in changed
            }
            if details:
                services.update_details(obj, actor=actor, **details)
            if changed & {"delivery_zone", "delivery_cost_override", "delivery_cost_reason"}:
                services.set_delivery_zone(
                    obj,
                    data.get("delivery_zone"),
                    cost=data.get("delivery_cost_override"),
                    reason=data.get("delivery_cost_reason", ""),
                    actor=actor,
                )
            if "status" in changed:
                services.set_status(obj, data["status"], actor, data.get("status_note", ""))
        if data.get("note"):
            services.add_note(
                obj, data["note"], actor=actor, customer_visible=data.get("note_customer_visible")
            )

    def save_formset(self, request, form, formset, change):
        order, actor = form.instance, request.user
        model = formset.model
        # What ``formset.save()`` would set: the admin's history message reads them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = formset.deleted_forms
        for item_form in deleted:
            item = item_form.instance
            if item.pk and model in (OrderLine, Adjustment):
                remove = services.remove_line if model is OrderLine else services.remove_adjustment
                remove(item, actor=actor)
                formset.deleted_objects.append(item)
        for item_form in formset.forms:
            if item_form in deleted or not item_form.has_changed():
                continue
            existing = item_form.instance if item_form.instance.pk else None
            saved = self._save_item(order, model, existing, item_form, actor)
            if saved is None:
                continue
            if existing is None:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, item_form.changed_data))

    def _save_item(self, order, model, existing, item_form, actor):
        data = item_form.cleaned_data
        if model is OrderLine:
            if existing is None:
                return services.add_line(
                    order,
                    data.get("product"),
                    quantity=data["quantity"],
                    unit_price=data.get("unit_price"),
                    name=data.get("product_name", ""),
                    configuration=data.get("configuration", ""),
                    actor=actor,
                )
            names = {
                "product_name": "name",
                "quantity": "quantity",
                "unit_price": "unit_price",
                "configuration": "configuration",
            }
            changes = {names[n]: data[n] for n in item_form.changed_data if n in names}
            return services.update_line(existing, actor=actor, **changes)
        if model is Adjustment:
            if existing is None:
                return services.add_adjustment(
                    order,
                    data["kind"],
                    data["amount"],
                    label=data.get("label", ""),
                    actor=actor,
                )
            fields = ("amount", "label")
            changes = {n: data[n] for n in item_form.changed_data if n in fields}
            return services.update_adjustment(existing, actor=actor, **changes)
        if model is Document and existing is None and data.get("file"):
            return services.attach_document(
                order,
                data["kind"],
                data["file"],
                actor=actor,
                customer_visible=data.get("customer_visible", False),
            )
        return None

    # The status action --------------------------------------------------------------------

    @admin.action(
        description=_("Change the status of the selected orders"), permissions=["change"]
    )
    def change_status(self, request, queryset):
        form = StatusActionForm(request.POST if "apply" in request.POST else None)
        # Nothing chosen until the manager chooses: a preselected first status would move
        # every selected order back to the start with one careless click.
        form.fields["status"].choices = [("", "---------"), *form.fields["status"].choices]
        capitalise_labels(form.fields)
        if form.is_bound and form.is_valid():
            moved, refused = 0, []
            for order in queryset:
                try:
                    services.set_status(
                        order, form.cleaned_data["status"], request.user, form.cleaned_data["note"]
                    )
                except ValidationError as exc:
                    refused.append(f"{order.number}: {' '.join(exc.messages)}")
                except TryAgain as exc:
                    refused.append(f"{order.number}: {exc.message}")
                else:
                    moved += 1
            if moved:
                self.message_user(
                    request,
                    ngettext("%(count)d order moved.", "%(count)d orders moved.", moved)
                    % {"count": moved},
                    messages.SUCCESS,
                )
            for problem in refused:
                self.message_user(request, problem, messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the status"),
            "opts": self.model._meta,
            "orders": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "change_status",
        }
        return TemplateResponse(request, "admin/istok_orders/order/change_status.html", context)
