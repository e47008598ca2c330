"""Forms of the pages and the admin. They check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Promotion
from .services import MAX_POINTS, TryAgain


class ServiceErrorsMixin:
    """Validation errors a service raised, shown on the form like its own."""

    def add_service_error(self, error):
        if isinstance(error, TryAgain):
            self.add_error(None, error.message)
            return
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class PayOrderForm(ServiceErrorsMixin, forms.Form):
    points = forms.IntegerField(label=_("Points to spend"), min_value=1, max_value=MAX_POINTS)

    def __init__(self, *args, max_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        if max_points is not None:
            self.fields["points"].widget.attrs["max"] = max(max_points, 1)
            self.fields["points"].help_text = _("At most %(max)s points.") % {"max": max_points}


class GiftForm(ServiceErrorsMixin, forms.Form):
    gift = forms.ModelChoiceField(
        label=_("Your gift"),
        queryset=Promotion.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the gifts on offer.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gift"].queryset = selectors.promotion_pool(Promotion.Program.REFERRAL)


class PromotionChoiceForm(ServiceErrorsMixin, forms.Form):
    """The promotion a customer chooses for an order, from the current ordering pool."""

    promotion = forms.ModelChoiceField(
        label=_("Your promotion"),
        queryset=Promotion.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose a promotion."),
            "invalid_choice": _("This promotion is not on offer."),
        },
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promotion"].queryset = selectors.order_promotion_pool(order=order)


class CategoriesField(forms.MultipleChoiceField):
    """The catalog categories a promotion is for: ticked from the adapter's
    ``category_choices`` (istok_catalog's categories), or typed as codes separated by
    commas where there is none to list."""

    def __init__(self, *, choices=(), **kwargs):
        super().__init__(choices=choices, **kwargs)
        if choices:
            self.widget = forms.CheckboxSelectMultiple(choices=self.choices)
        else:
            self.widget = forms.TextInput()

    def to_python(self, value):
        if isinstance(value, str):
            value = [code.strip() for code in value.split(",")]
        return [code for code in super().to_python(value) if code]

    def prepare_value(self, value):
        if not self.choices and isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def valid_value(self, value):
        return not self.choices or super().valid_value(value)


class PromotionAdminForm(forms.ModelForm):
    class Meta:
        model = Promotion
        fields = ["category_slugs"]  # the admin adds its fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .adapter import get_adapter

        model_field = Promotion._meta.get_field("category_slugs")
        choices = list(get_adapter().category_choices())
        if choices:
            # A category that is no longer listed stays visible, so it can be unticked.
            chosen = self.instance.category_slugs or []
            choices += [(code, code) for code in chosen if code not in dict(choices)]
        self.fields["category_slugs"] = CategoriesField(
            choices=choices,
            required=False,
            label=model_field.verbose_name,
            help_text=model_field.help_text,
        )


class AdjustPointsForm(ServiceErrorsMixin, forms.Form):
    """The admin's manual adjustment: a signed number of points and the reason."""

    points = forms.IntegerField(
        label=_("points"),
        min_value=-MAX_POINTS,
        max_value=MAX_POINTS,
        help_text=_("Positive to add points, negative to take them away."),
    )
    note = forms.CharField(
        label=_("reason"),
        max_length=255,
        help_text=_("Why the points are adjusted. The customer sees it in their history."),
    )

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("Enter a number of points other than zero."))
        return points
