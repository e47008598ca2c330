"""Forms of the booking pages. They check the shape of the input; the services check the
rules (the time, the contact, the order) and write.

The booking page is two plain forms, so it works without JavaScript: :class:`SlotSearchForm`
(GET: the kind of visit and the day) and :class:`BookingForm` (POST: one of that day's free
times and the details). The reschedule page reuses both.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from istok_core.formatting import format_phone, phone_example
from istok_core.phones import PhoneField

from .models import Network, Purpose, VisitKind
from .services._common import MAX_TEXT


class ServiceErrorsMixin:
    """Validation errors a service raised, shown on the form like its own: on their field
    when the form has it, else above the form."""

    def add_service_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class KindChoiceField(forms.ModelChoiceField):
    """A kind of visit, shown with its length and place."""

    def label_from_instance(self, kind):
        hours, minutes = divmod(kind.duration, 60)
        if hours and minutes:
            length = _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        elif hours:
            length = _("%(hours)s h") % {"hours": hours}
        else:
            length = _("%(minutes)s min") % {"minutes": minutes}
        parts = [str(kind.translated.name), str(length)]
        if kind.translated.location:
            parts.append(kind.translated.location)
        return " · ".join(parts)


def local_today():
    return timezone.localdate()


def last_bookable_day():
    return local_today() + timedelta(days=settings.ISTOK_BOOKING_HORIZON_DAYS)


class DayInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``, ISO dates), limited to the days
    one may book."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        attrs = {
            "min": local_today().isoformat(),
            "max": last_bookable_day().isoformat(),
            **(attrs or {}),
        }
        return super().get_context(name, value, attrs)


class DayField(forms.DateField):
    """A day from today to the booking horizon (``ISTOK_BOOKING_HORIZON_DAYS``)."""

    widget = DayInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a valid date, for example 2026-12-01.")}
        )
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is None:
            return day
        first, last = local_today(), last_bookable_day()
        if not first <= day <= last:
            raise forms.ValidationError(
                _("Choose a day from %(first)s to %(last)s.")
                % {
                    "first": date_format(first, "SHORT_DATE_FORMAT"),
                    "last": date_format(last, "SHORT_DATE_FORMAT"),
                },
                code="out_of_range",
            )
        return day


class SlotSearchForm(forms.Form):
    """Step 1 (sent with GET): the kind of visit and the day; ``product`` and ``order``
    ride along from the address (``?product=<slug>``, ``?order=<pk>``)."""

    kind = KindChoiceField(
        label=_("Kind of visit"),
        queryset=VisitKind.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the kinds of visit offered.")},
    )
    day = DayField(label=_("Day"), required=False)
    product = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    order = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].queryset = kinds


class DaySearchForm(forms.Form):
    """The day alone (sent with GET), for moving a visit whose kind is given."""

    day = DayField(label=_("Day"), required=False)


def slot_label(slot):
    """``10:30``: the slot's start on the site's clock."""
    return date_format(timezone.localtime(slot.starts_at), "TIME_FORMAT")


class SlotRadioSelect(forms.RadioSelect):
    """The free times as buttons: each shows its start and, when a kind takes several
    visits at a time, how many it still takes (``remaining``: value → number)."""

    option_template_name = "istok_booking/widgets/slot_option.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.remaining = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["remaining"] = self.remaining.get(value)
        return option


class SlotField(forms.ChoiceField):
    """One of the offered times, as its ISO datetime. A time that was offered a moment ago
    but is no longer (taken, or the page was open long) is still read here: the service
    decides, and says why it is refused."""

    default_error_messages = {
        "required": _("Choose a time."),
        "invalid_choice": _("Choose one of the times offered."),
    }

    def valid_value(self, value):
        return True

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def slot_value(slot):
    return timezone.localtime(slot.starts_at).isoformat()


class SlotForm(ServiceErrorsMixin, forms.Form):
    """Step 2's time (sent with POST): one of the day's free times."""

    starts_at = SlotField(label=_("Time"), widget=SlotRadioSelect)

    def __init__(self, *args, slots=(), capacity=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer(slots, capacity)

    def offer(self, slots, capacity=1):
        """Offer ``slots``; with a ``capacity`` over one, each says how many visits it
        still takes."""
        field = self.fields["starts_at"]
        field.choices = [(slot_value(slot), slot_label(slot)) for slot in slots]
        field.widget.remaining = (
            {slot_value(slot): slot.remaining for slot in slots} if capacity > 1 else {}
        )


PHONE = "phone"


def contact_method_choices():
    return [
        (PHONE, _("Phone call")),
        *(
            (network.code, network.translated.name)
            for network in Network.objects.filter(is_active=True)
        ),
    ]


class BookingForm(SlotForm):
    """Step 2: the time and the details of the visit. The guest's fields are there only
    for a visitor who is not signed in (``guest=True``), the address only for a visit at
    the customer's home, the purpose only when the visit is not a measurement for an
    order."""

    purpose = forms.ModelChoiceField(
        label=_("What is it for?"),
        queryset=Purpose.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose what the visit is for."),
            "invalid_choice": _("Choose one of the purposes offered."),
        },
    )
    consultation_wanted = forms.BooleanField(
        label=_("I would like an expert consultation on furnishing my home first"),
        required=False,
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        widget=forms.RadioSelect,
        initial=PHONE,
        error_messages={
            "invalid_choice": _("Choose the phone or one of the messengers offered."),
        },
    )
    contact_value = forms.CharField(
        label=_("Your phone number, user name or link"),
        required=False,
        max_length=255,
        help_text=_(
            "For a call: your phone number. For a messenger: your user name (@name), "
            "the phone number it uses, or a link to your page."
        ),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
        help_text=_("Where we should come: city, street, house, flat."),
        error_messages={"required": _("Give the address where we should come.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything we should know before the visit."),
    )
    guest_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={"required": _("Tell us your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    guest_phone = PhoneField(label=_("Your phone number"))
    guest_email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        help_text=_("Optional: we send the confirmation and a calendar file there."),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        error_messages={
            "required": _("Agree to the processing of your personal data to book a visit.")
        },
    )

    def __init__(self, *args, kind, guest=False, for_order=False, phone="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_method"].choices = contact_method_choices()
        value = self.fields["contact_value"]
        value.widget.attrs.update(
            {
                "data-phone": format_phone(phone),
                "data-phone-placeholder": phone_example(),
                "data-network-placeholder": "@ivan_petrov",
                "autocomplete": "tel",
            }
        )
        if phone:
            value.initial = format_phone(phone)
        if not kind.at_home:
            del self.fields["address"]
        if for_order:
            del self.fields["purpose"]
        if not guest:
            for name in ("guest_name", "guest_phone", "guest_email", "consent"):
                del self.fields[name]
        else:
            value.help_text = _(
                "Empty for a call: we call the phone number above. For a messenger: your "
                "user name (@name), the phone number it uses, or a link to your page."
            )

    def booking_arguments(self):
        """The cleaned data as the arguments of ``services.book``."""
        data = self.cleaned_data
        arguments = {
            "starts_at": data["starts_at"],
            "contact_method": data["contact_method"],
            "contact_value": data["contact_value"],
            "consultation_wanted": data["consultation_wanted"],
            "notes": data["notes"],
            "address": data.get("address", ""),
        }
        if "purpose" in self.fields:
            arguments["purpose"] = data["purpose"]
        if "guest_name" in self.fields:
            arguments.update(
                guest_name=data["guest_name"],
                guest_phone=str(data["guest_phone"]),
                guest_email=data["guest_email"],
                consent=data["consent"],
            )
        return arguments


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
