"""Signals istok_accounts sends. Other apps connect to them in their ``receivers.py``.

``user_signed_up``
    Sent after the transaction that created the account has committed.

    - ``sender``: the user model class.
    - ``user``: the new user.
    - ``request``: the ``HttpRequest`` of the signup, or ``None`` when the account was made
      outside a request (a management command, a test).
    - ``referral_code``: the code typed on the signup form or sent to the API, stripped;
      ``""`` when none was given. istok_accounts never checks it: the receiver that knows
      referral codes (istok_loyalty) decides what it means.

``referral_code_check``
    Sent when a signup (the page or the API) has a referral code, before the account is
    made: a receiver that knows referral codes (istok_loyalty) raises
    ``django.core.exceptions.ValidationError`` for a code a new customer cannot join with,
    and the signup is refused with that message on the ``referral_code`` field. No
    receiver: every code passes.

    - ``sender``: the user model class.
    - ``code``: the code as typed, stripped.
    - ``request``: the ``HttpRequest``, or ``None``.

``referral_code_remembered``
    Sent when the signup page is shown, to fill in the referral code field: a receiver
    returns the code it remembers for this visitor (istok_loyalty: the code of the
    referral link they came by), or ``""``. The first code given is used.

    - ``sender``: the user model class.
    - ``request``: the ``HttpRequest``.

``profile_updated``
    Sent after the transaction that changed a user's profile (``services.update_profile``)
    has committed: istok_loyalty awards its bonus when the profile reaches 100%.

    - ``sender``: the user model class.
    - ``user``: the user whose profile changed.
    - ``fields``: the names of the profile fields that were given (a tuple).

``personal_data_requested``
    Sent when a user downloads their data. Each receiver returns a dict that maps a section
    name (its app label, say ``"istok_orders"``) to JSON-serialisable data about ``user``,
    or ``None`` when it holds nothing. Dates, decimals and UUIDs are fine (the export uses
    ``DjangoJSONEncoder``).

    - ``sender``: the user model class.
    - ``user``: whose data is exported.

``user_erased``
    Sent when a user deletes their account, inside the erasure transaction and before the
    account's own fields are anonymised, so that a receiver still sees the email address
    and a receiver that fails rolls the whole erasure back. Each app anonymises or deletes
    what it holds about ``user``; what the law requires to keep (contracts, receipts) is
    kept without personal fields.

    - ``sender``: the user model class.
    - ``user``: the account being erased.
"""

from django.dispatch import Signal

user_signed_up = Signal()
referral_code_check = Signal()
referral_code_remembered = Signal()
profile_updated = Signal()
personal_data_requested = Signal()
user_erased = Signal()


def takes_referral_code():
    """Whether signup asks for a referral code: ``ISTOK_ACCOUNTS_SIGNUP_REFERRAL_CODE``, and
    when that is ``None``, whether something receives ``user_signed_up`` to read it."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    wanted = settings.ISTOK_ACCOUNTS_SIGNUP_REFERRAL_CODE
    if wanted is None:
        return user_signed_up.has_listeners(get_user_model())
    return bool(wanted)


def check_referral_code(code, request=None):
    """Ask ``referral_code_check``'s receivers about ``code``; their ``ValidationError``
    is passed on as an error of the ``referral_code`` field."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    code = (code or "").strip()
    if not code:
        return
    try:
        referral_code_check.send(sender=get_user_model(), code=code, request=request)
    except ValidationError as exc:
        messages = exc.message_dict.get("referral_code") if hasattr(exc, "error_dict") else None
        raise ValidationError({"referral_code": messages or exc.messages}) from exc


def remembered_referral_code(request):
    """The referral code a receiver of ``referral_code_remembered`` remembers for the
    visitor of ``request``, or ``""``."""
    from django.contrib.auth import get_user_model

    for _receiver, code in referral_code_remembered.send(sender=get_user_model(), request=request):
        if code:
            return str(code)
    return ""
