"""Settings for istok_loyalty's own tests: this app alone, Django's contrib apps and DRF
(istok_core.testing.settings has what every istok suite shares).

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise. The
other ``settings_*.py`` add istok_accounts, istok_orders or both.
"""

from istok_core.testing.settings import suite_settings

globals().update(suite_settings(apps=["istok_loyalty"], spectacular=True))

LOGIN_URL = "/login/"
