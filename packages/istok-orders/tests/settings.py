"""Settings for istok_orders' own tests: this app, Django's contrib apps, DRF and a tiny
product model (``tests.testapp``).

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise.
"""

import os
import tempfile

import dj_database_url
import django

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
    "rest_framework",
    "drf_spectacular",
    "tests.testapp",
    "istok_core",
    "istok_orders",
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
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "istok-orders-tests-media")
# Each test run writes documents to its own directory; tests that need a clean one use
# the ``private_root`` fixture.
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="istok-orders-tests-private-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/login/"
# Django 6.1 replaces EMAIL_BACKEND with MAILERS (and deprecates (name, address) pairs).
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "orders@example.com"
MANAGERS = ["manager@example.com"]
if django.VERSION < (6, 0):
    MANAGERS = [("Manager", address) for address in MANAGERS]

ISTOK_ORDERS_PRODUCT_MODEL = "testapp.Product"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Three models have a "kind": name their enums (the README shows this for projects).
SPECTACULAR_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "istok_orders.models.Document.Kind",
        "AdjustmentKindEnum": "istok_orders.models.Adjustment.Kind",
        "OrderEventKindEnum": "istok_orders.models.OrderEvent.Kind",
    }
}
