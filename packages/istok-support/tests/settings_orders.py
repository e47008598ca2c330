"""The same tests with istok_orders installed (and a tiny product model for its lines):
"About my current order" lists the customer's orders with their status, progress and
deadline, and attaches the one chosen."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp", "istok_orders"]  # noqa: F405
ISTOK_ORDERS_PRODUCT_MODEL = "testapp.Product"
SPECTACULAR_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "istok_orders.models.Document.Kind",
        "AdjustmentKindEnum": "istok_orders.models.Adjustment.Kind",
        "OrderEventKindEnum": "istok_orders.models.OrderEvent.Kind",
    }
}
