"""The settings every istok app's test suite shares, as one function.

In ``tests/settings.py``::

    from istok_core.testing.settings import suite_settings

    globals().update(suite_settings(apps=["istok_orders"], extra_apps=["tests.testapp"]))
    ISTOK_ORDERS_PRODUCT_MODEL = "testapp.Product"

``DATABASE_URL`` picks the database (PostgreSQL in CI; needs ``dj-database-url``), SQLite
in memory otherwise. Mail goes to Django's test outbox on every Django version (``MAILERS``
from 6.1, ``EMAIL_BACKEND`` before).
"""

import os
import tempfile

import django

CONTRIB_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "istok_core.middleware.RejectControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]


def database():
    """``DATABASES["default"]`` from ``DATABASE_URL``, SQLite in memory without it."""
    import dj_database_url

    return dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:"))


def mail_settings():
    """Django's in-memory mail backend, named as the running Django names it."""
    backend = "django.core.mail.backends.locmem.EmailBackend"
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend}}}
    return {"EMAIL_BACKEND": backend}


def managers(*addresses):
    """``MANAGERS`` as the running Django wants it: plain addresses from 6.0, (name,
    address) pairs before."""
    if django.VERSION >= (6, 0):
        return list(addresses)
    return [("Manager", address) for address in addresses]


def suite_settings(*, apps, extra_apps=(), api=True, spectacular=False, urlconf="tests.urls"):
    """The shared settings of a test suite whose istok ``apps`` (and ``extra_apps``, a
    test app, a third-party app) are installed after Django's contrib apps, DRF (``api``)
    and istok_core, as a dict for ``globals().update()``."""
    installed = [*CONTRIB_APPS, *(["rest_framework"] if api else [])]
    if spectacular:
        installed.append("drf_spectacular")
    installed += [*extra_apps, "istok_core", *apps]
    values = {
        "SECRET_KEY": "tests-only",
        "DEBUG": False,
        "USE_TZ": True,
        "TIME_ZONE": "Europe/Moscow",
        "LANGUAGE_CODE": "en",
        "LANGUAGES": [("en", "English"), ("ru", "Russian")],
        "DATABASES": {"default": database()},
        "INSTALLED_APPS": installed,
        "MIDDLEWARE": list(MIDDLEWARE),
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        "ROOT_URLCONF": urlconf,
        # The rate limits count here; the suites empty it around each test.
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        "STATIC_URL": "/static/",
        "MEDIA_URL": "/media/",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="istok-tests-media-"),
        "PRIVATE_MEDIA_ROOT": tempfile.mkdtemp(prefix="istok-tests-private-"),
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        **mail_settings(),
    }
    if api:
        values["REST_FRAMEWORK"] = {
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "rest_framework.authentication.SessionAuthentication"
            ],
            **(
                {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
                if spectacular
                else {}
            ),
        }
    return values
