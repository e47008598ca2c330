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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promotion"].queryset = selectors.order_promotion_pool()


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
