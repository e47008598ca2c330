"""The adapter: the policy a business may want to change, in one class.

Subclass :class:`DefaultOrdersAdapter`, override what differs and name your class in
``ISTOK_ORDERS_ADAPTER``. :func:`get_adapter` returns an instance of it.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from istok_core.adapters import load_adapter

logger = logging.getLogger("istok_orders")


class DefaultOrdersAdapter:
    #: How an order number looks: ``year`` and ``sequence`` (1, 2, ... within the year).
    number_format = "{year}-{sequence:05d}"

    # Numbers ------------------------------------------------------------------------------

    def next_number(self, order):
        """The contract number of the new ``order`` (not saved yet; its ``order_date`` is
        set): the next of the order date's year, ``"2026-00042"``.

        Called inside the transaction that creates the order. The year's counter row is
        locked until that transaction ends, so concurrent orders get distinct numbers and a
        rolled-back order leaves no gap.
        """
        from .models import OrderNumberCounter

        year = order.order_date.year
        counters = OrderNumberCounter.objects
        # Create the year's row if it is missing, without failing when another transaction
        # creates it at the same moment, then lock it.
        counters.bulk_create([OrderNumberCounter(year=year)], ignore_conflicts=True)
        counter = counters.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return self.number_format.format(year=year, sequence=counter.last)

    # Money --------------------------------------------------------------------------------

    def delivery_cost(self, zone, order):
        """What delivery to ``zone`` costs for ``order`` (``zone`` may be ``None``: no
        delivery). The default: the zone's cost."""
        if zone is None:
            return Decimal("0.00")
        return zone.cost

    # Notifications ------------------------------------------------------------------------

    def get_customer_language(self, order):
        """The language of the customer's messages: their ``language`` attribute when the
        user model has one and it is set, else ``LANGUAGE_CODE``."""
        return getattr(order.customer, "language", "") or settings.LANGUAGE_CODE

    def get_order_url(self, order):
        """The link to the order's page, absolute when ``ISTOK_ORDERS_SITE_URL`` is set."""
        try:
            path = reverse("istok_orders:order_detail", kwargs={"number": order.number})
        except NoReverseMatch:
            return ""
        return settings.ISTOK_ORDERS_SITE_URL.rstrip("/") + path

    def get_email_context(self, order, event):
        """What the email templates get: ``order``, ``event``, ``customer``,
        ``status_label``, ``document_label`` (for a document event) and ``order_url``."""
        from .models import Document

        kind = (event.data or {}).get("kind")
        return {
            "document_label": Document.Kind(kind).label if kind in Document.Kind.values else "",
            "order": order,
            "event": event,
            "customer": order.customer,
            "status_label": order.get_status_display(),
            "order_url": self.get_order_url(order),
        }

    def notify_customer(self, order, event):
        """Tell the customer about ``event`` of ``order``: a status change or a new document
        they can see. Called after the change has committed.

        The default sends an email rendered from ``istok_orders/email/<kind>_subject.txt``
        and ``<kind>.txt`` (``status`` or ``document``) in the customer's language. Override
        to send an SMS or queue a task. A failure is logged, never raised: the change stays.
        """
        email = getattr(order.customer, "email", "")
        if not email:
            return
        template = "istok_orders/email/" + event.kind
        try:
            with translation.override(self.get_customer_language(order)):
                context = self.get_email_context(order, event)
                subject = " ".join(render_to_string(template + "_subject.txt", context).split())
                body = render_to_string(template + ".txt", context)
            send_mail(
                subject,
                body,
                settings.ISTOK_ORDERS_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
                [email],
            )
        except Exception:
            logger.exception("Could not notify the customer of order %s", order.number)


def get_adapter():
    """An instance of the class ``ISTOK_ORDERS_ADAPTER`` names (normally a subclass of
    :class:`DefaultOrdersAdapter`), imported on first use."""
    return load_adapter("ISTOK_ORDERS_ADAPTER")
