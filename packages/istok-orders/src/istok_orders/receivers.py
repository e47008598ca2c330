"""Reactions to other istok apps' signals. Connected in ``AppConfig.ready()`` only when
the other app is installed."""

from . import selectors, services


def export_orders(sender, user, **kwargs):
    """``istok_accounts.signals.personal_data_requested``: the user's orders."""
    return {"istok_orders": selectors.personal_data(user)}


def anonymise_orders(sender, user, **kwargs):
    """``istok_accounts.signals.user_erased``: strip the personal data from the orders,
    keep their numbers, dates and amounts for accounting."""
    services.anonymise_customer_orders(user)


def connect_accounts():
    from istok_accounts.signals import personal_data_requested, user_erased

    personal_data_requested.connect(export_orders, dispatch_uid="istok_orders.export_orders")
    user_erased.connect(anonymise_orders, dispatch_uid="istok_orders.anonymise_orders")
