"""Settings of the ASGI servers that test_two_servers.py starts: those of the test run
that starts them (``ISTOK_SUPPORT_TEST_BASE_SETTINGS``: ``tests.settings_accounts`` has
another user model, ``tests.settings_booking`` another URLconf), on the database and with
the Redis prefix the environment gives them."""

import importlib
import os

_base = importlib.import_module(
    os.environ.get("ISTOK_SUPPORT_TEST_BASE_SETTINGS", "tests.settings")
)
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
