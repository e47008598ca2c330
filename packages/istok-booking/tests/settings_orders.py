"""The same tests with istok_orders installed (and istok_catalog, its default product
model): a measurement visit booked for an order waiting for it, the "Book the
measurement" link on the order page, and completing the visit moving the order on."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "polymorphic",
    "django_filters",
    "istok_catalog",
    "istok_orders",
]
ROOT_URLCONF = "tests.urls_orders"
