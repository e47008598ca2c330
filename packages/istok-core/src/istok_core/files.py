"""Private files (contracts, specifications, chat attachments): one way to store them and
one way to serve them.

- :class:`LazyStorage` is the storage of a private ``FileField``: it hands every call to
  the storage an app's setting names (an alias of ``STORAGES`` or a dotted path to a
  storage class; empty: :class:`PrivateFileSystemStorage` in ``PRIVATE_MEDIA_ROOT``),
  resolved on first use and again when a test changes the setting. The model names a
  module-level callable returning it, so migrations never depend on the setting.
- :func:`private_file_response` answers a download the view has already allowed (it checks
  who asks; this function does not): the right ``Content-Type``, ``Content-Disposition``
  with the file name as RFC 6266 writes it (``filename*=utf-8''...`` for a Russian name),
  ``X-Content-Type-Options: nosniff`` and ``Cache-Control: private, no-store``. With
  ``ISTOK_PRIVATE_FILES_SERVER = "nginx"`` the web server sends the file
  (``X-Accel-Redirect`` to ``ISTOK_PRIVATE_FILES_INTERNAL_URL`` + the file's name, a
  location nginx marks ``internal``), with ``"apache"`` or ``"lighttpd"`` through
  ``X-Sendfile`` (the file's path on disk); by default Django streams it.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string

#: What ``ISTOK_PRIVATE_FILES_SERVER`` may be: who sends the bytes of a private file.
SERVERS = (None, "django", "nginx", "apache", "lighttpd")


class PrivateFileSystemStorage(FileSystemStorage):
    """A ``FileSystemStorage`` with no URL: its files are only served by a view that
    checks who asks."""

    def url(self, name):
        raise ValueError(
            "This file is private and has no public URL: link to the view that serves it."
        )


def private_root(setting_name=None):
    """Where the default private storage keeps files: ``PRIVATE_MEDIA_ROOT``, else
    ``BASE_DIR / "private"``."""
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if root:
        return Path(root)
    base = getattr(settings, "BASE_DIR", None)
    if base:
        return Path(base) / "private"
    alternative = f", or {setting_name}" if setting_name else ""
    raise ImproperlyConfigured(
        "Private files need a directory: set PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT), "
        f"BASE_DIR{alternative}."
    )


def build_storage(setting_name):
    """A new instance of the storage the setting ``setting_name`` names (see the module's
    docstring); ``ImproperlyConfigured`` naming the setting when it names nothing usable."""
    value = getattr(settings, setting_name, None)
    if not value:
        return PrivateFileSystemStorage(location=private_root(setting_name), base_url=None)
    if not isinstance(value, str):
        raise ImproperlyConfigured(
            f"{setting_name} must be an alias of STORAGES or a dotted path to a storage class."
        )
    if value in getattr(settings, "STORAGES", {}):
        return storages[value]
    try:
        storage_class = import_string(value)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"{setting_name} is {value!r}: neither an alias of STORAGES nor an importable "
            "storage class."
        ) from exc
    return storage_class()


class LazyStorage(Storage):
    """Hands every call to the storage the setting ``setting_name`` names, built on first
    use and again after a change of that setting, ``PRIVATE_MEDIA_ROOT``, ``BASE_DIR`` or
    ``STORAGES`` (``override_settings`` in tests)."""

    def __init__(self, setting_name):
        self.setting_name = setting_name
        self._backend = None
        setting_changed.connect(self._setting_changed, weak=False)

    def _setting_changed(self, *, setting, **kwargs):
        if setting in (self.setting_name, "PRIVATE_MEDIA_ROOT", "BASE_DIR", "STORAGES"):
            self.reset()

    @property
    def backend(self):
        if self._backend is None:
            self._backend = build_storage(self.setting_name)
        return self._backend

    def reset(self):
        self._backend = None

    def deconstruct(self):
        # Migrations name the app's callable, never this instance; this keeps an accidental
        # reference reproducible all the same.
        return ("istok_core.files.LazyStorage", (self.setting_name,), {})

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def _open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def _save(self, name, content):
        return self.backend.save(name, content)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return self.backend.url(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)


def files_server():
    """``ISTOK_PRIVATE_FILES_SERVER``, checked."""
    server = getattr(settings, "ISTOK_PRIVATE_FILES_SERVER", None) or None
    if server not in SERVERS:
        raise ImproperlyConfigured(
            f"ISTOK_PRIVATE_FILES_SERVER is {server!r}: use one of "
            f"{', '.join(repr(s) for s in SERVERS if s)}, or leave it unset."
        )
    return None if server == "django" else server


def _headers(response, filename, content_type, as_attachment):
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def private_file_response(file, *, filename, content_type, as_attachment=True):
    """The response for a private ``file`` (a ``FieldFile``) the caller has allowed the
    request to read: named ``filename`` (the download's name; RFC 6266), typed
    ``content_type``. ``Http404`` when the file is missing from its storage."""
    if not file or not file.name:
        raise Http404
    storage, name = file.storage, file.name
    server = files_server()
    if server == "nginx":
        if not storage.exists(name):
            raise Http404
        prefix = getattr(settings, "ISTOK_PRIVATE_FILES_INTERNAL_URL", "/private-files/")
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name.lstrip("/"))
        return _headers(response, filename, content_type, as_attachment)
    if server in ("apache", "lighttpd"):
        try:
            path = storage.path(name)
        except NotImplementedError as exc:
            raise ImproperlyConfigured(
                "ISTOK_PRIVATE_FILES_SERVER needs a storage with files on disk for X-Sendfile."
            ) from exc
        if not Path(path).exists():
            raise Http404
        if path.isascii():
            response = HttpResponse()
            response["X-Sendfile"] = path
            return _headers(response, filename, content_type, as_attachment)
        # An HTTP header carries no other path as is: Django streams this one.
    try:
        handle = storage.open(name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    return _headers(response, filename, content_type, as_attachment)
