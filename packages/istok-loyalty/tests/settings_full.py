"""The whole flow with istok_accounts and istok_orders both installed: a friend signs up
with a referral link, their first order confirms it, the customer pays with points."""

from .settings_orders import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "istok_accounts"]  # noqa: F405
AUTH_USER_MODEL = "istok_accounts.User"
AUTHENTICATION_BACKENDS = ["istok_accounts.backends.EmailOrUsernameBackend"]
