"""Settings for istok_support's own tests: this app alone, Django's contrib apps, DRF and
Channels (istok_core.testing.settings has what every istok suite shares).

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise. The
channel layer is the Redis on 127.0.0.1:6379 (``REDIS_URL`` to use another), under a
prefix of its own. The other ``settings_*.py`` add istok_orders, istok_booking,
istok_accounts.
"""

import os

from istok_core.testing.settings import managers, suite_settings

globals().update(suite_settings(apps=["istok_support"], spectacular=True))

LOGIN_URL = "/login/"
DEFAULT_FROM_EMAIL = "support@example.com"
MANAGERS = managers("manager@example.com")

ASGI_APPLICATION = "tests.asgi.application"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Suites run side by side (scripts/runtests.py): each process has its own keys in Redis;
# the ASGI servers a test starts are given their parent's prefix.
CHANNEL_LAYER_PREFIX = os.environ.get(
    "ISTOK_SUPPORT_TEST_LAYER_PREFIX", f"istok_support_tests_{os.getpid()}"
)
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": CHANNEL_LAYER_PREFIX},
    }
}
