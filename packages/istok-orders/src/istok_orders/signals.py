"""Signals istok_orders sends. Other apps connect to them in their ``receivers.py``.

Each is sent after the transaction of the change has committed, so a receiver sees the
change in the database and a receiver's failure cannot undo it.

``order_created``
    A new order exists (istok_loyalty confirms a referral on the first order).

    - ``sender``: the ``Order`` class.
    - ``order``: the new order, with its number, lines and totals.
    - ``actor``: the user who created it (a manager, the customer), or ``None`` when it was
      made outside a request (an import, a test).

``order_status_changed``
    An order moved to another status (``services.set_status``).

    - ``sender``: the ``Order`` class.
    - ``order``: the order, already in its new status.
    - ``old_status``: the code of the status it left.
    - ``new_status``: the code of the status it reached (``order.status``).
    - ``actor``: the user who changed it, or ``None``.

``document_attached``
    A document (or a new version of one) was attached to an order
    (``services.attach_document``).

    - ``sender``: the ``Document`` class.
    - ``order``: the order.
    - ``document``: the new ``Document`` (its ``kind``, ``version``, ``customer_visible``).

``order_links``
    Asked while the order page is built (it changes nothing, so it is sent at once, like a
    question): other apps answer with the links they offer for the order, shown under its
    status ("Book the measurement" from istok_booking). istok_orders imports none of them.

    - ``sender``: the ``Order`` class.
    - ``order``: the order shown.
    - ``user``: who is looking (its customer, or staff).

    Each receiver returns a list of ``{"label": ..., "url": ...}`` dicts (or an empty
    list); ``selectors.order_links`` collects them.
"""

from django.dispatch import Signal

order_created = Signal()
order_status_changed = Signal()
document_attached = Signal()
order_links = Signal()
