"""Checks of uploaded files by their content, shared by the admin, forms, the API and services.

Each validator takes an uploaded file (or a model's ``FieldFile``) and raises
:class:`~django.core.exceptions.ValidationError`. A file already in storage is not read
again: only new uploads are checked.
"""

import contextlib
import json
import os
import struct
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

GLB_MAGIC = b"glTF"


def _is_stored(value):
    # A FieldFile whose content is already in storage was checked when it was uploaded.
    return getattr(value, "_committed", False)


def _check_size(value, limit):
    size = getattr(value, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def validate_image(value):
    """Accept only an image Pillow can read, in ``ISTOK_CATALOG_IMAGE_FORMATS``, not too large."""
    if not value or _is_stored(value):
        return
    _check_size(value, settings.ISTOK_CATALOG_IMAGE_MAX_UPLOAD_SIZE)
    allowed = [name.upper() for name in settings.ISTOK_CATALOG_IMAGE_FORMATS]
    invalid = ValidationError(
        _("Upload a valid image (%(formats)s)."),
        code="invalid_image",
        params={"formats": ", ".join(allowed)},
    )
    try:
        value.seek(0)
        with warnings.catch_warnings():
            # A decompression bomb only warns below twice Pillow's pixel limit: refuse it too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(value) as image:
                image_format = image.format
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise invalid from None
    except (OSError, SyntaxError, ValueError, struct.error):
        raise invalid from None
    finally:
        with contextlib.suppress(OSError, ValueError):
            value.seek(0)
    if image_format not in allowed:
        raise invalid


def _read_all(value):
    value.seek(0)
    data = value.read()
    value.seek(0)
    return data


def _check_glb(value, head):
    if len(head) < 12:
        raise ValidationError(_("The GLB file is truncated."), code="invalid_model")
    version, length = struct.unpack("<II", head[4:12])
    if version != 2:
        raise ValidationError(
            _("Only glTF 2.0 models are accepted; this GLB file is version %(version)s."),
            code="invalid_model",
            params={"version": version},
        )
    size = getattr(value, "size", None)
    if size is not None and length != size:
        raise ValidationError(
            _("The GLB file is damaged: its header gives a length that does not match the file."),
            code="invalid_model",
        )


def _check_gltf_json(value):
    try:
        document = json.loads(_read_all(value).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        document = None
    asset = document.get("asset") if isinstance(document, dict) else None
    if not isinstance(asset, dict) or not isinstance(asset.get("version"), str):
        raise ValidationError(_("Upload a 3D model in GLB or glTF format."), code="invalid_model")
    # A lone .gltf whose buffers or textures live in other files cannot be shown.
    for key in ("buffers", "images"):
        for item in document.get(key) or ():
            uri = item.get("uri") if isinstance(item, dict) else None
            if uri and not str(uri).startswith("data:"):
                raise ValidationError(
                    _(
                        "This glTF file refers to other files (%(uri)s). Upload a GLB file, "
                        "or a glTF file with its data embedded."
                    ),
                    code="external_resources",
                    params={"uri": uri},
                )


def validate_model_3d(value):
    """Accept only a GLB or glTF 2.0 model, checked by content, within the size limit."""
    if not value or _is_stored(value):
        return
    _check_size(value, settings.ISTOK_CATALOG_MODEL_MAX_SIZE)
    extension = os.path.splitext(value.name or "")[1].lower()
    if extension not in (".glb", ".gltf"):
        raise ValidationError(
            _("Upload a 3D model in GLB or glTF format (a .glb or .gltf file)."),
            code="invalid_extension",
        )
    value.seek(0)
    head = value.read(12)
    value.seek(0)
    if head[:4] == GLB_MAGIC:
        if extension != ".glb":
            raise ValidationError(_("This is a GLB file: name it .glb."), code="invalid_extension")
        _check_glb(value, head)
    else:
        if extension != ".gltf":
            raise ValidationError(
                _("This file is not a GLB model (it lacks the glTF header)."),
                code="invalid_model",
            )
        _check_gltf_json(value)
