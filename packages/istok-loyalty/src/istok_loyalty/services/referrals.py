"""The referral program: attaching a referral at signup, the gift, the confirmation."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from istok_core.transactions import retrying

from ..adapter import get_adapter
from ..models import LoyaltyAccount, Promotion, Referral
from ..signals import referral_confirmed, referral_created
from ._ledger import Reason, error
from .points import earn


def _already_referred():
    return error(
        "referral_code", _("You have already joined with a referral code."), "already_referred"
    )


def _gift(gift):
    """``gift`` (a ``Promotion`` or its primary key) if it is in the current referral pool."""
    if isinstance(gift, Promotion):
        pk = gift.pk
    elif isinstance(gift, int) and not isinstance(gift, bool):
        pk = gift
    elif isinstance(gift, str) and gift.strip().isdigit():
        pk = int(gift.strip())
    else:
        pk = None
    found = (
        Promotion.objects.pool(Promotion.Program.REFERRAL).filter(pk=pk).first()
        if pk is not None
        else None
    )
    if found is None:
        raise error("gift", _("Choose one of the gifts on offer."), "invalid_gift")
    return found


def find_referrer_account(code):
    """The account whose referral code is ``code`` (as typed), or ``None``."""
    code = get_adapter().normalize_referral_code(code)
    if not code:
        return None
    return LoyaltyAccount.objects.select_related("user").filter(referral_code=code).first()


def check_referral_code(code):
    """The referrer's account of ``code`` (as typed), if a new customer may join with it;
    else a ``ValidationError`` on ``referral_code``: no code, or an unknown or inactive
    one. The signup form asks it before the account exists (``referral_code_check`` of
    istok_accounts), :func:`apply_referral` again after."""
    if not get_adapter().normalize_referral_code(code):
        raise error("referral_code", _("Enter a referral code."), "required")
    account = find_referrer_account(code)
    if account is None or not account.referral_enabled or not account.user.is_active:
        raise error(
            "referral_code",
            _("This referral code is unknown or no longer valid."),
            "invalid_code",
        )
    return account


@retrying
@transaction.atomic
def apply_referral(new_user, code, *, gift=None):
    """Record that ``new_user`` came with ``code`` and return the new ``Referral``.

    Refused with a ``ValidationError`` on ``referral_code`` and nothing written: an unknown
    or inactive code, the user's own code, and a user who already has a referral (also
    when two requests try at once: the database keeps one). ``gift`` (optional) must be
    a current promotion of the referral program. Call it from a signup flow; with
    istok_accounts it runs on ``user_signed_up``.
    """
    if new_user is None or getattr(new_user, "pk", None) is None:
        raise error("user", _("Choose the customer."), "required")
    account = check_referral_code(code)
    if account.user_id == new_user.pk:
        raise error("referral_code", _("You cannot use your own referral code."), "self_referral")
    if Referral.objects.filter(new_user_id=new_user.pk).exists():
        raise _already_referred()
    get_adapter().can_refer(account.user, new_user)
    gift = _gift(gift) if gift not in (None, "") else None
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                referrer_id=account.user_id,
                new_user_id=new_user.pk,
                code=account.referral_code,
                gift=gift,
            )
    except IntegrityError:
        # A concurrent signup attached a referral to the same user first.
        raise _already_referred() from None
    transaction.on_commit(partial(referral_created.send, sender=Referral, referral=referral))
    return referral


@retrying
@transaction.atomic
def choose_gift(new_user, gift):
    """Set the gift (a current promotion of the referral program) that ``new_user``
    chose for joining with a friend's code, and return the ``Referral``. The gift may be
    changed until the referral is confirmed."""
    referral = (
        Referral.objects.select_for_update(of=("self",)).filter(new_user_id=new_user.pk).first()
    )
    if referral is None:
        raise error("gift", _("You did not join with a referral code."), "no_referral")
    if referral.confirmed:
        raise error(
            "gift", _("Your gift can no longer be changed: it is being prepared."), "confirmed"
        )
    referral.gift = _gift(gift)
    referral.save(update_fields=["gift"])
    return referral


@retrying
@transaction.atomic
def confirm_referral(new_user, *, order=None):
    """Confirm the referral of ``new_user`` (their first order reached the confirming
    status) and credit the referrer's bonus. Exactly once: a second call, also a
    concurrent one, finds it confirmed and returns ``None``. Returns the ``Referral``
    when this call confirmed it."""
    # Only the referral's row: locking the referrer's user row too (what a bare
    # select_related would do) deadlocks with the referrer's own requests.
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("referrer")
        .filter(new_user_id=new_user.pk)
        .first()
    )
    if referral is None or referral.confirmed:
        return None
    referral.confirmed = True
    referral.confirmed_at = timezone.now()
    referral.confirmed_by_order = str(getattr(order, "number", "") or "")[:64]
    referral.save(update_fields=["confirmed", "confirmed_at", "confirmed_by_order"])
    points = get_adapter().referral_bonus(referral)
    row = None
    if points > 0:
        row = earn(
            referral.referrer,
            points,
            reason=Reason.REFERRAL,
            idempotency_key=f"referral:{referral.pk}",
            source=referral,
            reference=referral.confirmed_by_order,
        )
    transaction.on_commit(
        partial(referral_confirmed.send, sender=Referral, referral=referral, transaction=row)
    )
    return referral


def validate_pool_choice(promotion, program):
    """Raise ``ValidationError`` unless ``promotion`` is a current promotion of
    ``program`` (for a promotion chosen when ordering, say)."""
    if not isinstance(promotion, Promotion) or not promotion.is_current():
        raise ValidationError(_("This promotion is not on offer."), code="not_current")
    if promotion.program != program:
        raise ValidationError(_("This promotion is not on offer."), code="other_program")
    return promotion
