"""Settings for istok_orders' own tests: this app, Django's contrib apps, DRF and a tiny
product model (``tests.testapp``).

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise.
"""

from istok_core.testing.settings import managers, suite_settings

globals().update(
    suite_settings(apps=["istok_orders"], extra_apps=["tests.testapp"], spectacular=True)
)

# Tests that need an empty documents directory use the ``private_root`` fixture.
LOGIN_URL = "/login/"
DEFAULT_FROM_EMAIL = "orders@example.com"
MANAGERS = managers("manager@example.com")
ISTOK_ORDERS_PRODUCT_MODEL = "testapp.Product"

# Three models have a "kind": name their enums (the README shows this for projects).
SPECTACULAR_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "istok_orders.models.Document.Kind",
        "AdjustmentKindEnum": "istok_orders.models.Adjustment.Kind",
        "OrderEventKindEnum": "istok_orders.models.OrderEvent.Kind",
    }
}
