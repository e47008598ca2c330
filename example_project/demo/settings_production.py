"""Production settings: ``DJANGO_SETTINGS_MODULE=demo.settings_production``.

Everything from settings.py, plus what ``manage.py check --deploy`` asks for. Required
environment variables: ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``. Optional:
``DATABASE_URL``, ``DJANGO_CSRF_TRUSTED_ORIGINS`` (comma-separated origins),
``DJANGO_BEHIND_TLS_PROXY=1`` behind a proxy (nginx, a load balancer) that terminates TLS,
redirects plain HTTP to HTTPS itself and sets ``X-Forwarded-Proto`` and
``X-Forwarded-For``, ``DJANGO_SECURE_PROXY_SSL_HEADER=1`` behind a proxy that terminates TLS
and sets ``X-Forwarded-Proto`` but leaves the redirect to Django, ``DJANGO_HSTS_SECONDS``,
``DJANGO_REDIS_URL`` (a shared cache for several processes; needs ``pip install redis``),
``REDIS_URL`` (the support chat's channel layer, which several processes must share),
``DJANGO_EMAIL_HOST`` (default ``localhost``; + ``_PORT``, ``_USER``, ``_PASSWORD``,
``_USE_TLS``) for SMTP, ``DJANGO_DEFAULT_FROM_EMAIL``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import ISTOK_REALTIME, REDIS_URL, REST_FRAMEWORK, env_bool, env_list, has_mailers

if "DJANGO_SECURE_SSL_REDIRECT" in os.environ:
    raise ImproperlyConfigured(
        "DJANGO_SECURE_SSL_REDIRECT is gone. Behind a proxy that terminates TLS and redirects "
        "to HTTPS itself, set DJANGO_BEHIND_TLS_PROXY=1 (see settings_production.py); "
        "otherwise Django redirects to HTTPS and needs nothing."
    )

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set the DJANGO_SECRET_KEY environment variable: 50 or more random characters, e.g. "
        'the output of python -c "from django.core.management.utils import '
        'get_random_secret_key; print(get_random_secret_key())".'
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the DJANGO_ALLOWED_HOSTS environment variable to the site's host names, "
        "comma-separated (e.g. shop.example.com,www.shop.example.com)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS only: Django redirects plain HTTP to HTTPS.
SECURE_SSL_REDIRECT = True
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    # A proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite any the
    # client sent); Django still redirects what came in as plain HTTP.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production silences no check of development's (the SQLite demo's covering-index note):
# only security.W008, behind a proxy that redirects, below.
SILENCED_SYSTEM_CHECKS = []
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    # Django's deployment checklist: behind a proxy that terminates TLS, trust its
    # X-Forwarded-Proto (the proxy must set it, overwriting the client's). The proxy also
    # redirects plain HTTP to HTTPS before Django sees it, so Django does not; every request
    # that reaches Django is then HTTPS (request.is_secure()), and security.W008 ("your
    # SECURE_SSL_REDIRECT setting is not set to True") is about a redirect done elsewhere.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = False
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
    # The client's address is the last one of X-Forwarded-For (the one the proxy saw), for
    # the rate limits (istok_core.throttling, DRF) and django-axes alike.
    REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": 1}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True  # SameSite=Lax and HttpOnly: settings.py
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Lets the domain be submitted to the browsers' preload list; a commitment to HTTPS for
# every subdomain: set DJANGO_HSTS_SECONDS low while trying a new deployment out.
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Hashed, compressed file names that browsers may cache for ever: run collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The browsable API is a development aid.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# The rate limits and django-axes count in the cache: with several server processes they
# must share one (each process has its own memory cache), e.g. redis://127.0.0.1:6379/1.
if os.environ.get("DJANGO_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DJANGO_REDIS_URL"],
        }
    }

# The support chat's channel layer: with REDIS_URL, Redis, always. Development falls back
# to the in-memory layer when Redis does not answer at start; here that would split the
# chat between the server processes without a word, so a Redis that is down is an error
# in the log instead. Without REDIS_URL the in-memory layer stays: one server process only.
if ISTOK_REALTIME and REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "istok_demo"},
        }
    }

# Email goes out by SMTP: DJANGO_EMAIL_HOST, or a mail server on this machine (localhost, port
# 25, as Django's own default). STARTTLS unless the host is localhost
# (DJANGO_EMAIL_USE_TLS=0/1 decides otherwise); the port follows (587 with TLS, else 25).
# Never the console backend of development: the customers' emails would only reach the log
# (and on Django 6.1 check --deploy refuses it: mail.E001). MAILERS on Django 6.1 and
# later, the EMAIL_* settings it deprecates before.
_smtp = {"host": os.environ.get("DJANGO_EMAIL_HOST", "").strip() or "localhost"}
_smtp["use_tls"] = env_bool("DJANGO_EMAIL_USE_TLS", _smtp["host"] != "localhost")
_smtp["port"] = int(os.environ.get("DJANGO_EMAIL_PORT") or (587 if _smtp["use_tls"] else 25))
_smtp["username"] = os.environ.get("DJANGO_EMAIL_USER", "")
_smtp["password"] = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
if has_mailers:
    MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp}
    }
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp["host"]
    EMAIL_PORT = _smtp["port"]
    EMAIL_HOST_USER = _smtp["username"]
    EMAIL_HOST_PASSWORD = _smtp["password"]
    EMAIL_USE_TLS = _smtp["use_tls"]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
