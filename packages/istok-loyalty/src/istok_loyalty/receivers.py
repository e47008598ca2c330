"""Reactions to other istok apps' signals. Connected in ``AppConfig.ready()`` only when
the other app is installed.

The signals of istok_accounts and istok_orders are sent after their change has
committed: a failure here must not reach the customer who signed up or the manager who
moved an order, so each receiver logs it instead of raising. Every reaction is
idempotent (keys on the ledger, a lock on the referral), so a repeated signal changes
nothing.
"""

import logging

from . import selectors, services

logger = logging.getLogger("istok_loyalty")


# istok_accounts ---------------------------------------------------------------------------


def on_user_signed_up(sender, user, request=None, referral_code="", **kwargs):
    """``user_signed_up``: open the account, give the signup bonus, attach the referral
    (the code typed at signup, or the one the referral link's cookie remembers)."""
    try:
        services.welcome(user, request=request, referral_code=referral_code)
    except Exception:
        logger.exception("Could not welcome user %s to the loyalty program", user.pk)


def check_signup_referral_code(sender, code, request=None, **kwargs):
    """``referral_code_check``: a code a new customer cannot join with (unknown, switched
    off) refuses the signup before the account exists, with the reason on the field."""
    services.check_referral_code(code)


def remembered_referral_code(sender, request, **kwargs):
    """``referral_code_remembered``: the code of the referral link the visitor came by,
    so that the signup form shows it."""
    return selectors.referral_code_from_request(request)


def on_profile_updated(sender, user, fields=(), **kwargs):
    """``profile_updated``: the one-time bonus when the profile reaches 100%."""
    from istok_accounts.selectors import profile_completion

    try:
        if profile_completion(user).percent == 100:
            services.award_profile_completed(user)
    except Exception:
        logger.exception("Could not award the profile bonus to user %s", user.pk)


def export_loyalty(sender, user, **kwargs):
    """``personal_data_requested``: the account, its ledger and the referrals."""
    return {"istok_loyalty": selectors.personal_data(user)}


def anonymise_loyalty(sender, user, **kwargs):
    """``user_erased``: keep the ledger for accounting, without anything personal. Inside
    the erasure's transaction: a failure here rolls the erasure back, so it is not
    caught."""
    services.anonymise_user(user)


def connect_accounts():
    from istok_accounts import signals

    signals.user_signed_up.connect(
        on_user_signed_up, dispatch_uid="istok_loyalty.on_user_signed_up"
    )
    signals.referral_code_check.connect(
        check_signup_referral_code, dispatch_uid="istok_loyalty.check_referral_code"
    )
    signals.referral_code_remembered.connect(
        remembered_referral_code, dispatch_uid="istok_loyalty.remembered_referral_code"
    )
    signals.profile_updated.connect(
        on_profile_updated, dispatch_uid="istok_loyalty.on_profile_updated"
    )
    signals.personal_data_requested.connect(
        export_loyalty, dispatch_uid="istok_loyalty.export_loyalty"
    )
    signals.user_erased.connect(anonymise_loyalty, dispatch_uid="istok_loyalty.anonymise_loyalty")


# istok_orders -----------------------------------------------------------------------------


def on_order_status_changed(sender, order, old_status=None, new_status=None, **kwargs):
    """``order_status_changed``: cashback, the referral's confirmation, points given back
    on cancellation (see :func:`istok_loyalty.services.order_status_changed`, which runs
    again by itself on a deadlock). What still fails is logged and kept as a
    ``FailedReaction`` that ``istok_loyalty_retry`` runs again: never lost silently."""
    status = new_status or order.status
    try:
        services.order_status_changed(order, status)
    except Exception as exc:
        logger.exception("Could not apply the loyalty rules to order %s", order.pk)
        try:
            services.record_failed_reaction(order.pk, status, exc)
        except Exception:
            logger.exception("Could not record the failed reaction to order %s", order.pk)


def connect_orders():
    from istok_orders.signals import order_status_changed

    order_status_changed.connect(
        on_order_status_changed, dispatch_uid="istok_loyalty.on_order_status_changed"
    )
