"""Settings for istok_booking's own tests: this app, Django's contrib apps and DRF.

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise.
"""

from istok_core.testing.settings import managers, suite_settings

globals().update(suite_settings(apps=["istok_booking"], spectacular=True))

LOGIN_URL = "/login/"
DEFAULT_FROM_EMAIL = "booking@example.com"
MANAGERS = managers("manager@example.com")
ISTOK_BOOKING_SITE_URL = "https://shop.example.com"
