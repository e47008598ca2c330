"""Settings of istok_orders, each with its default.

Every setting is read as ``settings.ISTOK_ORDERS_<NAME>`` (django-appconf fills in the
default when the project does not set it). ``ISTOK_CURRENCY`` is shared by the suite and
read with ``getattr(settings, "ISTOK_CURRENCY", "RUB")``.
"""

from appconf import AppConf
from django.conf import settings  # noqa: F401  (AppConf needs settings imported here)
from django.utils.translation import gettext_lazy as _

#: The production pipeline of the seed. Each entry is one status:
#:
#: - ``status``: the code stored in ``Order.status`` (at most 32 characters);
#: - ``label``: what people see;
#: - ``next``: the codes of the statuses an order may move to from this one;
#: - ``date_field`` (optional): a date field of ``Order`` filled with today's date when the
#:   order reaches this status and the field is still empty;
#: - ``max_days`` (optional): after this many days in the status the order is flagged;
#: - ``customer_visible`` (default true): the change is on the customer's timeline and
#:   the customer is notified;
#: - ``closed`` (default false): the order's work is over (done or stopped): it is never
#:   flagged as overdue or stuck;
#: - ``progress`` (default true): the status is a step of the progress bar.
#:
#: The first entry is the status of a new order.
DEFAULT_PIPELINE = [
    {
        "status": "sketch",
        "label": _("Sketch preparation"),
        "next": ["measurement", "cancelled"],
        "max_days": 7,
    },
    {
        "status": "measurement",
        "label": _("Waiting for technical measurement"),
        "next": ["correction", "cancelled"],
        "max_days": 7,
    },
    {
        "status": "correction",
        "label": _("Correction after measurement"),
        # One step back: the corrected design may need another measurement.
        "next": ["engineering", "measurement", "cancelled"],
        "max_days": 5,
    },
    {
        "status": "engineering",
        "label": _("Engineering"),
        "next": ["production", "cancelled"],
        "max_days": 7,
    },
    {
        "status": "production",
        "label": _("Production"),
        "next": ["preparing_delivery"],
        "max_days": 30,
    },
    {
        "status": "preparing_delivery",
        "label": _("Preparing for delivery"),
        "next": ["delivery"],
        # Production is finished: the works on the order are complete.
        "date_field": "completion_date",
        "max_days": 5,
    },
    {
        "status": "delivery",
        "label": _("Delivery"),
        "next": ["delivered"],
        "max_days": 3,
    },
    {
        "status": "delivered",
        "label": _("Delivered"),
        "next": ["installed"],
        "date_field": "delivery_date",
        "closed": True,
    },
    {
        "status": "installed",
        "label": _("Installed"),
        "next": [],
        "date_field": "installation_date",
        "closed": True,
    },
    {
        "status": "cancelled",
        "label": _("Cancelled"),
        "next": [],
        "closed": True,
        "progress": False,
    },
]


class IstokOrdersConf(AppConf):
    #: The model an order line points at ("app_label.ModelName"). Only its ``pk``, ``str()``
    #: and an optional ``price`` attribute are used. Set it before the first migration.
    PRODUCT_MODEL = "istok_catalog.Product"

    #: Dotted path to the adapter class: order numbers, delivery cost, notifications.
    ADAPTER = "istok_orders.adapter.DefaultOrdersAdapter"

    #: The statuses of an order, in order, as data (see ``DEFAULT_PIPELINE``).
    PIPELINE = DEFAULT_PIPELINE

    #: Where contracts, specifications, receipts and 3D models are stored: an alias of
    #: ``STORAGES`` or a dotted path to a storage class. ``None``: a private
    #: ``FileSystemStorage`` in ``PRIVATE_MEDIA_ROOT`` (or ``BASE_DIR / "private"``) that has
    #: no URL; files are only served by the download view, to their owner or staff.
    DOCUMENT_STORAGE = None

    #: Largest document accepted, in bytes.
    DOCUMENT_MAX_SIZE = 20 * 1024 * 1024

    #: Scheme and host put before links in emails (``"https://example.com"``). Empty: the
    #: links are paths.
    SITE_URL = ""

    #: Sender of the customer emails. ``None``: ``DEFAULT_FROM_EMAIL``.
    FROM_EMAIL = None

    class Meta:
        prefix = "ISTOK_ORDERS"
