"""The same tests with istok_orders installed (and a tiny product model for its lines):
cashback, paying with points, points given back on cancellation, referral confirmation."""

import tempfile

import django

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp", "istok_orders"]  # noqa: F405
ISTOK_ORDERS_PRODUCT_MODEL = "testapp.Product"
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="istok-loyalty-tests-private-")
# Django 6.1 replaces EMAIL_BACKEND with MAILERS (and deprecates (name, address) pairs).
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SPECTACULAR_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "istok_orders.models.Document.Kind",
        "AdjustmentKindEnum": "istok_orders.models.Adjustment.Kind",
        "OrderEventKindEnum": "istok_orders.models.OrderEvent.Kind",
    }
}
