"""Reactions to other istok apps' signals, and istok_booking's own integrations. Connected
in ``AppConfig.ready()`` only when the other app is installed."""


def claim_on_signup(sender, user, **kwargs):
    """``istok_accounts.signals.user_signed_up``: the guest bookings made with the new
    account's email or phone become the account's."""
    from .services import claim_guest_appointments

    claim_guest_appointments(user)


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
    from istok_accounts.signals import (
        personal_data_requested,
        profile_updated,
        user_erased,
        user_signed_up,
    )

    user_signed_up.connect(claim_on_signup, dispatch_uid="istok_booking.claim_on_signup")
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
