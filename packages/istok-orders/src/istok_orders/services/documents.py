"""Documents of an order: checked, versioned, private."""

import json
import os

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..models import Document
from ..signals import document_attached
from ._common import Event, _actor_id, _after_commit, _error, _event, _lock, _notify

PDF_MAGIC = b"%PDF-"
GLB_MAGIC = b"glTF"


def validate_document(kind, file):
    """Check an upload for a document of ``kind``: present, not empty, within
    ``ISTOK_ORDERS_DOCUMENT_MAX_SIZE``, and by content a PDF (contract, specification,
    receipt) or a glTF model (binary ``.glb`` or JSON ``.gltf``). Return its content type."""
    if kind not in Document.Kind.values:
        raise _error("kind", _("Unknown document kind."), "unknown_kind")
    if file is None:
        raise _error("file", _("Choose a file."), "required")
    size = getattr(file, "size", None) or 0
    if size <= 0:
        raise _error("file", _("The file is empty."), "empty")
    limit = settings.ISTOK_ORDERS_DOCUMENT_MAX_SIZE
    if size > limit:
        raise _error(
            "file",
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            "too_large",
        )
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    if isinstance(head, str):
        head = head.encode()
    content_type = None
    if kind != Document.Kind.MODEL_3D:
        if head.startswith(PDF_MAGIC):
            content_type = "application/pdf"
        else:
            message = _("The %(kind)s must be a PDF file.") % {
                "kind": Document.Kind(kind).label.lower()
            }
    elif head.startswith(GLB_MAGIC):
        content_type = "model/gltf-binary"
    else:
        file.seek(0)
        content = file.read()
        try:
            if isinstance(content, bytes):
                content = content.decode("utf-8-sig")
            gltf = json.loads(content)
        except (UnicodeDecodeError, ValueError, RecursionError):
            gltf = None
        if isinstance(gltf, dict) and isinstance(gltf.get("asset"), dict):
            content_type = "model/gltf+json"
        message = _("The 3D model must be a glTF file (.glb or .gltf).")
    file.seek(0)
    if content_type is None:
        raise _error("file", message, "invalid_content")
    return content_type


@transaction.atomic
def attach_document(order, kind, file, *, actor=None, customer_visible=True):
    """Store ``file`` as the next version of the order's document of ``kind`` and return
    the new ``Document``. Earlier versions are kept.

    The file is checked first (:func:`validate_document`): PDF for a contract,
    specification or receipt, glTF for a 3D model, at most
    ``ISTOK_ORDERS_DOCUMENT_MAX_SIZE``. After commit ``document_attached`` is sent and,
    when the customer sees the document, they are notified.
    """
    content_type = validate_document(kind, file)
    locked = _lock(order)
    last = (
        Document.objects.filter(order=locked, kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    original_name = os.path.basename(getattr(file, "name", "") or "")[:255] or kind
    document = Document(
        order=locked,
        kind=kind,
        version=(last or 0) + 1,
        original_name=original_name,
        size=file.size,
        content_type=content_type,
        customer_visible=bool(customer_visible),
        uploaded_by_id=_actor_id(actor),
    )
    document.file.save(original_name, file, save=False)
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
