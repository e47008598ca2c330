"""The same tests with istok_booking installed and its URLs included: "I want to place an
order" and "Expert consultation" offer its booking page."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "istok_booking"]  # noqa: F405
ROOT_URLCONF = "tests.urls_booking"
