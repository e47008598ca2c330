"""The private storage of chat attachments (``ISTOK_SUPPORT_ATTACHMENT_STORAGE``).

``ChatMessage.attachment`` uses :func:`attachment_storage`, which returns one
:class:`istok_core.files.LazyStorage`: it hands every call to the storage the setting
names (an alias of ``STORAGES``, a dotted path, or by default a private
``FileSystemStorage`` in ``PRIVATE_MEDIA_ROOT`` that has no URL), resolved on first use
and again when a test changes the setting. So the setting may change without a
migration, and importing the models never touches the disk.
"""

from django.core.files.storage import FileSystemStorage  # noqa: F401  (used by the checks)

from istok_core.files import LazyStorage, build_storage

SETTING = "ISTOK_SUPPORT_ATTACHMENT_STORAGE"

_attachment_storage = LazyStorage(SETTING)


def attachment_storage():
    """The storage of ``ChatMessage.attachment`` (a callable, so migrations name it, not its setting)."""
    return _attachment_storage


def build_backend():
    """The storage ``ISTOK_SUPPORT_ATTACHMENT_STORAGE`` names, as a new instance."""
    return build_storage(SETTING)
