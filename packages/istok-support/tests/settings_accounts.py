"""The same tests with istok_accounts installed: its user model, and the integration
(data export and erasure) that istok_support connects when it finds the app."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "istok_accounts"]  # noqa: F405
AUTH_USER_MODEL = "istok_accounts.User"
AUTHENTICATION_BACKENDS = ["istok_accounts.backends.EmailOrUsernameBackend"]
