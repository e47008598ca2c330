"""The same tests with istok_accounts installed: its user model, and the integration that
istok_booking connects when it finds the app (guest bookings claimed at signup and when a
phone is added, the profile's phone as the contact, data export and erasure)."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "istok_accounts"]  # noqa: F405
AUTH_USER_MODEL = "istok_accounts.User"
AUTHENTICATION_BACKENDS = ["istok_accounts.backends.EmailOrUsernameBackend"]
