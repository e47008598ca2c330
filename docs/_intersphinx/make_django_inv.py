"""Write ``django.inv``: the part of Django's Sphinx inventory these docs link to.

The docs build runs offline and with ``-W``, so intersphinx cannot fetch
https://docs.djangoproject.com/en/5.2/objects.inv. This script writes a small inventory in
the same format (Sphinx objects.inv, version 2: four header lines, then zlib-compressed
lines ``name domain:role priority uri dispname``) with the real addresses of the Django
objects we reference. When a page needs another Django object, add it to ``ENTRIES`` and
run::

    python docs/_intersphinx/make_django_inv.py

then commit both this script and ``django.inv``. Each URI is relative to
``https://docs.djangoproject.com/en/5.2/``; a trailing ``$`` stands for the object's name.
"""

import sys
import zlib
from pathlib import Path

PROJECT = "Django"
VERSION = "5.2"
BASE_URL = "https://docs.djangoproject.com/en/5.2/"
OUTPUT = Path(__file__).with_name("django.inv")

SETTINGS = [
    "AUTH_PASSWORD_VALIDATORS",
    "AUTH_USER_MODEL",
    "AUTHENTICATION_BACKENDS",
    "DATABASES",
    "DEFAULT_FROM_EMAIL",
    "INSTALLED_APPS",
    "LANGUAGE_CODE",
    "LANGUAGES",
    "LOCALE_PATHS",
    "LOGIN_REDIRECT_URL",
    "LOGIN_URL",
    "LOGOUT_REDIRECT_URL",
    "EMAIL_BACKEND",
    "EMAIL_SUBJECT_PREFIX",
    "MANAGERS",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "MIDDLEWARE",
    "SECRET_KEY",
    "SERVER_EMAIL",
    "STATIC_ROOT",
    "STORAGES",
    "TEMPLATES",
    "TIME_ZONE",
    "USE_TZ",
]

MODEL_FIELDS = [
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "FileField",
    "ForeignKey",
    "GenericIPAddressField",
    "ImageField",
    "IntegerField",
    "JSONField",
    "ManyToManyField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "URLField",
    "UUIDField",
]

# (name, domain:role, uri, display name or "-" for the name itself)
ENTRIES = [
    *[(name, "std:setting", "ref/settings/#std-setting-$", "-") for name in SETTINGS],
    *[
        (f"django.db.models.{name}", "py:class", "ref/models/fields/#$", "-")
        for name in MODEL_FIELDS
    ],
    ("django.apps.AppConfig", "py:class", "ref/applications/#$", "-"),
    ("django.contrib.admin.ModelAdmin", "py:class", "ref/contrib/admin/#$", "-"),
    ("django.contrib.auth.backends.ModelBackend", "py:class", "ref/contrib/auth/#$", "-"),
    (
        "django.contrib.auth.mixins.LoginRequiredMixin",
        "py:class",
        "topics/auth/default/#$",
        "-",
    ),
    ("django.contrib.auth.models.AbstractBaseUser", "py:class", "topics/auth/customizing/#$", "-"),
    ("django.contrib.auth.models.AbstractUser", "py:class", "topics/auth/customizing/#$", "-"),
    ("django.contrib.auth.models.User", "py:class", "ref/contrib/auth/#$", "-"),
    ("django.contrib.auth.models.UserManager", "py:class", "ref/contrib/auth/#$", "-"),
    (
        "django.contrib.sessions.base_session.AbstractBaseSession",
        "py:class",
        "topics/http/sessions/#$",
        "-",
    ),
    (
        "django.contrib.contenttypes.fields.GenericForeignKey",
        "py:class",
        "ref/contrib/contenttypes/#$",
        "-",
    ),
    (
        "django.contrib.contenttypes.models.ContentType",
        "py:class",
        "ref/contrib/contenttypes/#$",
        "-",
    ),
    ("django.core.exceptions.ImproperlyConfigured", "py:exception", "ref/exceptions/#$", "-"),
    ("django.core.exceptions.ValidationError", "py:exception", "ref/exceptions/#$", "-"),
    ("django.core.files.storage.FileSystemStorage", "py:class", "ref/files/storage/#$", "-"),
    ("django.core.files.storage.Storage", "py:class", "ref/files/storage/#$", "-"),
    ("django.core.files.storage.storages", "py:data", "ref/files/storage/#$", "-"),
    ("django.core.mail.mail_managers", "py:function", "topics/email/#$", "-"),
    ("django.core.mail.send_mail", "py:function", "topics/email/#$", "-"),
    ("django.core.paginator.Paginator", "py:class", "ref/paginator/#$", "-"),
    (
        "django.core.serializers.json.DjangoJSONEncoder",
        "py:class",
        "topics/serialization/#$",
        "-",
    ),
    ("django.db.models.CheckConstraint", "py:class", "ref/models/constraints/#$", "-"),
    ("django.db.models.F", "py:class", "ref/models/expressions/#$", "-"),
    ("django.db.models.Model", "py:class", "ref/models/instances/#$", "-"),
    ("django.db.models.query.QuerySet", "py:class", "ref/models/querysets/#$", "-"),
    (
        "django.db.models.query.QuerySet.select_for_update",
        "py:method",
        "ref/models/querysets/#$",
        "-",
    ),
    ("django.db.transaction.atomic", "py:function", "topics/db/transactions/#$", "-"),
    ("django.db.transaction.on_commit", "py:function", "topics/db/transactions/#$", "-"),
    ("django.dispatch.Signal", "py:class", "topics/signals/#$", "-"),
    ("django.dispatch.Signal.connect", "py:method", "topics/signals/#$", "-"),
    ("django.dispatch.Signal.send", "py:method", "topics/signals/#$", "-"),
    ("django.http.FileResponse", "py:class", "ref/request-response/#$", "-"),
    ("django.http.HttpRequest", "py:class", "ref/request-response/#$", "-"),
    (
        "django.http.HttpRequest.get_signed_cookie",
        "py:method",
        "ref/request-response/#$",
        "-",
    ),
    (
        "django.http.HttpResponse.set_signed_cookie",
        "py:method",
        "ref/request-response/#$",
        "-",
    ),
    ("django.contrib.auth.get_user_model", "py:function", "topics/auth/customizing/#$", "-"),
    *[
        (name, "std:django-admin", "ref/django-admin/#django-admin-$", "-")
        for name in (
            "check",
            "compilemessages",
            "createsuperuser",
            "makemessages",
            "makemigrations",
            "migrate",
            "runserver",
        )
    ],
    *[
        (name, "std:templatetag", "ref/templates/builtins/#std-templatetag-$", "-")
        for name in ("block", "extends", "include", "querystring")
    ],
    (
        "howto/overriding-templates",
        "std:doc",
        "howto/overriding-templates/",
        "How to override templates",
    ),
    (
        "intro/reusable-apps",
        "std:doc",
        "intro/reusable-apps/",
        "Advanced tutorial: How to write reusable apps",
    ),
    (
        "howto/static-files/index",
        "std:doc",
        "howto/static-files/",
        "How to manage static files (e.g. images, JavaScript, CSS)",
    ),
    ("ref/checks", "std:doc", "ref/checks/", "System check framework"),
    ("ref/contrib/postgres/search", "std:doc", "ref/contrib/postgres/search/", "Full text search"),
    ("ref/contrib/admin/index", "std:doc", "ref/contrib/admin/", "The Django admin site"),
    ("ref/contrib/messages", "std:doc", "ref/contrib/messages/", "The messages framework"),
    ("ref/settings", "std:doc", "ref/settings/", "Settings"),
    ("ref/signals", "std:doc", "ref/signals/", "Signals"),
    (
        "topics/auth/customizing",
        "std:doc",
        "topics/auth/customizing/",
        "Customizing authentication in Django",
    ),
    (
        "topics/auth/default",
        "std:doc",
        "topics/auth/default/",
        "Using the Django authentication system",
    ),
    ("topics/db/transactions", "std:doc", "topics/db/transactions/", "Database transactions"),
    ("topics/files", "std:doc", "topics/files/", "Managing files"),
    ("topics/i18n/translation", "std:doc", "topics/i18n/translation/", "Translation"),
    ("topics/signals", "std:doc", "topics/signals/", "Signals"),
    ("topics/templates", "std:doc", "topics/templates/", "Templates"),
]


def render():
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {PROJECT}\n"
        f"# Version: {VERSION}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    lines = []
    for name, role, uri, dispname in sorted(ENTRIES, key=lambda e: (e[1], e[0])):
        priority = -1 if role == "std:doc" else 1
        lines.append(f"{name} {role} {priority} {uri} {dispname}\n")
    return header + zlib.compress("".join(lines).encode(), 9)


def check(data):
    """Read the bytes back with Sphinx's own reader, as intersphinx will."""
    from sphinx.util.inventory import InventoryFile

    inventory = InventoryFile.loads(data, uri=BASE_URL).data
    count = sum(len(objects) for objects in inventory.values())
    if count != len(ENTRIES):
        raise SystemExit(f"wrote {len(ENTRIES)} entries, Sphinx reads {count}")
    return count


def main():
    data = render()
    OUTPUT.write_bytes(data)
    try:
        count = check(data)
    except ImportError:
        count = len(ENTRIES)
    print(f"{OUTPUT}: {count} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
