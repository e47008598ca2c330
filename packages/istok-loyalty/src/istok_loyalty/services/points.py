"""Earning, redeeming, adjusting and expiring points, and the welcome of a new customer."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from istok_core.transactions import retrying

from ..adapter import get_adapter
from ..models import LoyaltyTransaction
from . import _ledger
from ._ledger import Reason, Type, check_points, error, open_awards, text, write

logger = logging.getLogger("istok_loyalty")

#: ``expires_at`` left out: the adapter decides (``ISTOK_LOYALTY_POINTS_EXPIRE_DAYS``).
DEFAULT = object()


@retrying
def earn(
    user,
    points,
    *,
    reason,
    idempotency_key=None,
    source=None,
    reference="",
    note="",
    expires_at=DEFAULT,
    actor=None,
):
    """Award ``points`` (a positive whole number) to ``user`` and return the ledger row.

    ``reason`` is one of ``LoyaltyTransaction.Reason`` (or your own short code);
    ``source`` the object that caused it (an order, a referral), ``reference`` the same in
    words. ``idempotency_key``: the same key twice writes one row (the second call returns
    the first row). The award expires as the adapter says unless ``expires_at`` is given
    (``None``: never).
    """
    points = check_points(points)
    reason = text(reason, "reason", 32) or Reason.OTHER
    if expires_at is DEFAULT:
        expires_at = get_adapter().award_expires_at(reason)
    return write(
        user,
        points,
        type=Type.EARN,
        reason=reason,
        idempotency_key=idempotency_key,
        source=source,
        reference=reference,
        note=note,
        expires_at=expires_at,
        actor=actor,
    )


@retrying
def redeem(
    user,
    points,
    *,
    reason=Reason.REDEEMED,
    idempotency_key=None,
    source=None,
    reference="",
    note="",
    actor=None,
):
    """Take ``points`` from ``user``'s balance, the oldest awards first, and return the
    ledger row. More than the balance raises :class:`InsufficientPoints` (a
    ``ValidationError`` on ``points``) and writes nothing."""
    points = check_points(points)
    return write(
        user,
        -points,
        type=Type.REDEEM,
        reason=text(reason, "reason", 32) or Reason.REDEEMED,
        idempotency_key=idempotency_key,
        source=source,
        reference=reference,
        note=note,
        actor=actor,
    )


@retrying
def adjust(
    user,
    points,
    *,
    note,
    actor=None,
    reason=Reason.MANUAL,
    idempotency_key=None,
    source=None,
    reference="",
    expires_at=None,
):
    """Add (``points`` > 0) or take away (``points`` < 0) points by hand, saying why in
    ``note`` (required: it is on the customer's history). Taking more than the balance
    is refused like a redemption."""
    points = check_points(points, signed=True)
    note = text(note, "note", 255)
    if not note:
        raise error("note", _("Say why the points are adjusted."), "required")
    return write(
        user,
        points,
        type=Type.ADJUST,
        reason=text(reason, "reason", 32) or Reason.MANUAL,
        idempotency_key=idempotency_key,
        source=source,
        reference=reference,
        note=note,
        expires_at=expires_at,
        actor=actor,
    )


def expire_due(now=None):
    """Expire what is left of every award whose expiry has passed; return the new
    ``expire`` rows. Running it again expires nothing more (one key per award)."""
    now = now or timezone.now()
    due = (
        LoyaltyTransaction.objects.filter(delta__gt=0, expires_at__lte=now)
        .values_list("pk", "account_id")
        .order_by("expires_at", "pk")
    )
    written = []
    for award_pk, account_id in due.iterator():
        row = _expire_award(award_pk, account_id, now)
        if row is not None:
            written.append(row)
    return written


@retrying
@transaction.atomic
def _expire_award(award_pk, account_id, now):
    """Expire what is left of one award, decided under its account's lock."""
    award = (
        LoyaltyTransaction.objects.select_related("account__user")
        .filter(pk=award_pk, account_id=account_id)
        .first()
    )
    if award is None:
        return None
    _ledger.lock_account(award.account.user)
    # What is left, read under the account's lock.
    left = (
        open_awards(account_id)
        .filter(pk=award_pk, expires_at__lte=now)
        .values_list("left", flat=True)
        .first()
    )
    if not left:
        return None  # spent or already expired
    return write(
        award.account.user,
        -left,
        type=Type.EXPIRE,
        reason=Reason.EXPIRED,
        idempotency_key=f"expire:{award_pk}",
        source=award,
        reference=award.get_reason_display(),
        from_award=award,
    )


# Rules ------------------------------------------------------------------------------------


def award_signup_bonus(user):
    """Give ``user`` the signup bonus once (``None`` when the bonus is zero)."""
    points = get_adapter().signup_bonus(user)
    if points <= 0:
        return None
    return earn(user, points, reason=Reason.SIGNUP, idempotency_key=f"signup:{user.pk}")


def award_profile_completed(user):
    """Give ``user`` the bonus for a complete profile once (``None`` when zero)."""
    points = get_adapter().profile_completed_bonus(user)
    if points <= 0:
        return None
    return earn(
        user,
        points,
        reason=Reason.PROFILE_COMPLETED,
        idempotency_key=f"profile-complete:{user.pk}",
    )


def _tell(request, level, message):
    if request is not None:
        messages.add_message(request, level, message, fail_silently=True)


def welcome(user, *, request=None, referral_code=""):
    """What a new customer gets: the account, the signup bonus and, with a referral code
    (given, or remembered by the signed cookie of the referral link on ``request``), the
    referral. Any signup flow may call it; with istok_accounts it runs on
    ``user_signed_up``. Calling it again changes nothing.

    A refused code (unknown, inactive, one's own, a second one) is not an error: the
    account and the bonus stay, and the reason is put in the request's messages. Returns
    ``(account, referral)``; ``referral`` is ``None`` when there is none.
    """
    from ..selectors import referral_code_from_request
    from .referrals import apply_referral

    account = _ledger.get_or_create_account(user)
    award_signup_bonus(user)
    code = (referral_code or "").strip() or referral_code_from_request(request)
    if not code:
        return account, None
    try:
        referral = apply_referral(user, code)
    except ValidationError as exc:
        _tell(request, messages.WARNING, " ".join(exc.messages))
        logger.info("Referral code %r refused for user %s: %s", code, user.pk, exc.messages)
        return account, None
    _tell(request, messages.SUCCESS, _joined_message())
    return account, referral


def _joined_message():
    """ "Choose your gift", with the link to the page where it is chosen."""
    try:
        url = reverse("istok_loyalty:choose_gift")
    except NoReverseMatch:
        return _("You joined with a friend's invitation: choose your gift.")
    return format_html(
        '{} <a href="{}">{}</a>',
        _("You joined with a friend's invitation."),
        url,
        _("Choose your gift"),
    )
