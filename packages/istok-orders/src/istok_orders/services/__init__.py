"""Use cases of istok_orders: the only code that writes its data.

Pages, the API and the admin call these functions. Each one checks what it is given and
raises :class:`~django.core.exceptions.ValidationError` (field errors where a field is at
fault) before anything is kept: a refused change leaves the database as it was. Each one
locks the order's row for the length of its transaction, records what it did on the
order's timeline, and updates the ``order`` instance it was given.
"""

from ._common import DATE_FIELDS, DETAIL_FIELDS, LINE_FIELDS, lock_order
from .documents import attach_document, validate_document
from .orders import add_note, change_dates, create_order, set_status, update_details
from .personal_data import anonymise_customer_orders
from .prices import (
    add_adjustment,
    add_line,
    remove_adjustment,
    remove_line,
    set_delivery_zone,
    update_adjustment,
    update_line,
)

__all__ = [
    "DATE_FIELDS",
    "DETAIL_FIELDS",
    "LINE_FIELDS",
    "add_adjustment",
    "add_line",
    "add_note",
    "anonymise_customer_orders",
    "attach_document",
    "change_dates",
    "create_order",
    "lock_order",
    "remove_adjustment",
    "remove_line",
    "set_delivery_zone",
    "set_status",
    "update_adjustment",
    "update_details",
    "update_line",
    "validate_document",
]
