"""The private storage of order documents (``ISTOK_ORDERS_DOCUMENT_STORAGE``).

``Document.file`` uses :func:`document_storage`, which returns one
:class:`istok_core.files.LazyStorage`: it hands every call to the storage the setting
names (an alias of ``STORAGES``, a dotted path, or by default a private
``FileSystemStorage`` in ``PRIVATE_MEDIA_ROOT`` that has no URL), resolved on first use
and again when a test changes the setting. So the setting may change without a
migration, and importing the models never touches the disk.
"""

from django.core.files.storage import FileSystemStorage  # noqa: F401  (used by the checks)

from istok_core.files import LazyStorage, build_storage

SETTING = "ISTOK_ORDERS_DOCUMENT_STORAGE"

_document_storage = LazyStorage(SETTING)


def document_storage():
    """The storage of ``Document.file`` (a callable, so migrations name it, not its setting)."""
    return _document_storage


def build_backend():
    """The storage ``ISTOK_ORDERS_DOCUMENT_STORAGE`` names, as a new instance."""
    return build_storage(SETTING)
