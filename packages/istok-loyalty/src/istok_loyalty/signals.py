"""Signals istok_loyalty sends. Connect to them in your own ``receivers.py``.

Each is sent after the transaction of the change has committed, so a receiver sees the
change in the database and a receiver's failure cannot undo it.

``points_earned``
    Points were added to an account: an award (signup, profile, cashback, referral), points
    given back on a cancelled order, or a positive manual adjustment.

    - ``sender``: the ``LoyaltyTransaction`` class.
    - ``user``: the customer whose account it is.
    - ``account``: the ``LoyaltyAccount``, with its new ``balance``.
    - ``transaction``: the new ``LoyaltyTransaction`` (its ``points``, ``reason``,
      ``expires_at``, ``source``).

``points_redeemed``
    Points were taken from an account: spent on an order, expired, or a negative manual
    adjustment.

    - ``sender``: the ``LoyaltyTransaction`` class.
    - ``user``: the customer whose account it is.
    - ``account``: the ``LoyaltyAccount``, with its new ``balance``.
    - ``transaction``: the new ``LoyaltyTransaction`` (``type`` is ``redeem``, ``expire``
      or ``adjust``).

``referral_confirmed``
    A referred customer's first order reached ``ISTOK_LOYALTY_REFERRAL_CONFIRM_STATUS``
    (sent once per referral).

    - ``sender``: the ``Referral`` class.
    - ``referral``: the ``Referral`` (``referrer``, ``new_user``, ``gift``,
      ``confirmed_at``, ``confirmed_by_order``).
    - ``transaction``: the referrer's bonus ``LoyaltyTransaction``, or ``None`` when the
      bonus is zero.

``referral_created``
    A new customer signed up with another customer's code.

    - ``sender``: the ``Referral`` class.
    - ``referral``: the new ``Referral``.
"""

from django.dispatch import Signal

points_earned = Signal()
points_redeemed = Signal()
referral_confirmed = Signal()
referral_created = Signal()
