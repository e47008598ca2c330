"""Settings for istok_catalog's own tests: this app, its dependencies, contrib and DRF.

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise.
"""

import os
import tempfile

import dj_database_url

SECRET_KEY = "tests-only"
DEBUG = False
USE_TZ = True
TIME_ZONE = "Europe/Moscow"
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Russian")]

DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:"))}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "polymorphic",
    "django_filters",
    "rest_framework",
    "istok_core",
    "istok_catalog",
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

TEMPLATES = [
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
]

ROOT_URLCONF = "tests.urls"
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
# Each test gets its own directory (the ``media`` fixture); this is only the fallback.
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "istok-catalog-tests-media")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
