"""The private storage of order documents (``ISTOK_ORDERS_DOCUMENT_STORAGE``).

``Document.file`` uses :func:`document_storage`, which returns one
:class:`DocumentStorage`: a thin storage that hands every call to the storage the setting
names, resolved on first use (and again when a test changes the setting). So the setting
may change without a migration, and importing the models never touches the disk.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


class PrivateFileSystemStorage(FileSystemStorage):
    """A ``FileSystemStorage`` with no URL: its files are only served by a view that checks
    who asks (``istok_orders:document_download``)."""

    def url(self, name):
        raise ValueError(
            "Order documents are private and have no public URL: link to the "
            "istok_orders:document_download view instead."
        )


def private_root():
    """Where the default private storage keeps files."""
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if root:
        return Path(root)
    base = getattr(settings, "BASE_DIR", None)
    if base:
        return Path(base) / "private"
    raise ImproperlyConfigured(
        "istok_orders needs a private directory for order documents: set PRIVATE_MEDIA_ROOT "
        "(outside MEDIA_ROOT), BASE_DIR, or ISTOK_ORDERS_DOCUMENT_STORAGE."
    )


def build_backend():
    """The storage ``ISTOK_ORDERS_DOCUMENT_STORAGE`` names, as a new instance."""
    value = getattr(settings, "ISTOK_ORDERS_DOCUMENT_STORAGE", None)
    if not value:
        return PrivateFileSystemStorage(location=private_root(), base_url=None)
    if not isinstance(value, str):
        raise ImproperlyConfigured(
            "ISTOK_ORDERS_DOCUMENT_STORAGE must be an alias of STORAGES or a dotted path."
        )
    if value in getattr(settings, "STORAGES", {}):
        return storages[value]
    try:
        storage_class = import_string(value)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"ISTOK_ORDERS_DOCUMENT_STORAGE is {value!r}: neither an alias of STORAGES nor an "
            "importable storage class."
        ) from exc
    return storage_class()


class DocumentStorage(Storage):
    """Hands every call to the storage ``ISTOK_ORDERS_DOCUMENT_STORAGE`` names."""

    _backend = None

    @property
    def backend(self):
        if self._backend is None:
            self._backend = build_backend()
        return self._backend

    def reset(self):
        self._backend = None

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


_document_storage = DocumentStorage()


def document_storage():
    """The storage of ``Document.file`` (a callable, so migrations name it, not its setting)."""
    return _document_storage


@receiver(setting_changed)
def _reset_on_setting_change(*, setting, **kwargs):
    if setting in ("ISTOK_ORDERS_DOCUMENT_STORAGE", "PRIVATE_MEDIA_ROOT", "BASE_DIR", "STORAGES"):
        _document_storage.reset()
