"""istok_accounts (or any user model with a ``phone``): the phone of the profile."""

import phonenumbers

from istok_core.formatting import phone_region


def contact_phone_for(user):
    """The phone number of ``user``'s profile in E.164 (``"+79123456789"``), to prefill
    the booking form; ``""`` for an anonymous visitor or a profile without a valid one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    value = getattr(user, "phone", None)
    if not value:
        return ""
    try:
        number = phonenumbers.parse(str(value), phone_region())
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
