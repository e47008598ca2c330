"""Forms of the admin. They check input; the services write (see ``admin.py``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Adjustment, DeliveryZone, Document, Order, OrderLine
from .pipeline import get_pipeline


class ServiceErrorsMixin:
    """Validation errors a service raised, shown on the form like its own."""

    def add_service_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class OrderAdminForm(ServiceErrorsMixin, forms.ModelForm):
    """The order in the admin. The status offers the current one and the statuses the
    pipeline allows next; the extra fields feed ``set_status``, ``set_delivery_zone`` and
    ``add_note``."""

    status_note = forms.CharField(
        label=_("note on the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Goes with the status change on the timeline (and in the email)."),
    )
    delivery_cost_override = forms.DecimalField(
        label=_("delivery cost set by hand"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Empty: the zone's cost. A cost set by hand needs a reason."),
    )
    note = forms.CharField(
        label=_("add a note to the timeline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note_customer_visible = forms.BooleanField(
        label=_("the customer sees the note"), required=False
    )

    class Meta:
        model = Order
        fields = [
            "customer",
            "status",
            "order_date",
            "deadline",
            "completion_date",
            "delivery_date",
            "installation_date",
            "delivery_address",
            "phone",
            "notes",
            "delivery_zone",
            "delivery_cost_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pipeline = get_pipeline()
        order = self.instance
        if "status" in self.fields:
            if order.pk:
                allowed = [
                    order.status,
                    *(pipeline.get(order.status).next if order.status in pipeline else ()),
                ]
                choices = [
                    (code, pipeline.label(code))
                    for code in allowed
                    if code == order.status or code in pipeline
                ]
            else:
                choices = pipeline.choices()
            self.fields["status"] = forms.ChoiceField(
                label=_("status"),
                choices=choices,
                initial=order.status if order.pk else pipeline.initial.code,
                help_text=_("Only the statuses the pipeline allows next are offered."),
            )
        if "delivery_zone" in self.fields:
            zones = DeliveryZone.objects.filter(is_active=True)
            if order.delivery_zone_id:
                zones = zones | DeliveryZone.objects.filter(pk=order.delivery_zone_id)
            self.fields["delivery_zone"].queryset = zones.distinct()
        if order.pk and order.delivery_cost_overridden:
            self.fields["delivery_cost_override"].initial = order.delivery_cost

    def clean(self):
        data = super().clean()
        if (
            data.get("delivery_cost_override") is not None
            and not (data.get("delivery_cost_reason") or "").strip()
        ):
            self.add_error("delivery_cost_reason", _("Say why the delivery cost is set by hand."))
        return data


class LineAdminForm(forms.ModelForm):
    # No "product" here: a form field for it needs the product model loaded, and this class
    # is built when the admin is imported, which a missing or misspelt
    # ISTOK_ORDERS_PRODUCT_MODEL would crash before check istok_orders.E007 could say so.
    # The admin's inline names "product" in its fields, so its form gets the field when a
    # page is built.
    class Meta:
        model = OrderLine
        fields = ["product_name", "quantity", "unit_price", "configuration"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_name"].required = False
        self.fields["product_name"].help_text = _("Empty: the product's name.")
        self.fields["unit_price"].required = False
        self.fields["unit_price"].help_text = _("Empty: the product's price.")

    def clean(self):
        data = super().clean()
        product = data.get("product")
        if self.instance.pk and "product" in self.changed_data:
            self.add_error(
                "product", _("To change the product, remove the line and add a new one.")
            )
        if not data.get("product_name"):
            if product is None:
                self.add_error("product_name", _("Name the item or choose a product."))
            else:
                data["product_name"] = str(product)[:255]
        if data.get("unit_price") is None:
            price = getattr(product, "price", None) if product is not None else None
            if price is None:
                self.add_error("unit_price", _("Enter the unit price."))
            else:
                data["unit_price"] = price
        return data


class AdjustmentAdminForm(forms.ModelForm):
    class Meta:
        model = Adjustment
        fields = ["kind", "label", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False
        self.fields["label"].help_text = _("Empty: the kind's name.")
        if self.instance.is_managed:
            # Backed by another app's record (a points payment): shown, never changed here.
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        data = super().clean()
        if self.instance.pk and "kind" in self.changed_data:
            self.add_error("kind", _("To change the kind, remove it and add a new one."))
        if not data.get("label") and data.get("kind") in Adjustment.Kind.values:
            data["label"] = str(Adjustment.Kind(data["kind"]).label)
        return data


class DocumentUploadForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "file", "customer_visible"]

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("file"):
            try:
                services.validate_document(data["kind"], data["file"])
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    self.add_error(name, errors)
        return data


class StatusActionForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"))
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = get_pipeline().choices()
