"""Settings of the ISTOK example project (development; see settings_production.py).

Every istok app that is importable is installed and routed (see ``ISTOK_APPS`` here and
``urls.py``), so the same project shows one package or all six.

Environment variables:

- ``DJANGO_SECRET_KEY``: the secret key (a development default is used when missing).
- ``DJANGO_DEBUG``: ``1``/``0`` (default ``1``).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names.
- ``DJANGO_SITE_URL``: where the site is served, for links in emails (default
  ``http://127.0.0.1:8000``).
- ``DATABASE_URL``: e.g. ``postgres://user:pass@localhost/istok``; SQLite file otherwise.
- ``ISTOK_DEMO_APPS``: comma-separated istok apps to compose (default: all that are installed).
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-istok-example-project-for-development-only"
)
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

# The istok apps this project composes. Each one is installed (and routed in urls.py) only
# when its package is importable: install more packages and they appear, nothing to edit.
# ISTOK_DEMO_APPS (comma-separated) narrows the list, e.g. to try one package alone.
ISTOK_APPS = [
    "istok_accounts",
    "istok_catalog",
    "istok_orders",
    "istok_loyalty",
    "istok_booking",
    "istok_support",
]
ISTOK_APPS = env_list("ISTOK_DEMO_APPS") or ISTOK_APPS

# The istok apps an istok app needs composed with it here: the order lines point at the
# catalog's products (ISTOK_ORDERS_PRODUCT_MODEL keeps its default, "istok_catalog.Product";
# this project has no other product model). Brought in when missing from ISTOK_APPS; an app
# whose dependency is not installed is left out.
ISTOK_APP_DEPENDENCIES = {"istok_orders": ["istok_catalog"]}


def _composed_istok_apps(wanted):
    def importable(app):
        return importlib.util.find_spec(app) is not None

    composed = []
    for app in wanted:
        needed = ISTOK_APP_DEPENDENCIES.get(app, [])
        if not importable(app) or not all(importable(dependency) for dependency in needed):
            continue
        for dependency in [*needed, app]:
            if dependency not in composed:
                composed.append(dependency)
    return composed


INSTALLED_ISTOK_APPS = _composed_istok_apps(ISTOK_APPS)

# Third-party apps an istok app needs in INSTALLED_APPS (each package's README lists them).
ISTOK_APP_REQUIREMENTS = {
    # Russian messages of the phone number field.
    "istok_accounts": ["phonenumber_field"],
    # The polymorphic admin's templates; django-filter's form and translations.
    "istok_catalog": ["polymorphic", "django_filters"],
    # istok_orders needs none (only istok_catalog: ISTOK_APP_DEPENDENCIES above).
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver then serves static files through WhiteNoise too.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files for the API docs page, from static (SPECTACULAR_SETTINGS below).
    "drf_spectacular_sidecar",
    # Login lockout after repeated failed sign-ins (AXES_* below); django-axes under a
    # name a manager reads (demo.lockout.AxesConfig).
    "demo.lockout.AxesConfig",
    # The base every istok app depends on (its middleware is below).
    "istok_core",
    "demo",
]
for _app in INSTALLED_ISTOK_APPS:
    for _required in ISTOK_APP_REQUIREMENTS.get(_app, []):
        if _required not in INSTALLED_APPS:
            INSTALLED_APPS.append(_required)
    INSTALLED_APPS.append(_app)

# istok_support's chat, live over WebSocket (its [realtime] extra: Django Channels and
# daphne): daphne first, so that `runserver` (make demo) serves demo/asgi.py's ASGI
# application, WebSocket included. Without them the chat polls the API.
ISTOK_REALTIME = "istok_support" in INSTALLED_ISTOK_APPS and all(
    importlib.util.find_spec(module) for module in ("channels", "daphne")
)
if ISTOK_REALTIME:
    INSTALLED_APPS.insert(0, "daphne")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and Permissions-Policy.
    "csp.middleware.CSPMiddleware",
    # Inline style attributes (written by Django's admin scripts) on the admin only.
    "demo.middleware.AdminInlineStylesMiddleware",
    "demo.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before LocaleMiddleware: Russian whatever the browser's Accept-Language says; English
    # only through the switcher's cookie (see the middleware's docstring).
    "demo.middleware.RussianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A NUL or another control character in the path or query string: 400, before any view
    # (and PostgreSQL) sees it. After LocaleMiddleware, so the answer is in Russian or English.
    "istok_core.middleware.RejectControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The portal's 404 page for a missing page or object, with DEBUG on too (after
    # authentication: the page shows the customer's menu; after CommonMiddleware).
    "demo.middleware.PortalNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "demo.urls"
WSGI_APPLICATION = "demo.wsgi.application"
ASGI_APPLICATION = "demo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Searched before the apps' templates: templates/istok/base.html here replaces the
        # packages' plain fallback, and any app template can be overridden the same way.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "demo.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite keeps the key columns of istok_catalog's covering index and ignores the
    # others (PostgreSQL reads the page from them alone): nothing to fix in a demo database.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Accounts: the istok customer model, sign-in with username or email; django-axes first,
# so a locked-out visitor is refused before any password is checked.
AUTH_USER_MODEL = "istok_accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "istok_accounts.backends.EmailOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "istok_accounts:login"
LOGIN_REDIRECT_URL = "istok_accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# Login lockout (django-axes, as istok-accounts' README recommends): 5 wrong passwords for
# one account from one address lock it there for 15 minutes; the login page, the admin's
# and the password that confirms deleting an account all count. Per account *and*
# address, so nobody can lock a customer out from elsewhere. The istok callables count the
# username and the email in any case as one account and keep the page, with a translated
# message, as HTTP 429.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "istok_accounts.limits.axes_username"
AXES_LOCKOUT_CALLABLE = "istok_accounts.limits.axes_lockout_response"
# The client's address as the rate limits read it: REMOTE_ADDR, or behind NUM_PROXIES
# proxies (REST_FRAMEWORK below) the one the outermost saw.
AXES_CLIENT_IP_CALLABLE = "istok_core.throttling.client_address"
# The rate limits of the istok apps (signup, erasure, password reset, paying with points:
# ISTOK_*_RATE) and DRF's throttles count in the cache. One process: its memory is enough;
# several (gunicorn workers), a shared cache: settings_production.py takes DJANGO_REDIS_URL.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def redis_answers(url, timeout=0.5):
    """Whether a Redis server listens at ``url`` (``redis://host:port/db``)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        address = (parts.hostname or "127.0.0.1", parts.port or 6379)
        with socket.create_connection(address, timeout):
            return True
    except OSError:
        return False


# The channel layer that carries istok_support's chat events to the WebSocket connections:
# Redis (channels-redis) when REDIS_URL answers, so several server processes share it;
# else Channels' in-memory layer, enough for one process (runserver). demo/asgi.py says
# which on start.
REDIS_URL = os.environ.get("REDIS_URL", "")
if ISTOK_REALTIME:
    if REDIS_URL and importlib.util.find_spec("channels_redis") and redis_answers(REDIS_URL):
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL], "prefix": "istok_demo"},
            }
        }
    else:
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Languages: Russian by default, English through the switcher in the header.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
USE_I18N = True
# The switcher's cookie: never sent along with another site's requests (Lax: it still
# comes with a link followed from elsewhere), and no script reads it. Secure in production.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# The project's own strings (navigation, base template, home page); it comes first, so it
# can also reword any package's translation.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_TZ = True

# Static files are served by WhiteNoise, in development and in production alike.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Contracts, specifications, receipts: never under MEDIA_URL, served by the apps' own views.
PRIVATE_MEDIA_ROOT = BASE_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email goes to the console in development. Django 6.1 replaces EMAIL_BACKEND and the other
# EMAIL_* connection settings with MAILERS (the old ones warn, and cannot even be read
# once MAILERS is set), so each Django gets the setting it knows.
has_mailers = django.VERSION >= (6, 1)
if has_mailers:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "ISTOK <noreply@example.com>"
# The subject of what Django mails to ADMINS and MANAGERS (a booking request, a hand-off).
EMAIL_SUBJECT_PREFIX = "[ISTOK] "
# Who gets the list of overdue orders (istok_orders_overdue --email). Plain addresses since
# Django 6.0, which deprecates the (name, address) pairs that Django 5.2 still requires.
MANAGERS = ["orders@example.com"]
if django.VERSION < (6, 0):
    MANAGERS = [("ISTOK orders desk", address) for address in MANAGERS]
# Links in the customers' emails are absolute: where this site is served.
ISTOK_ORDERS_SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# How customers reach the business: on a product page when neither istok_booking (book a
# consultation) nor istok_support (ask about the product) is composed.
ISTOK_CATALOG_CONTACTS = [
    {"label": _("Phone"), "text": "+7 812 000-00-00", "url": "tel:+78120000000"},
    {"label": "Telegram", "text": "@istok_mebel", "url": "https://t.me/istok_mebel"},
    {"label": _("Showroom"), "text": "Санкт-Петербург, Пулковское шоссе, 14"},
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's two throttles, answering 429 in the visitor's language (istok_core's): a backstop
    # against floods, generous for a page's own calls. The sensitive endpoints (signup,
    # erasure, paying with points) have tighter limits of their own (ISTOK_*_RATE).
    "DEFAULT_THROTTLE_CLASSES": [
        "istok_core.throttling.AnonRateThrottle",
        "istok_core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "300/minute", "user": "1200/minute"},
    # No proxy in front: the client is REMOTE_ADDR, X-Forwarded-For (which anyone can
    # write) is ignored. settings_production.py sets 1 behind DJANGO_BEHIND_TLS_PROXY.
    "NUM_PROXIES": 0,
    # The browsable API, its pages allowed the inline styles of DRF's templates (CSP).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "demo.renderers.BrowsableAPIRenderer",
    ],
}

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from
# this site only, and an inline script only with the request's nonce
# (<script nonce="{{ request.csp_nonce }}">); no plugins, no framing, forms post here only.
# The API docs page (Swagger UI, served from static) needs inline styles: urls.py widens the
# policy for it alone.
# An integrator adding a script from elsewhere adds its origin to script-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if "istok_catalog" in INSTALLED_ISTOK_APPS:
    # The <model-viewer> of a product's 3D model, served from the catalog's static files:
    # the hash of the one <style> it writes, its WebAssembly decoder, and the textures of a
    # GLB, which it reads as blob: URLs (istok_catalog.model_viewer says why).
    from istok_catalog import model_viewer

    for _directive, _sources in (
        ("script-src", model_viewer.CSP_SCRIPT_SRC),
        ("style-src", model_viewer.CSP_STYLE_SRC),
        ("img-src", model_viewer.CSP_BLOB_SRC),
        ("connect-src", model_viewer.CSP_BLOB_SRC),
    ):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] += _sources
# Permissions-Policy (demo.middleware.PermissionsPolicyMiddleware): the browser features
# the portal never uses are off for it and for anything it embeds.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISTOK API",
    "DESCRIPTION": "The REST API of the istok apps installed in this project.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files, not from a CDN: the API docs
    # page works offline and the Content-Security-Policy names no other site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request and response components, so read-only and write-only fields and
    # file uploads are described correctly.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    # The error answers too (400, 403, 404, 415, 429), from what each view does (istok-core).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "istok_core.api.schema.document_errors",
    ],
}
if "istok_orders" in INSTALLED_ISTOK_APPS:
    # Three istok_orders models have a "kind": name their enums (istok-orders' README).
    SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
        {
            "DocumentKindEnum": "istok_orders.models.Document.Kind",
            "AdjustmentKindEnum": "istok_orders.models.Adjustment.Kind",
            "OrderEventKindEnum": "istok_orders.models.OrderEvent.Kind",
        }
    )
if "istok_booking" in INSTALLED_ISTOK_APPS:
    # An appointment's "status" beside other apps' (istok-booking's README).
    SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
        {"AppointmentStatusEnum": "istok_booking.models.Appointment.Status"}
    )
if "istok_support" in INSTALLED_ISTOK_APPS:
    # A conversation's "status" beside other apps' (istok-support's README).
    SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
        {
            "ConversationStatusEnum": "istok_support.models.Conversation.Status",
            "SenderKindEnum": "istok_support.models.ChatMessage.SenderKind",
        }
    )
