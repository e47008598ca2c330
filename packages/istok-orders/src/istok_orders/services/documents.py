"""Documents of an order: checked, versioned, private."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from istok_core import uploads

from ..models import Document
from ..signals import document_attached
from ._common import Event, _actor_id, _after_commit, _error, _event, _lock, _notify


def validate_document(kind, file):
    """Check an upload for a document of ``kind``: present, not empty, within
    ``ISTOK_ORDERS_DOCUMENT_MAX_SIZE``, and by content and structure a PDF (contract,
    specification, receipt) or a glTF 2.0 model (binary GLB or JSON glTF with its data
    embedded), as :mod:`istok_core.uploads` checks them. Return its content type."""
    return _check_document(kind, file).content_type


def _check_document(kind, file):
    """The :class:`~istok_core.uploads.UploadType` of ``file`` as a document of ``kind``,
    or a ``ValidationError`` on ``kind`` or ``file``."""
    if kind not in Document.Kind.values:
        raise _error("kind", _("Unknown document kind."), "unknown_kind")
    if file is None:
        raise _error("file", _("Choose a file."), "required")
    limit = settings.ISTOK_ORDERS_DOCUMENT_MAX_SIZE
    try:
        if kind == Document.Kind.MODEL_3D:
            return uploads.validate_model_3d(file, max_size=limit)
        return uploads.validate_pdf(file, max_size=limit)
    except uploads.WrongTypeError:
        if kind == Document.Kind.MODEL_3D:
            message = _("The 3D model must be a glTF file (.glb or .gltf).")
        else:
            message = _("The %(kind)s must be a PDF file.") % {
                "kind": Document.Kind(kind).label.lower()
            }
        raise _error("file", message, "invalid_content") from None
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from None


@transaction.atomic
def attach_document(order, kind, file, *, actor=None, customer_visible=True):
    """Store ``file`` as the next version of the order's document of ``kind`` and return
    the new ``Document``. Earlier versions are kept.

    The file is checked first (:func:`validate_document`): PDF for a contract,
    specification or receipt, glTF for a 3D model, at most
    ``ISTOK_ORDERS_DOCUMENT_MAX_SIZE``. It is stored, and downloaded, under the extension
    of what it is (``.pdf``, ``.glb``, ``.gltf``), whatever it was called; the name it came
    with is kept, cleaned, in ``original_name`` for display. After commit
    ``document_attached`` is sent and, when the customer sees the document, they are
    notified.
    """
    upload_type = _check_document(kind, file)
    locked = _lock(order)
    last = (
        Document.objects.filter(order=locked, kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    # Kept for display only: the file is stored and downloaded under its type's extension.
    original_name = uploads.clean_filename(getattr(file, "name", ""), default=kind)
    document = Document(
        order=locked,
        kind=kind,
        version=(last or 0) + 1,
        original_name=original_name,
        size=file.size,
        content_type=upload_type.content_type,
        customer_visible=bool(customer_visible),
        uploaded_by_id=_actor_id(actor),
    )
    document.file.save(uploads.typed_filename(original_name, upload_type), file, save=False)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    event = _event(
        locked,
        Event.DOCUMENT,
        actor,
        customer_visible=document.customer_visible,
        document=document.pk,
        kind=kind,
        version=document.version,
        name=original_name,
    )
    _after_commit(document_attached.send, sender=Document, order=locked, document=document)
    if document.customer_visible:
        _after_commit(_notify, locked, event)
    return document
