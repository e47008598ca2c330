"""Russian for what the project's third-party apps leave untranslated or spell otherwise.

The project's own catalogue (``LOCALE_PATHS``) comes before every app's, so a message
listed here and translated in ``locale/ru/LC_MESSAGES/django.po`` replaces the app's:
django-axes' admin (its Russian catalogue lacks these), and Django's "Введенные", written
with "ё" as everywhere else on the portal. Nothing imports this module: ``makemessages``
reads it.
"""

from django.utils.translation import gettext_noop

DJANGO_AXES = [
    gettext_noop("Access Attempt"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Locked Out"),
    gettext_noop("Not set"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
]

DJANGO = [
    gettext_noop("The two password fields didn’t match."),
]
