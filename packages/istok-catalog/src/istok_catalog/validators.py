"""Checks of uploaded files by their content, shared by the admin, forms, the API and services,
and the names the files are stored under.

Each validator takes an uploaded file (or a model's ``FieldFile``) and raises
:class:`~django.core.exceptions.ValidationError`. A file already in storage is not read
again: only new uploads are checked. The checks themselves are istok-core's
(:mod:`istok_core.uploads`), with this app's settings.
"""

import os
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from istok_core import uploads


def _is_stored(value):
    # A FieldFile whose content is already in storage was checked when it was uploaded.
    return getattr(value, "_committed", False)


def validate_image(value):
    """Accept only an image Pillow can read, in ``ISTOK_CATALOG_IMAGE_FORMATS``, within
    ``ISTOK_CATALOG_IMAGE_MAX_UPLOAD_SIZE`` bytes and ``ISTOK_CATALOG_IMAGE_MAX_PIXELS``."""
    if not value or _is_stored(value):
        return
    uploads.validate_image(
        value,
        formats=settings.ISTOK_CATALOG_IMAGE_FORMATS,
        max_size=settings.ISTOK_CATALOG_IMAGE_MAX_UPLOAD_SIZE,
        max_pixels=settings.ISTOK_CATALOG_IMAGE_MAX_PIXELS,
    )


def validate_model_3d(value):
    """Accept only a glTF 2.0 model, checked by content and structure
    (:func:`istok_core.uploads.validate_model_3d`): a ``.glb`` file holding a GLB, or a
    ``.gltf`` file holding a glTF with its data embedded, within
    ``ISTOK_CATALOG_MODEL_MAX_SIZE``."""
    if not value or _is_stored(value):
        return
    extension = os.path.splitext(value.name or "")[1].lower()
    if extension not in (uploads.GLB.extension, uploads.GLTF.extension):
        raise ValidationError(
            _("Upload a 3D model in GLB or glTF format (a .glb or .gltf file)."),
            code="invalid_extension",
        )
    found = uploads.validate_model_3d(value, max_size=settings.ISTOK_CATALOG_MODEL_MAX_SIZE)
    if found.extension != extension:
        message = (
            _("This is a GLB file: name it .glb.")
            if found == uploads.GLB
            else _("This is a glTF (JSON) file: name it .gltf.")
        )
        raise ValidationError(message, code="invalid_extension")


@deconstructible(path="istok_catalog.validators.TypedUploadTo")
class TypedUploadTo:
    """The ``upload_to`` of a picture or 3D model field: ``directory``, then the name the
    file came with, its extension replaced by the one of its content. ``evil.html``
    holding a PNG is stored as ``evil.png``: a public file under ``MEDIA_URL`` is never
    served as HTML or SVG, whatever it was called. A file whose content is nothing
    istok-core knows (one saved without the validators) is stored as ``.bin``."""

    def __init__(self, directory, field_name):
        self.directory = directory
        self.field_name = field_name

    def __call__(self, instance, filename):
        # While the model saves a new file, its field holds the upload itself.
        content = getattr(getattr(instance, self.field_name, None), "_file", None)
        upload_type = uploads.sniff(content) if content is not None else None
        return posixpath.join(self.directory, uploads.typed_filename(filename, upload_type))

    def __eq__(self, other):
        return isinstance(other, TypedUploadTo) and (self.directory, self.field_name) == (
            other.directory,
            other.field_name,
        )

    def __hash__(self):
        return hash((self.directory, self.field_name))
