"""Use cases of istok_loyalty: the only code that writes its data.

Pages, the API, the admin, the commands and the receivers of other apps' signals call
these functions. Each one checks what it is given and raises
:class:`~django.core.exceptions.ValidationError` (field errors where a field is at fault)
before anything is kept: a refused change leaves the database as it was.

Points move only through :func:`earn`, :func:`redeem` and :func:`adjust` (and
:func:`expire_due`), which all write through one ledger function: the balance is updated
in the same transaction as the ledger row, under the account's row lock, with a
conditional update as a guard; an idempotency key used twice writes one row.
"""

from istok_core.transactions import TryAgain

from ._ledger import (
    MAX_POINTS,
    IdempotencyConflict,
    InsufficientPoints,
    check_key,
    get_or_create_account,
)
from .orders import (
    award_order_cashback,
    max_points_for_order,
    order_status_changed,
    pay_order_with_points,
    payment_mismatches,
    payment_source_key,
    record_failed_reaction,
    refund_order_points,
    retry_failed_reactions,
)
from .personal_data import anonymise_user
from .points import (
    adjust,
    award_profile_completed,
    award_signup_bonus,
    earn,
    expire_due,
    redeem,
    welcome,
)
from .promotions import PROMOTION_REFERENCE, apply_promotion
from .referrals import (
    apply_referral,
    check_referral_code,
    choose_gift,
    confirm_referral,
    find_referrer_account,
    validate_pool_choice,
)

__all__ = [
    "MAX_POINTS",
    "PROMOTION_REFERENCE",
    "IdempotencyConflict",
    "InsufficientPoints",
    "TryAgain",
    "adjust",
    "anonymise_user",
    "apply_promotion",
    "apply_referral",
    "award_order_cashback",
    "award_profile_completed",
    "award_signup_bonus",
    "check_key",
    "check_referral_code",
    "choose_gift",
    "confirm_referral",
    "earn",
    "expire_due",
    "find_referrer_account",
    "get_or_create_account",
    "max_points_for_order",
    "order_status_changed",
    "pay_order_with_points",
    "payment_mismatches",
    "payment_source_key",
    "record_failed_reaction",
    "redeem",
    "refund_order_points",
    "retry_failed_reactions",
    "validate_pool_choice",
    "welcome",
]
