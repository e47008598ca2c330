"""The ledger: the one function that moves points, and what it needs.

Every movement of points goes through :func:`write`. In one database transaction it:

1. locks the account's row (``select_for_update``; SQLite runs one writer at a time);
2. returns the existing row when the account used the idempotency key before for the same
   movement, and refuses a key reused for another one (:class:`IdempotencyConflict`);
3. adds the ledger row (in a savepoint, so a concurrent duplicate key is caught by the
   unique constraint and answered with the row that won);
4. changes the cached balance with a conditional ``UPDATE ... SET balance = balance + d
   WHERE balance >= -d``: the portable guard that holds even without the lock, backed by
   the ``balance >= 0`` check constraint;
5. for a debit, records which awards it spent (oldest first);
6. sends ``points_earned`` or ``points_redeemed`` after commit.
"""

import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..adapter import get_adapter
from ..models import LoyaltyAccount, LoyaltyTransaction, PointsAllocation
from ..signals import points_earned, points_redeemed

logger = logging.getLogger("istok_loyalty")

#: The most points one movement may move (a trillion): far beyond any real award, far
#: below what the 64-bit columns hold.
MAX_POINTS = 10**12
#: The most points one account may hold.
MAX_BALANCE = 10**15
#: The longest idempotency key (the column's length).
MAX_KEY_LENGTH = 255
Type = LoyaltyTransaction.Type
Reason = LoyaltyTransaction.Reason


class InsufficientPoints(ValidationError):
    """Raised when a debit would take the balance below zero. Nothing is written."""


class IdempotencyConflict(ValidationError):
    """Raised when an account's idempotency key comes again with another movement (other
    points, type, reason or cause). Nothing is written; the first movement stands. The
    API answers it with 422, as Stripe does."""

    http_status = 422


def error(field, message, code):
    """A ``ValidationError`` on ``field`` whose error carries ``code``."""
    return ValidationError({field: ValidationError(message, code=code)})


def insufficient(balance, points):
    return InsufficientPoints(
        {
            "points": ValidationError(
                _("You have %(balance)s points: %(points)s cannot be taken.")
                % {"balance": balance, "points": points},
                code="insufficient",
            )
        }
    )


def check_points(value, field="points", *, signed=False):
    """``value`` as a whole number of points (positive, or non-zero when ``signed``)."""
    message = (
        _("Enter a whole number of points other than zero.")
        if signed
        else _("Enter a whole number of points greater than zero.")
    )
    if isinstance(value, bool) or value is None:
        raise error(field, message, "invalid")
    if isinstance(value, float) and not value.is_integer():
        raise error(field, message, "invalid")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (ValueError, TypeError):
        raise error(field, message, "invalid") from None
    if number == 0 or (number < 0 and not signed):
        raise error(field, message, "invalid")
    if abs(number) > MAX_POINTS:
        raise error(field, _("That is too many points."), "too_large")
    return number


def check_key(key):
    """``key`` as an idempotency key (``None`` when empty), or a field error when it is
    longer than the column."""
    key = "" if key is None else str(key).strip()
    if len(key) > MAX_KEY_LENGTH:
        raise error(
            "idempotency_key",
            _("The idempotency key is too long: use at most %(limit)s characters.")
            % {"limit": MAX_KEY_LENGTH},
            "max_length",
        )
    return key or None


def text(value, field, max_length):
    value = "" if value is None else str(value).strip()
    if len(value) > max_length:
        raise error(
            field, _("Use at most %(limit)s characters.") % {"limit": max_length}, "max_length"
        )
    return value


def actor_id(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor.pk


# Accounts -----------------------------------------------------------------------------------


def get_or_create_account(user):
    """The loyalty account of ``user``, created (with a fresh referral code) on first use.

    Safe when two requests create it at once: the unique constraint on the user decides,
    and the loser reads the winner's row.
    """
    if user is None or getattr(user, "pk", None) is None:
        raise error("user", _("Choose the customer."), "required")
    account = LoyaltyAccount.objects.filter(user_id=user.pk).first()
    if account is not None:
        return account
    adapter = get_adapter()
    for _attempt in range(20):
        code = adapter.normalize_referral_code(adapter.generate_referral_code(user))
        try:
            with transaction.atomic():
                return LoyaltyAccount.objects.create(user_id=user.pk, referral_code=code)
        except IntegrityError:
            account = LoyaltyAccount.objects.filter(user_id=user.pk).first()
            if account is not None:
                return account
            # The code was taken: draw another one.
    raise RuntimeError("Could not find a free referral code; make the codes longer.")


def lock_account(user):
    """The account of ``user``, created if needed, its row locked until the transaction
    ends (only the account's row: never the user's, see the lock order)."""
    account = get_or_create_account(user)
    return LoyaltyAccount.objects.select_for_update(of=("self",)).get(pk=account.pk)


# Reading the ledger -------------------------------------------------------------------------


def existing(account, key):
    """The row ``account`` wrote with the idempotency ``key`` before, or ``None``."""
    if not key:
        return None
    return LoyaltyTransaction.objects.filter(account=account, idempotency_key=key).first()


def replay(found, *, delta, type, reason, content_type, object_id, reverses=None):
    """``found`` (the row an earlier call wrote with the same key) if it is the same
    movement; else :class:`IdempotencyConflict`."""
    same = (
        found.delta == delta
        and found.type == type
        and found.reason == reason
        and found.content_type_id == (content_type.pk if content_type else None)
        and found.object_id == object_id
        and found.reverses_id == (reverses.pk if reverses is not None else None)
    )
    if not same:
        raise IdempotencyConflict(
            {
                "idempotency_key": ValidationError(
                    _(
                        "This idempotency key was already used for another operation. "
                        "Use a new key for a new operation."
                    ),
                    code="idempotency_key_reused",
                )
            }
        )
    return found


def open_awards(account_id):
    """The awards of the account with points left, oldest first, each with ``left``."""
    spent = (
        PointsAllocation.objects.filter(credit=OuterRef("pk"))
        .values("credit")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return (
        LoyaltyTransaction.objects.filter(account_id=account_id, delta__gt=0)
        .annotate(left=F("points") - Coalesce(Subquery(spent), Value(0)))
        .filter(left__gt=0)
        .order_by("created", "pk")
    )


def source_fields(source):
    if source is None:
        return None, ""
    return ContentType.objects.get_for_model(source), str(source.pk)


# Writing ------------------------------------------------------------------------------------


def _allocate(account_id, debit, from_award=None):
    """Record which awards ``debit`` spent: ``from_award`` only (expiry), else the oldest
    first."""
    needed = debit.points
    awards = open_awards(account_id)
    if from_award is not None:
        awards = awards.filter(pk=from_award.pk)
    allocations = []
    offset = 0
    while needed > 0:
        batch = list(awards[offset : offset + 100])
        if not batch:
            break
        offset += len(batch)
        for award in batch:
            take = min(award.left, needed)
            allocations.append(PointsAllocation(debit=debit, credit_id=award.pk, points=take))
            needed -= take
            if needed == 0:
                break
    PointsAllocation.objects.bulk_create(allocations)
    if needed:
        # Only when the ledger was written around the services: the balance is still right.
        logger.warning("Debit %s could not be matched with awards (%s points).", debit.pk, needed)


def write(
    user,
    delta,
    *,
    type,
    reason,
    idempotency_key=None,
    source=None,
    reference="",
    note="",
    expires_at=None,
    actor=None,
    from_award=None,
    reverses=None,
):
    """Move ``delta`` points (signed) on ``user``'s account and return the ledger row.

    The only function that writes the ledger (see the module's docstring). A key the
    account used before for the same movement returns the existing row and writes
    nothing; for another movement it raises :class:`IdempotencyConflict`. A debit larger
    than the balance raises :class:`InsufficientPoints` and writes nothing. ``reverses``:
    the payment this credit gives back (the database allows one per payment).
    """
    key = check_key(idempotency_key)
    content_type, object_id = source_fields(source)
    with transaction.atomic():
        account = lock_account(user)
        # Decided under the account's lock: a concurrent call with the same key waited
        # for it, and now finds the row the first one wrote.
        movement = {
            "delta": delta,
            "type": type,
            "reason": reason,
            "content_type": content_type,
            "object_id": object_id,
            "reverses": reverses,
        }
        found = existing(account, key)
        if found is not None:
            return replay(found, **movement)
        new_balance = account.balance + delta
        if new_balance < 0:
            raise insufficient(account.balance, -delta)
        if new_balance > MAX_BALANCE:
            raise error("points", _("That is too many points."), "too_large")
        try:
            with transaction.atomic():
                row = LoyaltyTransaction.objects.create(
                    account=account,
                    type=type,
                    reason=reason,
                    points=abs(delta),
                    delta=delta,
                    balance_after=new_balance,
                    expires_at=expires_at if delta > 0 else None,
                    content_type=content_type,
                    object_id=object_id,
                    reference=text(reference, "reference", 255),
                    note=text(note, "note", 255),
                    idempotency_key=key,
                    reverses=reverses,
                    created_by_id=actor_id(actor),
                )
        except IntegrityError:
            found = existing(account, key)
            if found is not None:
                return replay(found, **movement)
            if (
                reverses is not None
                and LoyaltyTransaction.objects.filter(reverses=reverses).exists()
            ):
                raise error(
                    "reverses", _("These points were already given back."), "already_reversed"
                ) from None
            raise
        guard = LoyaltyAccount.objects.filter(pk=account.pk)
        if delta < 0:
            guard = guard.filter(balance__gte=-delta)
        if guard.update(balance=F("balance") + delta, modified=timezone.now()) != 1:
            raise insufficient(account.balance, -delta)
        account.balance = new_balance
        if delta < 0:
            _allocate(account.pk, row, from_award)
        signal = points_earned if delta > 0 else points_redeemed
        transaction.on_commit(
            partial(
                signal.send,
                sender=LoyaltyTransaction,
                user=user,
                account=account,
                transaction=row,
            )
        )
        return row
