import base64
import io
import json
import random
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from istok_core import uploads
from istok_core.uploads import (
    GLB,
    GLTF,
    PDF,
    WrongTypeError,
    check_size,
    clean_filename,
    sniff,
    type_for_content_type,
    typed_filename,
    validate_image,
    validate_model_3d,
    validate_pdf,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# One triangle: three VEC3 float positions (36 bytes) in an embedded buffer.
TRIANGLE = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)


def upload(content, name="upload.bin"):
    return SimpleUploadedFile(name, content)


def triangle(buffer=None, **extra):
    """A small valid glTF 2.0 document: one mesh, one node, one scene."""
    if buffer is None:
        uri = "data:application/octet-stream;base64," + base64.b64encode(TRIANGLE).decode()
        buffer = {"byteLength": len(TRIANGLE), "uri": uri}
    document = {
        "asset": {"version": "2.0", "generator": "istok tests"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "translation": [0, 0, 0]}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "mode": 4}]}],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 3,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [1, 1, 0],
            }
        ],
        "bufferViews": [{"buffer": 0, "byteLength": len(TRIANGLE), "target": 34962}],
        "buffers": [buffer],
    }
    document.update(extra)
    return document


def gltf(document):
    return json.dumps(document).encode()


def glb(document, binary=None, *, version=2, length=None, chunks=None):
    """A GLB file: the JSON chunk (space-padded), the BIN chunk (zero-padded) if given."""
    text = gltf(document) if isinstance(document, dict) else document
    text += b" " * (-len(text) % 4)
    if chunks is None:
        chunks = [(0x4E4F534A, text)]
        if binary is not None:
            chunks.append((0x004E4942, binary + b"\0" * (-len(binary) % 4)))
    body = b"".join(struct.pack("<II", len(data), kind) + data for kind, data in chunks)
    total = 12 + len(body) if length is None else length
    return b"glTF" + struct.pack("<II", version, total) + body


def triangle_glb():
    return glb(triangle(buffer={"byteLength": len(TRIANGLE)}), TRIANGLE)


def refusal(validator, content, **kwargs):
    with pytest.raises(ValidationError) as error:
        validator(upload(content), **kwargs)
    return error.value


def message(error):
    return " ".join(error.messages)


# PDF ----------------------------------------------------------------------------------------


def test_a_pdf_is_accepted_and_typed():
    assert validate_pdf(upload(PDF_BYTES)) == PDF
    assert (PDF.extension, PDF.content_type) == (".pdf", "application/pdf")


def test_a_pdf_may_end_with_padding_after_its_end_marker():
    assert validate_pdf(upload(PDF_BYTES + b"\n" * 900)) == PDF


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", b"\x89PNG\r\n\x1a\n", b"%PDF-x", b"MZ\x90\x00"],
)
def test_what_is_not_a_pdf_is_refused_as_the_wrong_type(content):
    error = refusal(validate_pdf, content)
    assert isinstance(error, WrongTypeError)
    assert error.code == "invalid_pdf"


def test_a_pdf_without_its_end_marker_is_refused_as_damaged():
    error = refusal(validate_pdf, b"%PDF-1.7\n1 0 obj << >> endobj\n")
    assert not isinstance(error, WrongTypeError)
    assert "end-of-file marker" in message(error)


def test_an_empty_file_and_one_over_the_limit_are_refused():
    assert refusal(validate_pdf, b"").code == "empty"
    error = refusal(validate_pdf, PDF_BYTES, max_size=10)
    assert error.code == "file_too_large"
    assert "the limit is 10" in message(error)
    check_size(upload(PDF_BYTES), None)


# glTF: the hostile files of issue 8 ---------------------------------------------------------


def test_a_deeply_nested_gltf_is_refused_not_a_recursion_error():
    deep = b'{"asset": {"version": "2.0"}, "extras": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    error = refusal(validate_model_3d, deep)
    assert error.code == "invalid_model"
    assert "nested too deeply" in message(error)


def test_a_bracket_inside_a_string_does_not_count_as_nesting():
    document = triangle(extras={"note": "[" * 5000 + '\\"{' * 100})
    assert validate_model_3d(upload(gltf(document))) == GLTF


def test_buffers_that_are_not_an_array_are_refused_not_a_type_error():
    error = refusal(validate_model_3d, b'{"asset":{"version":"2.0"},"buffers":5}')
    assert error.code == "invalid_model"
    assert message(error) == (
        "The glTF model is not valid: buffers is missing or has the wrong type."
    )


def test_images_that_are_not_objects_are_refused():
    error = refusal(validate_model_3d, b'{"asset":{"version":"2.0"},"images":[1,2]}')
    assert "images[0]" in message(error)


def test_nesting_within_the_limit_but_values_beyond_it_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "GLTF_MAX_VALUES", 50)
    document = triangle(extras=[[0]] * 60)
    assert "too complex" in message(refusal(validate_model_3d, gltf(document)))


# glTF: structure ------------------------------------------------------------------------------


def test_a_valid_gltf_and_glb_are_accepted_and_typed():
    assert validate_model_3d(upload(gltf(triangle()))) == GLTF
    assert validate_model_3d(upload(triangle_glb())) == GLB
    assert (GLB.extension, GLB.content_type) == (".glb", "model/gltf-binary")
    assert (GLTF.extension, GLTF.content_type) == (".gltf", "model/gltf+json")


def test_a_gltf_with_a_byte_order_mark_is_accepted():
    assert validate_model_3d(upload(b"\xef\xbb\xbf" + gltf(triangle()))) == GLTF


def _with(path, value):
    """The triangle with the field at ``path`` (keys and indices) set to ``value``."""
    document = triangle()
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("buffers", 0, "byteLength"), "36", "buffers[0].byteLength"),
        (("buffers", 0, "byteLength"), 0, "buffers[0].byteLength"),
        (("buffers", 0, "byteLength"), -1, "buffers[0].byteLength"),
        (("buffers", 0, "byteLength"), True, "buffers[0].byteLength"),
        (("buffers", 0, "byteLength"), 36.5, "buffers[0].byteLength"),
        (("buffers", 0, "uri"), 5, "buffers[0].uri"),
        (("buffers", 0, "uri"), ["data:,"], "buffers[0].uri"),
        (("bufferViews", 0, "buffer"), "0", "bufferViews[0].buffer"),
        (("bufferViews", 0, "byteStride"), 2, "bufferViews[0].byteStride"),
        (("accessors", 0, "componentType"), 1234, "accessors[0].componentType"),
        (("accessors", 0, "type"), "VEC5", "accessors[0].type"),
        (("accessors", 0, "count"), 0, "accessors[0].count"),
        (("accessors", 0, "normalized"), "no", "accessors[0].normalized"),
        (("accessors", 0, "min"), ["0"], "accessors[0].min"),
        (("meshes", 0, "primitives"), [], "meshes[0].primitives"),
        (("meshes", 0, "primitives"), [1], "meshes[0].primitives[0]"),
        (("meshes", 0, "primitives", 0, "attributes"), [0], "meshes[0].primitives[0].attributes"),
        (("meshes", 0, "primitives", 0, "mode"), 7, "meshes[0].primitives[0].mode"),
        (("nodes", 0, "children"), 1, "nodes[0].children"),
        (("nodes", 0, "translation"), [0, 0], "nodes[0].translation"),
        (("nodes", 0, "matrix"), [1] * 15, "nodes[0].matrix"),
        (("scenes", 0, "nodes"), [-1], "scenes[0].nodes[0]"),
        (("extensionsUsed",), [1], "extensionsUsed"),
        (("images",), {"uri": "data:,"}, "images"),
        (("scene",), "0", "glTF.scene"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_and_named(path, value, field):
    error = refusal(validate_model_3d, gltf(_with(path, value)))
    assert error.code == "invalid_model"
    assert message(error) == (
        f"The glTF model is not valid: {field} is missing or has the wrong type."
    )


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("bufferViews", 0, "buffer"), 1, "bufferViews[0].buffer"),
        (("accessors", 0, "bufferView"), 3, "accessors[0].bufferView"),
        (("meshes", 0, "primitives", 0, "attributes"), {"POSITION": 1}, "attributes.POSITION"),
        (("meshes", 0, "primitives", 0, "indices"), 9, "primitives[0].indices"),
        (("meshes", 0, "primitives", 0, "material"), 0, "primitives[0].material"),
        (("nodes", 0, "mesh"), 1, "nodes[0].mesh"),
        (("nodes", 0, "children"), [5], "nodes[0].children[0]"),
        (("scenes", 0, "nodes"), [1], "scenes[0].nodes[0]"),
        (("scene",), 2, "glTF.scene"),
        (("textures",), [{"source": 0}], "textures[0].source"),
    ],
)
def test_an_index_out_of_range_is_refused(path, value, field):
    error = refusal(validate_model_3d, gltf(_with(path, value)))
    assert field in message(error)
    assert "refers to an item that does not exist" in message(error)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("bufferViews", 0, "byteLength"), 37),
        (("bufferViews", 0, "byteOffset"), 4),
        (("accessors", 0, "count"), 4),
        (("accessors", 0, "byteOffset"), 4),
    ],
)
def test_a_byte_range_beyond_its_buffer_is_refused(path, value):
    assert "lies outside the data" in message(refusal(validate_model_3d, gltf(_with(path, value))))


def test_a_data_uri_shorter_than_its_buffer_or_not_base64_is_refused():
    short = _with(("buffers", 0, "uri"), "data:application/octet-stream;base64,AAAA")
    assert "does not hold the data" in message(refusal(validate_model_3d, gltf(short)))
    broken = _with(("buffers", 0, "uri"), "data:application/octet-stream;base64,!!!!")
    assert "does not hold the data" in message(refusal(validate_model_3d, gltf(broken)))


@pytest.mark.parametrize(
    "uri", ["kitchen.bin", "https://example.com/kitchen.bin", "file:///etc/passwd"]
)
def test_a_gltf_referring_to_other_files_is_refused(uri):
    error = refusal(validate_model_3d, gltf(_with(("buffers", 0, "uri"), uri)))
    assert error.code == "external_resources"
    assert uri in message(error)
    assert validate_model_3d(upload(gltf(_with(("buffers", 0, "uri"), uri))), allow_external=True)


def test_an_external_image_is_refused_and_an_embedded_one_accepted():
    external = triangle(images=[{"uri": "wood.png"}])
    assert refusal(validate_model_3d, gltf(external)).code == "external_resources"
    embedded = triangle(images=[{"bufferView": 0, "mimeType": "image/png"}])
    assert validate_model_3d(upload(gltf(embedded))) == GLTF
    without_type = triangle(images=[{"bufferView": 0}])
    assert "images[0].uri" in message(refusal(validate_model_3d, gltf(without_type)))


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (b'{"scenes": []}', "Upload a 3D model in GLB or glTF format."),
        (b'{"asset": {"version": 2}}', "Upload a 3D model in GLB or glTF format."),
        (b'{"asset": {"version": "1.0"}}', "this file is version 1.0"),
        (b'{"asset": {"version": "3.0"}}', "this file is version 3.0"),
        (b"[" * 100000, "Upload a 3D model in GLB or glTF format."),
        (b"\xff\xfe garbage", "Upload a 3D model in GLB or glTF format."),
        (b'{"asset": {"version": "2.0"}', "Upload a 3D model in GLB or glTF format."),
        (PDF_BYTES, "Upload a 3D model in GLB or glTF format."),
    ],
)
def test_what_is_not_a_gltf_2_model_is_refused(content, text):
    error = refusal(validate_model_3d, content)
    assert error.code == "invalid_model"
    assert text in message(error)


def test_not_a_model_at_all_is_the_wrong_type_and_a_damaged_one_is_not():
    assert isinstance(refusal(validate_model_3d, PDF_BYTES), WrongTypeError)
    damaged = gltf(_with(("buffers", 0, "byteLength"), "x"))
    assert not isinstance(refusal(validate_model_3d, damaged), WrongTypeError)


# GLB ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (b"glTF\x02\x00\x00\x00", "truncated"),
        (glb(triangle(), version=1), "this GLB file is version 1"),
        (glb(triangle(), length=9999), "does not match the file"),
        (glb(triangle())[:-4], "does not match the file"),
        # A chunk claiming more bytes than the file has.
        (
            glb(b"", chunks=[(0x4E4F534A, b"{}  ")])[:12]
            + struct.pack("<II", 400, 0x4E4F534A)
            + b"{}  ",
            "chunks",
        ),
        # The BIN chunk first, the JSON chunk second.
        (glb(b"", chunks=[(0x004E4942, TRIANGLE), (0x4E4F534A, gltf(triangle()))]), "chunks"),
        # A chunk length that is not a multiple of 4.
        (glb(b"", chunks=[(0x4E4F534A, b'{"asset":{"version":"2.0"}}')]), "chunks"),
        # Two BIN chunks.
        (
            glb(
                triangle(),
                chunks=[
                    (0x4E4F534A, gltf(triangle()) + b" " * (-len(gltf(triangle())) % 4)),
                    (0x004E4942, b"\0" * 4),
                    (0x004E4942, b"\0" * 4),
                ],
            ),
            "chunks",
        ),
    ],
)
def test_a_damaged_glb_is_refused(content, text):
    error = refusal(validate_model_3d, content)
    assert error.code == "invalid_model"
    assert text in message(error)


def test_a_glb_chunk_of_an_unknown_type_after_the_first_two_is_allowed():
    json_chunk = gltf(triangle(buffer={"byteLength": 36}))
    json_chunk += b" " * (-len(json_chunk) % 4)
    content = glb(
        b"", chunks=[(0x4E4F534A, json_chunk), (0x004E4942, TRIANGLE), (0x12345678, b"ext!")]
    )
    assert validate_model_3d(upload(content)) == GLB


def test_a_glb_buffer_without_uri_needs_the_bin_chunk():
    no_bin = glb(triangle(buffer={"byteLength": 36}))
    assert "buffers[0].byteLength" in message(refusal(validate_model_3d, no_bin))
    short_bin = glb(triangle(buffer={"byteLength": 36}), TRIANGLE[:32])
    assert "buffers[0].byteLength" in message(refusal(validate_model_3d, short_bin))
    second = triangle(buffer={"byteLength": 36})
    second["buffers"].append({"byteLength": 4})
    assert "buffers[1].byteLength" in message(refusal(validate_model_3d, glb(second, TRIANGLE)))


def test_a_glb_is_checked_like_a_gltf_inside():
    assert "buffers" in message(
        refusal(validate_model_3d, glb(b'{"asset":{"version":"2.0"},"buffers":5}'))
    )
    deep = b'{"asset":{"version":"2.0"},"extras":' + b"[" * 3000 + b"]" * 3000 + b"}"
    assert "nested too deeply" in message(refusal(validate_model_3d, glb(deep)))


def test_hostile_variations_of_a_model_raise_only_validation_errors():
    """Truncated, bit-flipped and spliced models: accepted or refused, never a crash."""
    rng = random.Random(8)
    samples = [triangle_glb(), gltf(triangle())]
    for _ in range(400):
        content = bytearray(rng.choice(samples))
        for _flip in range(rng.randint(1, 6)):
            position = rng.randrange(len(content))
            content[position] = rng.randrange(256)
        if rng.random() < 0.3:
            content = content[: rng.randrange(1, len(content))]
        try:
            validate_model_3d(upload(bytes(content)))
        except ValidationError as error:
            assert error.messages


def test_the_messages_are_translated():
    with translation.override("ru"):
        text = message(refusal(validate_model_3d, b'{"asset":{"version":"2.0"},"buffers":5}'))
    assert "buffers" in text
    assert "glTF model" not in text


# Images -------------------------------------------------------------------------------------


def image_bytes(image_format="PNG", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("image_format", "extension", "content_type"),
    [
        ("PNG", ".png", "image/png"),
        ("JPEG", ".jpg", "image/jpeg"),
        ("WEBP", ".webp", "image/webp"),
    ],
)
def test_an_image_is_accepted_and_typed_by_its_content(image_format, extension, content_type):
    found = validate_image(upload(image_bytes(image_format), name="evil.html"))
    assert (found.kind, found.extension, found.content_type) == ("image", extension, content_type)


def test_an_image_format_not_allowed_or_not_an_image_is_refused():
    error = refusal(validate_image, image_bytes("GIF"))
    assert isinstance(error, WrongTypeError)
    assert error.code == "invalid_image"
    assert refusal(validate_image, b"<svg onload=alert(1)>").code == "invalid_image"
    assert refusal(validate_image, image_bytes()[:40]).code == "invalid_image"
    assert validate_image(upload(image_bytes("GIF")), formats=["gif"]).extension == ".gif"


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    error = refusal(validate_image, image_bytes(size=(200, 100)), max_pixels=10_000)
    assert error.code == "image_too_large"
    assert message(error) == (
        "The image is too large (200 × 100 pixels); the limit is 0.01 million pixels."
    )


# Names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("contract.pdf", "contract.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Ivanov\\Договор.pdf", "Договор.pdf"),
        ("evil\x00.pdf", "evil.pdf"),
        ("line\r\nbreak.pdf", "line break.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("  spaced   out  .pdf ", "spaced out .pdf"),
        ("", "file"),
        ("/", "file"),
        ("...", "file"),
        (None, "file"),
    ],
)
def test_a_file_name_is_cleaned_for_display(name, cleaned):
    assert clean_filename(name) == cleaned


def test_a_long_file_name_is_cut_keeping_its_extension():
    cleaned = clean_filename("a" * 400 + ".pdf")
    assert len(cleaned) == 255
    assert cleaned.endswith("a.pdf")
    assert len(clean_filename("b" * 50, max_length=20)) == 20


@pytest.mark.parametrize(
    ("name", "upload_type", "typed"),
    [
        ("evil.html", PDF, "evil.pdf"),
        ("evil.svg", PDF, "evil.pdf"),
        ("kitchen.exe", GLB, "kitchen.glb"),
        ("Contract.PDF", PDF, "Contract.pdf"),
        ("archive.tar.gz", PDF, "archive.tar.pdf"),
        (".html", PDF, "html.pdf"),
        ("../x/evil.html", None, "evil.bin"),
        ("a" * 300 + ".html", GLTF, "a" * 250 + ".gltf"),
    ],
)
def test_a_typed_file_name_has_the_extension_of_its_content(name, upload_type, typed):
    assert typed_filename(name, upload_type) == typed


def test_sniffing_names_the_type_without_raising():
    assert sniff(upload(PDF_BYTES)) == PDF
    assert sniff(upload(triangle_glb())) == GLB
    assert sniff(upload(gltf(triangle()))) == GLTF
    assert sniff(upload(image_bytes("JPEG"))).extension == ".jpg"
    assert sniff(upload(b"<html>")) is None
    assert sniff(upload(b"")) is None


def test_a_recorded_content_type_gives_its_type_back():
    assert type_for_content_type("application/pdf") == PDF
    assert type_for_content_type("model/gltf-binary") == GLB
    assert type_for_content_type("image/png").extension == ".png"
    assert type_for_content_type("text/html") is None
