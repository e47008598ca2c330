"""Uploads checked by their content, and the names they are kept under.

Every istok app that takes a file (product pictures and 3D models in the catalog, order
documents) checks it here: by what its bytes are, never by the name or the content type
the browser sent, within a size limit. Each ``validate_*`` function returns the
:class:`UploadType` it found or raises a translated
:class:`~django.core.exceptions.ValidationError`, whatever the file holds: no other
exception escapes (no ``RecursionError`` from JSON nested thousands deep, no
``TypeError`` from a field of the wrong type).

The type found names the stored file and the download (:func:`typed_filename`): a PDF
uploaded as ``evil.html`` is kept and served as ``evil.pdf``, so no upload is ever served
as HTML or SVG. The name the user gave is kept for display only, cleaned by
:func:`clean_filename`.

Images need Pillow (imported when an image is checked); PDFs and glTF models do not.
"""

import base64
import binascii
import contextlib
import json
import os
import re
import struct
import unicodedata
import urllib.parse
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class UploadType:
    """What an upload is: ``kind`` (``"pdf"``, ``"glb"``, ``"gltf"`` or ``"image"``), the
    ``extension`` it is stored and downloaded with, and the ``content_type`` it is served as."""

    kind: str
    extension: str
    content_type: str


#: A PDF document: ``.pdf``, ``application/pdf``.
PDF = UploadType("pdf", ".pdf", "application/pdf")
#: A binary glTF 2.0 model: ``.glb``, ``model/gltf-binary``.
GLB = UploadType("glb", ".glb", "model/gltf-binary")
#: A JSON glTF 2.0 model: ``.gltf``, ``model/gltf+json``.
GLTF = UploadType("gltf", ".gltf", "model/gltf+json")

#: Image formats (Pillow's names) accepted when a caller names none.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")

#: The most pixels (width x height) an image may have: a larger one is refused before it
#: is decoded (a "decompression bomb" of a few kilobytes can unpack to gigabytes).
IMAGE_MAX_PIXELS = 50_000_000

#: The deepest nesting of arrays and objects a glTF document may have. glTF itself needs
#: about six levels (``meshes[].primitives[].attributes``); extensions and ``extras`` add
#: a few.
GLTF_MAX_DEPTH = 64

#: The most arrays, objects and array items a glTF document may have: every one costs
#: memory when the document is read, so a small file cannot fill the server's memory.
GLTF_MAX_VALUES = 2_000_000

# The extension and content type of the image formats a browser shows; another format an
# integrator allows gets the ones Pillow registers for it.
_IMAGE_TYPES = {
    "JPEG": UploadType("image", ".jpg", "image/jpeg"),
    "PNG": UploadType("image", ".png", "image/png"),
    "WEBP": UploadType("image", ".webp", "image/webp"),
    "GIF": UploadType("image", ".gif", "image/gif"),
    "TIFF": UploadType("image", ".tif", "image/tiff"),
    "BMP": UploadType("image", ".bmp", "image/bmp"),
}

_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
# A PDF reader looks for the end-of-file marker in the last kilobyte.
_PDF_TAIL = 1024

_GLB_MAGIC = b"glTF"
_GLB_HEADER = struct.Struct("<4sII")
_CHUNK_HEADER = struct.Struct("<II")
_CHUNK_JSON = 0x4E4F534A
_CHUNK_BIN = 0x004E4942

# A bracket inside a JSON string nests nothing: strings are removed (after the escaped
# quotes and backslashes in them) before the brackets are counted.
_JSON_STRING = re.compile(rb'"[^"]*"')
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_GLTF_VERSION = re.compile(r"2\.[0-9]+")

# glTF 2.0: the accessor component types (their size in bytes) and element types (their
# number of components).
_COMPONENT_SIZES = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
_ELEMENT_COMPONENTS = {
    "SCALAR": 1,
    "VEC2": 2,
    "VEC3": 3,
    "VEC4": 4,
    "MAT2": 4,
    "MAT3": 9,
    "MAT4": 16,
}
# The top-level arrays glTF 2.0 defines: each holds objects.
_GLTF_ARRAYS = (
    "accessors",
    "animations",
    "buffers",
    "bufferViews",
    "cameras",
    "images",
    "materials",
    "meshes",
    "nodes",
    "samplers",
    "scenes",
    "skins",
    "textures",
)


# Messages ---------------------------------------------------------------------------------


def _not_a_model():
    return WrongTypeError(_("Upload a 3D model in GLB or glTF format."), code="invalid_model")


_FIELD_PROBLEMS = {
    "type": _("The glTF model is not valid: %(field)s is missing or has the wrong type."),
    "missing": _("The glTF model is not valid: %(field)s refers to an item that does not exist."),
    "bounds": _("The glTF model is not valid: %(field)s lies outside the data it refers to."),
    "data": _("The glTF model is not valid: %(field)s does not hold the data it declares."),
}


def _field_error(problem, field):
    """A refusal naming the glTF ``field`` (``meshes[0].primitives[0].indices``) at fault."""
    return ValidationError(_FIELD_PROBLEMS[problem], code="invalid_model", params={"field": field})


def _damaged_glb():
    return ValidationError(
        _("The GLB file is damaged: its chunks are not laid out as glTF 2.0 requires."),
        code="invalid_model",
    )


class WrongTypeError(ValidationError):
    """The upload is not the kind of file asked for at all (not a PDF, not a glTF model,
    not an image), as opposed to one of that kind that is damaged or too large. A caller
    may answer it with its own message ("The contract must be a PDF file.")."""


# Size and names ---------------------------------------------------------------------------


def check_size(file, max_size):
    """Refuse an empty ``file``, or one larger than ``max_size`` bytes (``None``: no limit)."""
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if max_size is not None and size is not None and size > max_size:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_size)},
        )


def clean_filename(name, *, default="file", max_length=255):
    """``name`` as a user gave it, safe to keep and show: the last part of a path (``/``
    and ``\\`` both separate), without control or formatting characters (a right-to-left
    override can make ``exe.pdf`` look like ``fdp.exe``), spaces collapsed, at most
    ``max_length`` characters (the extension kept). ``default`` when nothing is left."""
    name = re.split(r"[/\\]", str(name or ""))[-1]
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn") or char.isspace()
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return default
    if len(name) > max_length:
        stem, extension = os.path.splitext(name)
        extension = extension[: max_length // 2]
        name = stem[: max_length - len(extension)].rstrip(" .") + extension
    return name


def typed_filename(name, upload_type, *, default="file", max_length=255):
    """The cleaned ``name`` (see :func:`clean_filename`) with the extension of
    ``upload_type`` in place of the one it had: ``evil.html`` holding a PDF is
    ``evil.pdf``. With no type known (``None``), ``.bin``: never a name a browser would
    run (``.html``, ``.svg``)."""
    extension = upload_type.extension if upload_type else ".bin"
    stem = os.path.splitext(clean_filename(name, default=default))[0] or default
    return clean_filename(stem, default=default, max_length=max_length - len(extension)) + (
        extension
    )


def type_for_content_type(content_type):
    """The :class:`UploadType` served as ``content_type`` (as an earlier check recorded
    it), or ``None``."""
    for upload_type in (PDF, GLB, GLTF, *_IMAGE_TYPES.values()):
        if upload_type.content_type == content_type:
            return upload_type
    return None


def image_type(image_format):
    """The :class:`UploadType` of an image in Pillow's ``image_format`` (``"PNG"``)."""
    image_format = str(image_format).upper()
    if image_format in _IMAGE_TYPES:
        return _IMAGE_TYPES[image_format]
    from PIL import Image

    extensions = sorted(
        ext for ext, name in Image.registered_extensions().items() if name == image_format
    )
    return UploadType(
        "image",
        extensions[0] if extensions else ".bin",
        Image.MIME.get(image_format, "application/octet-stream"),
    )


def sniff(file):
    """What ``file`` seems to be from its first bytes, for naming a file an earlier check
    accepted (``None`` when it is nothing this module knows). It never raises and does
    not check the file: use a ``validate_*`` function for that."""
    try:
        head = _read(file, 64)
    except Exception:  # an unreadable file simply has no type
        return None
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_GLB_MAGIC):
        return GLB
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return GLTF
    try:
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            file.seek(0)
            with Image.open(file) as image:
                return image_type(image.format)
    except Exception:  # Pillow raises many kinds of error on junk
        return None
    finally:
        with contextlib.suppress(Exception):
            file.seek(0)


def _read(file, size=-1):
    """Up to ``size`` bytes from the start of ``file`` (all when -1), left at its start."""
    file.seek(0)
    try:
        data = file.read(size)
    finally:
        file.seek(0)
    return data.encode() if isinstance(data, str) else bytes(data)


# PDF --------------------------------------------------------------------------------------


def validate_pdf(file, *, max_size=None):
    """Accept a PDF: a ``%PDF-1.x`` (or ``2.x``) header and a ``%%EOF`` marker in its
    last kilobyte, at most ``max_size`` bytes. Return :data:`PDF`."""
    check_size(file, max_size)
    data = _read(file)
    if not _PDF_HEADER.match(data):
        raise WrongTypeError(_("Upload a PDF file."), code="invalid_pdf")
    if b"%%EOF" not in data[-_PDF_TAIL:]:
        raise ValidationError(
            _("The PDF file is incomplete: it lacks its end-of-file marker."),
            code="invalid_pdf",
        )
    return PDF


# Images -----------------------------------------------------------------------------------


def validate_image(file, *, formats=IMAGE_FORMATS, max_size=None, max_pixels=IMAGE_MAX_PIXELS):
    """Accept an image Pillow reads and verifies, in one of ``formats`` (Pillow's names),
    at most ``max_size`` bytes and ``max_pixels`` pixels. Return its :class:`UploadType`."""
    from PIL import Image, UnidentifiedImageError

    check_size(file, max_size)
    allowed = [str(name).upper() for name in formats]
    invalid = WrongTypeError(
        _("Upload a valid image (%(formats)s)."),
        code="invalid_image",
        params={"formats": ", ".join(allowed)},
    )
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # Pillow only warns about a decompression bomb below twice its own limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        _(
                            "The image is too large (%(width)s × %(height)s pixels); the "
                            "limit is %(limit)s million pixels."
                        ),
                        code="image_too_large",
                        params={
                            "width": width,
                            "height": height,
                            "limit": f"{max_pixels / 1_000_000:g}",
                        },
                    )
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise invalid from None
    except (OSError, SyntaxError, ValueError, TypeError, EOFError, struct.error):
        # What Pillow raises on a damaged file depends on the format and the damage.
        raise invalid from None
    finally:
        with contextlib.suppress(Exception):
            file.seek(0)
    if image_format not in allowed:
        raise invalid
    return image_type(image_format)


# glTF -------------------------------------------------------------------------------------


def validate_model_3d(file, *, max_size=None, allow_external=False):
    """Accept a glTF 2.0 model: binary (GLB) or JSON (glTF), checked for structure.

    GLB: the 12-byte header (magic ``glTF``, version 2, the file's length), then a JSON
    chunk, an optional BIN chunk and only chunks of other types after them, each within
    the file and 4-byte aligned. The JSON (alone or in the GLB) must be an object nesting
    at most :data:`GLTF_MAX_DEPTH` levels with at most :data:`GLTF_MAX_VALUES` values, an
    ``asset.version`` of ``2.x``, and the glTF 2.0 types for the fields a viewer relies
    on: every top-level array holds objects; buffers, buffer views, accessors, images,
    meshes, nodes, scenes and textures have the required fields with the right types,
    their indices point at items that exist and their byte ranges lie within their
    buffers. Without ``allow_external``, buffers and images must be embedded (``data:``
    URIs, or the GLB's BIN chunk): a file served alone cannot fetch others. At most
    ``max_size`` bytes. Return :data:`GLB` or :data:`GLTF`.
    """
    check_size(file, max_size)
    data = _read(file)
    if data.startswith(_GLB_MAGIC):
        document, binary_length = _read_glb(data)
        _check_gltf(document, binary_length=binary_length, allow_external=allow_external)
        return GLB
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        raise _not_a_model()
    _check_gltf(_load_json(data), binary_length=None, allow_external=allow_external)
    return GLTF


def _read_glb(data):
    """The JSON document of a GLB file and the length of its BIN chunk (``None``: none)."""
    if len(data) < _GLB_HEADER.size + _CHUNK_HEADER.size:
        raise ValidationError(_("The GLB file is truncated."), code="invalid_model")
    _magic, version, length = _GLB_HEADER.unpack_from(data)
    if version != 2:
        raise ValidationError(
            _("Only glTF 2.0 models are accepted; this GLB file is version %(version)s."),
            code="invalid_model",
            params={"version": version},
        )
    if length != len(data):
        raise ValidationError(
            _("The GLB file is damaged: its header gives a length that does not match the file."),
            code="invalid_model",
        )
    offset, chunks = _GLB_HEADER.size, []
    while offset < length:
        if offset + _CHUNK_HEADER.size > length:
            raise _damaged_glb()
        chunk_length, chunk_type = _CHUNK_HEADER.unpack_from(data, offset)
        start = offset + _CHUNK_HEADER.size
        if chunk_length % 4 or start + chunk_length > length:
            raise _damaged_glb()
        chunks.append((chunk_type, start, chunk_length))
        offset = start + chunk_length
    types = [chunk_type for chunk_type, _start, _length in chunks]
    # JSON first; BIN, if any, second; chunks of other types may follow (extensions).
    if not types or types[0] != _CHUNK_JSON or types.count(_CHUNK_JSON) > 1:
        raise _damaged_glb()
    if _CHUNK_BIN in types and (types.index(_CHUNK_BIN) != 1 or types.count(_CHUNK_BIN) > 1):
        raise _damaged_glb()
    _json_type, json_start, json_length = chunks[0]
    document = _load_json(data[json_start : json_start + json_length])
    binary_length = chunks[1][2] if _CHUNK_BIN in types else None
    return document, binary_length


def _load_json(data):
    """The JSON object in ``data``, read only when it nests and counts within the limits."""
    # Counted on the raw bytes (C speed, no copy), brackets and commas in strings included:
    # a real model's strings (names, base64 data) hold few of them.
    values = sum(data.count(mark) for mark in (b"[", b"{", b",")) + data.count(b'"') // 2
    if values > GLTF_MAX_VALUES:
        raise ValidationError(
            _("The glTF model is too complex to accept (more than %(limit)s values)."),
            code="invalid_model",
            params={"limit": GLTF_MAX_VALUES},
        )
    skeleton = _JSON_STRING.sub(b"", data.replace(b"\\\\", b"").replace(b'\\"', b""))
    depth = 0
    for bracket in skeleton.translate(None, _NOT_BRACKETS):
        depth += 1 if bracket in b"[{" else -1
        if depth < 0:
            raise _not_a_model()
        if depth > GLTF_MAX_DEPTH:
            raise ValidationError(
                _("The glTF model is nested too deeply (more than %(limit)s levels)."),
                code="invalid_model",
                params={"limit": GLTF_MAX_DEPTH},
            )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _not_a_model() from None
    if not isinstance(document, dict):
        raise _not_a_model()
    return document


def _is_int(value, minimum=0, maximum=None):
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= minimum
        and (maximum is None or value <= maximum)
    )


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Fields:
    """Reads the fields of one glTF object (``where`` names it in messages), refusing a
    value of the wrong type."""

    def __init__(self, item, where):
        self.item, self.where = item, where

    def _field(self, name):
        return f"{self.where}.{name}"

    def int(self, name, *, required=False, minimum=0, maximum=None):
        value = self.item.get(name)
        if value is None and not required:
            return None
        if not _is_int(value, minimum, maximum):
            raise _field_error("type", self._field(name))
        return value

    def index(self, name, items, *, required=False):
        value = self.int(name, required=required)
        if value is not None and value >= len(items):
            raise _field_error("missing", self._field(name))
        return value

    def indices(self, name, items, *, minimum_length=0):
        values = self.item.get(name)
        if values is None:
            return []
        if not isinstance(values, list) or len(values) < minimum_length:
            raise _field_error("type", self._field(name))
        for position, value in enumerate(values):
            if not _is_int(value):
                raise _field_error("type", f"{self._field(name)}[{position}]")
            if value >= len(items):
                raise _field_error("missing", f"{self._field(name)}[{position}]")
        return values

    def indices_of(self, items):
        """Every value of this object is an index of ``items`` (primitive attributes)."""
        for name, value in self.item.items():
            if not _is_int(value):
                raise _field_error("type", self._field(name))
            if value >= len(items):
                raise _field_error("missing", self._field(name))

    def string(self, name, *, required=False, choices=None):
        value = self.item.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (choices is not None and value not in choices):
            raise _field_error("type", self._field(name))
        return value

    def numbers(self, name, length=None):
        values = self.item.get(name)
        if values is None:
            return
        if (
            not isinstance(values, list)
            or (length is not None and len(values) != length)
            or not all(_is_number(value) for value in values)
        ):
            raise _field_error("type", self._field(name))

    def object(self, name, *, required=False):
        value = self.item.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            raise _field_error("type", self._field(name))
        return value


def _check_gltf(document, *, binary_length, allow_external):
    asset = document.get("asset")
    version = asset.get("version") if isinstance(asset, dict) else None
    if not isinstance(version, str):
        raise _not_a_model()
    if not _GLTF_VERSION.fullmatch(version):
        raise ValidationError(
            _("Only glTF 2.0 models are accepted; this file is version %(version)s."),
            code="invalid_model",
            params={"version": version[:20]},
        )
    arrays = {}
    for key in _GLTF_ARRAYS:
        items = document.get(key, [])
        if not isinstance(items, list):
            raise _field_error("type", key)
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                raise _field_error("type", f"{key}[{position}]")
        arrays[key] = items
    for key in ("extensionsUsed", "extensionsRequired"):
        names = document.get(key, [])
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise _field_error("type", key)
    _Fields(document, "glTF").index("scene", arrays["scenes"])
    buffer_lengths = _check_buffers(arrays["buffers"], binary_length, allow_external)
    view_lengths = _check_buffer_views(arrays["bufferViews"], buffer_lengths)
    _check_accessors(arrays["accessors"], arrays["bufferViews"], view_lengths)
    _check_images(arrays["images"], arrays["bufferViews"], allow_external)
    _check_meshes(arrays["meshes"], arrays["accessors"], arrays["materials"])
    for position, node in enumerate(arrays["nodes"]):
        fields = _Fields(node, f"nodes[{position}]")
        fields.indices("children", arrays["nodes"])
        fields.index("mesh", arrays["meshes"])
        fields.index("camera", arrays["cameras"])
        fields.index("skin", arrays["skins"])
        for name, length in (("matrix", 16), ("rotation", 4), ("scale", 3), ("translation", 3)):
            fields.numbers(name, length)
        fields.numbers("weights")
    for position, scene in enumerate(arrays["scenes"]):
        _Fields(scene, f"scenes[{position}]").indices("nodes", arrays["nodes"])
    for position, texture in enumerate(arrays["textures"]):
        fields = _Fields(texture, f"textures[{position}]")
        fields.index("source", arrays["images"])
        fields.index("sampler", arrays["samplers"])


def _check_uri(fields, allow_external):
    """The bytes of a ``data:`` URI in ``fields``' ``uri`` (``None``: no URI, or an
    external one when those are allowed)."""
    uri = fields.string("uri")
    if uri is None:
        return None
    if not uri.startswith("data:"):
        if allow_external:
            return None
        shown = "".join(char for char in uri[:100] if char.isprintable())
        raise ValidationError(
            _(
                "This glTF file refers to other files (%(uri)s). Upload a GLB file, "
                "or a glTF file with its data embedded."
            ),
            code="external_resources",
            params={"uri": shown},
        )
    header, comma, payload = uri.partition(",")
    if not comma:
        raise _field_error("data", fields._field("uri"))
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=True)
        return urllib.parse.unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise _field_error("data", fields._field("uri")) from None


def _check_buffers(buffers, binary_length, allow_external):
    lengths = []
    for position, buffer in enumerate(buffers):
        fields = _Fields(buffer, f"buffers[{position}]")
        content = _check_uri(fields, allow_external) if "uri" in buffer else None
        byte_length = fields.int("byteLength", required=True, minimum=1)
        if "uri" in buffer:
            if content is not None and len(content) < byte_length:
                raise _field_error("data", fields._field("uri"))
        # Only the first buffer of a GLB may leave out its URI: it is the BIN chunk, which
        # may be up to 3 bytes longer (padding).
        elif position != 0 or binary_length is None or binary_length < byte_length:
            raise _field_error("data", fields._field("byteLength"))
        lengths.append(byte_length)
    return lengths


def _check_buffer_views(views, buffer_lengths):
    lengths = []
    for position, view in enumerate(views):
        fields = _Fields(view, f"bufferViews[{position}]")
        buffer = fields.index("buffer", buffer_lengths, required=True)
        offset = fields.int("byteOffset") or 0
        byte_length = fields.int("byteLength", required=True, minimum=1)
        fields.int("byteStride", minimum=4, maximum=252)
        fields.int("target")
        if offset + byte_length > buffer_lengths[buffer]:
            raise _field_error("bounds", fields._field("byteLength"))
        lengths.append(byte_length)
    return lengths


def _element_size(component_size, element_type):
    # Matrix columns start on 4-byte boundaries (glTF 2.0, "Data Alignment").
    if element_type == "MAT2" and component_size == 1:
        return 8
    if element_type == "MAT3" and component_size in (1, 2):
        return 12 * component_size
    return component_size * _ELEMENT_COMPONENTS[element_type]


def _check_accessors(accessors, views, view_lengths):
    for position, accessor in enumerate(accessors):
        fields = _Fields(accessor, f"accessors[{position}]")
        view = fields.index("bufferView", views)
        offset = fields.int("byteOffset") or 0
        component_type = fields.int("componentType", required=True)
        if component_type not in _COMPONENT_SIZES:
            raise _field_error("type", fields._field("componentType"))
        count = fields.int("count", required=True, minimum=1)
        element_type = fields.string("type", required=True, choices=_ELEMENT_COMPONENTS)
        if "normalized" in accessor and not isinstance(accessor["normalized"], bool):
            raise _field_error("type", fields._field("normalized"))
        fields.numbers("max")
        fields.numbers("min")
        fields.object("sparse")
        if view is not None:
            size = _element_size(_COMPONENT_SIZES[component_type], element_type)
            stride = views[view].get("byteStride") or size
            if offset + stride * (count - 1) + size > view_lengths[view]:
                raise _field_error("bounds", fields._field("count"))


def _check_images(images, views, allow_external):
    for position, image in enumerate(images):
        fields = _Fields(image, f"images[{position}]")
        fields.string("mimeType")
        view = fields.index("bufferView", views)
        if "uri" in image:
            if view is not None:
                raise _field_error("type", fields._field("bufferView"))
            _check_uri(fields, allow_external)
        elif view is None or "mimeType" not in image:
            raise _field_error("type", fields._field("uri"))


def _check_meshes(meshes, accessors, materials):
    for position, mesh in enumerate(meshes):
        where = f"meshes[{position}].primitives"
        primitives = mesh.get("primitives")
        if not isinstance(primitives, list) or not primitives:
            raise _field_error("type", where)
        for number, primitive in enumerate(primitives):
            if not isinstance(primitive, dict):
                raise _field_error("type", f"{where}[{number}]")
            fields = _Fields(primitive, f"{where}[{number}]")
            attributes = fields.object("attributes", required=True)
            _Fields(attributes, fields._field("attributes")).indices_of(accessors)
            fields.index("indices", accessors)
            fields.index("material", materials)
            fields.int("mode", maximum=6)
            targets = primitive.get("targets", [])
            if not isinstance(targets, list):
                raise _field_error("type", fields._field("targets"))
            for target_number, target in enumerate(targets):
                name = fields._field(f"targets[{target_number}]")
                if not isinstance(target, dict):
                    raise _field_error("type", name)
                _Fields(target, name).indices_of(accessors)
