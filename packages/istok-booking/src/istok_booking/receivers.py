"""Reactions to other apps' signals, connected in ``AppConfig.ready()``: to the user
model's ``post_save`` always, to istok_accounts' and istok_orders' signals only when that
app is installed."""

from django.conf import settings
from django.db.models.signals import post_save


def claim_on_user_created(sender, instance, created, raw=False, **kwargs):
    """``post_save`` of the user model: once a new account is committed, the guest
    bookings made with its email address (or phone) become its own.

    On the user model's ``post_save`` rather than istok_accounts' ``user_signed_up``: it
    works with any user model and any way of creating accounts, and a receiver of
    ``user_signed_up`` would make istok_accounts ask for a referral code at signup (it
    asks when something receives that signal)."""
    if created and not raw:
        from .services import claim_guest_appointments
        from .services._common import after_commit

        after_commit(claim_guest_appointments, instance)


def connect_users():
    post_save.connect(
        claim_on_user_created,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="istok_booking.claim_on_user_created",
    )


def claim_on_profile_update(sender, user, fields=(), **kwargs):
    """``istok_accounts.signals.profile_updated``: a phone added to the profile claims the
    guest bookings made with it."""
    if "phone" in fields:
        from .services import claim_guest_appointments

        claim_guest_appointments(user)


def export_appointments(sender, user, **kwargs):
    """``istok_accounts.signals.personal_data_requested``: the user's appointments."""
    from .selectors import personal_data

    return {"istok_booking": personal_data(user)}


def erase_appointments(sender, user, **kwargs):
    """``istok_accounts.signals.user_erased``: strip the personal data from the
    appointments (inside the erasure's transaction)."""
    from .services import anonymise_customer_appointments

    anonymise_customer_appointments(user)


def connect_accounts():
    from istok_accounts.signals import personal_data_requested, profile_updated, user_erased

    profile_updated.connect(
        claim_on_profile_update, dispatch_uid="istok_booking.claim_on_profile_update"
    )
    personal_data_requested.connect(
        export_appointments, dispatch_uid="istok_booking.export_appointments"
    )
    user_erased.connect(erase_appointments, dispatch_uid="istok_booking.erase_appointments")


def connect_orders():
    from .integrations.orders import connect

    connect()
