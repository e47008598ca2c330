"""The smallest Django settings under which autodoc can import the istok apps.

``conf.py`` points ``DJANGO_SETTINGS_MODULE`` here and calls ``django.setup()``. Nothing
touches a database: the docs only import models, services and selectors.
"""

import importlib.util


def _importable(module):
    return importlib.util.find_spec(module) is not None


# The istok apps these docs document: add a package here when its page lands. Each one is
# installed only when this environment can import it (conf.py puts every
# packages/*/src on sys.path), so the list may name a package
# before it is released. (Not every app under packages/*/src: a package that is still
# being written must not break the docs of the released ones.)
DOCUMENTED_APPS = [
    "istok_core",
    "istok_accounts",
    "istok_catalog",
    "istok_orders",
    "istok_loyalty",
    "istok_support",
    "istok_booking",
]
ISTOK_APPS = [app for app in DOCUMENTED_APPS if _importable(app)]
# istok_orders' order lines point at ISTOK_ORDERS_PRODUCT_MODEL (below): without the app
# that holds that model, its models cannot be imported.
if "istok_catalog" not in ISTOK_APPS and "istok_orders" in ISTOK_APPS:
    ISTOK_APPS.remove("istok_orders")
THIRD_PARTY_APPS = [
    app
    for app in ("phonenumber_field", "polymorphic", "django_filters", "rest_framework")
    if _importable(app)
]

SECRET_KEY = "docs-only"
USE_TZ = True
LANGUAGE_CODE = "en"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    *THIRD_PARTY_APPS,
    *ISTOK_APPS,
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
if "istok_accounts" in ISTOK_APPS:
    AUTH_USER_MODEL = "istok_accounts.User"
    AUTHENTICATION_BACKENDS = ["istok_accounts.backends.EmailOrUsernameBackend"]
if "istok_orders" in ISTOK_APPS:
    # The default, named so the docs say which product model they were built with.
    ISTOK_ORDERS_PRODUCT_MODEL = "istok_catalog.Product"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
