"""A phone number form field that reads and shows numbers as every istok page does.

Needs django-phonenumber-field (istok-accounts and istok-booking depend on it); only the
apps' forms import this module. The field shows a saved number in the one display format
(``+7 912 345-67-89``, :func:`~istok_core.formatting.format_phone`), and its help text
and its error message give the same example, so the three never disagree.
"""

from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from .formatting import format_phone, phone_example


class PhoneInput(RegionalPhoneNumberWidget):
    """A ``tel`` input showing a saved number in the display format."""

    input_type = "tel"

    def format_value(self, value):
        if isinstance(value, PhoneNumber) and value.is_valid():
            return format_phone(value)
        return super().format_value(value)


class PhoneField(PhoneNumberField):
    """``PhoneNumberField`` read in ``region`` (a number without ``+`` is dialled there),
    shown, explained and refused with one example number of that region."""

    widget = PhoneInput

    def __init__(self, *args, region=None, **kwargs):
        example = phone_example(region)
        kwargs.setdefault("help_text", _("For example %(example)s.") % {"example": example})
        error_messages = {
            "invalid": _("Enter a valid phone number, for example %(example)s.")
            % {"example": example},
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(*args, region=region, error_messages=error_messages, **kwargs)
        self.widget.attrs.setdefault("autocomplete", "tel")
