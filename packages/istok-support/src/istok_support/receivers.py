"""Reactions to other istok apps' signals, connected in ``AppConfig.ready()`` only when
the other app is installed (istok_accounts: data export and erasure)."""

from django.apps import apps


def export_support(sender, user, **kwargs):
    """``istok_accounts.signals.personal_data_requested``: the user's conversations and
    what they wrote."""
    from .selectors import personal_data

    return {"istok_support": personal_data(user)}


def erase_support(sender, user, **kwargs):
    """``istok_accounts.signals.user_erased``: delete the user's conversations (what they
    wrote is personal; nothing in them is kept for accounting) and, for a specialist, the
    name on their replies. Inside the erasure's transaction: a failure here rolls the
    erasure back, so it is not caught."""
    from .services import erase_customer_data

    erase_customer_data(user)


def connect():
    if apps.is_installed("istok_accounts"):
        from istok_accounts.signals import personal_data_requested, user_erased

        personal_data_requested.connect(
            export_support, dispatch_uid="istok_support.export_support"
        )
        user_erased.connect(erase_support, dispatch_uid="istok_support.erase_support")
