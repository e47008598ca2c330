"""The same tests with istok_catalog installed: the purpose of a visit booked from a
product page follows the product's category."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "polymorphic", "django_filters", "istok_catalog"]  # noqa: F405
