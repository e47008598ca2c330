"""Settings for istok_catalog's own tests: this app, its dependencies, contrib and DRF
(istok_core.testing.settings has what every istok suite shares).

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise. Each
test gets its own media directory (the ``media`` fixture).
"""

from istok_core.testing.settings import suite_settings

globals().update(
    suite_settings(
        apps=["istok_catalog"], extra_apps=["polymorphic", "django_filters"], spectacular=True
    )
)
