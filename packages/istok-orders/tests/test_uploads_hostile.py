"""Hostile documents: a file is stored and downloaded under the type of its content, never
the extension it was sent with, and a damaged 3D model is a field error, never a 500."""

import json
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.http import content_disposition_header

from istok_orders import services
from istok_orders.models import Document
from istok_orders.testing.factories import glb_file, pdf_file

pytestmark = pytest.mark.django_db

HOSTILE_MODELS = {
    "nested": b'{"asset": {"version": "2.0"}, "extras": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "buffers": b'{"asset": {"version": "2.0"}, "buffers": 5}',
    "images": b'{"asset": {"version": "2.0"}, "images": [1, 2]}',
    "byte_length": b'{"asset": {"version": "2.0"}, "buffers": [{"byteLength": -1}]}',
    "index": b'{"asset": {"version": "2.0"}, "nodes": [{"mesh": 0}]}',
    "version": b'{"asset": {"version": "1.0"}}',
}


def glb_with_chunk_length(length):
    """A GLB whose JSON chunk claims ``length`` bytes (the file has 28)."""
    chunk = json.dumps({"asset": {"version": "2.0"}}).encode()
    body = struct.pack("<II", length, 0x4E4F534A) + chunk
    return b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body


def page_download(document):
    return reverse(
        "istok_orders:document_download",
        kwargs={"number": document.order.number, "pk": document.pk},
    )


def api_download(document):
    return reverse(
        "istok_orders_api:document_download",
        kwargs={"number": document.order.number, "pk": document.pk},
    )


def stored(private_root):
    return sorted(p.name for p in private_root.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "evil.exe", "evil"])
def test_a_pdf_with_another_extension_is_stored_as_pdf(order, private_root, name):
    document = services.attach_document(order, "contract", pdf_file(name))
    assert document.file.name.endswith(".pdf")
    assert document.file.name.startswith(f"orders/{order.number}/contract-v1-")
    assert [path.endswith(".pdf") for path in stored(private_root)] == [True]
    assert document.original_name == name  # shown as it was sent, never served by it


@pytest.mark.parametrize("view", [page_download, api_download])
@pytest.mark.parametrize("name", ["evil.html", "evil.svg"])
def test_a_pdf_with_another_extension_downloads_as_pdf(client, customer, order, view, name):
    document = services.attach_document(order, "contract", pdf_file(name))
    client.force_login(customer)
    response = client.get(view(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_glb_named_exe_is_stored_and_downloaded_as_glb(client, customer, order):
    document = services.attach_document(order, "model_3d", glb_file("kitchen.exe"))
    assert document.file.name.endswith(".glb")
    assert document.content_type == "model/gltf-binary"
    client.force_login(customer)
    response = client.get(page_download(document))
    assert response["Content-Type"] == "model/gltf-binary"
    assert response["Content-Disposition"] == 'attachment; filename="kitchen.glb"'


@pytest.mark.parametrize(
    ("name", "shown", "downloaded"),
    [
        ("../../etc/evil.pdf", "evil.pdf", "evil.pdf"),
        ("C:\\Documents\\Договор.pdf", "Договор.pdf", "Договор.pdf"),
        ("contract\r\n\x00.html", "contract .html", "contract.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe", "invoicefdp.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_the_original_name_is_cleaned_for_display_and_typed_for_download(
    client, customer, order, name, shown, downloaded
):
    document = services.attach_document(order, "contract", pdf_file(name))
    assert document.original_name == shown
    assert order.events.filter(kind="document").last().data["name"] == shown
    client.force_login(customer)
    response = client.get(page_download(document))
    assert response["Content-Disposition"] == content_disposition_header(True, downloaded)
    assert response["Content-Type"] == "application/pdf"


def test_a_document_stored_before_the_fix_downloads_under_its_type(client, customer, order):
    """A row kept with its sent name (``evil.html``) still downloads as a PDF."""
    document = services.attach_document(order, "contract", pdf_file())
    Document.objects.filter(pk=document.pk).update(original_name="evil.html")
    client.force_login(customer)
    response = client.get(page_download(document))
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'


@pytest.mark.parametrize("content", HOSTILE_MODELS.values(), ids=HOSTILE_MODELS)
def test_a_hostile_gltf_is_a_field_error_and_nothing_is_stored(order, private_root, content):
    with pytest.raises(ValidationError) as error:
        services.attach_document(order, "model_3d", SimpleUploadedFile("m.gltf", content))
    assert list(error.value.message_dict) == ["file"]
    assert not order.documents.exists()
    assert stored(private_root) == []


@pytest.mark.parametrize("length", [400, 27, 0])
def test_a_glb_with_a_damaged_chunk_is_a_field_error(order, length):
    upload = SimpleUploadedFile("m.glb", glb_with_chunk_length(length))
    with pytest.raises(ValidationError) as error:
        services.attach_document(order, "model_3d", upload)
    assert list(error.value.message_dict) == ["file"]


def test_a_pdf_without_its_end_marker_is_refused(order):
    upload = SimpleUploadedFile("contract.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n")
    with pytest.raises(ValidationError) as error:
        services.attach_document(order, "contract", upload)
    assert error.value.message_dict == {
        "file": ["The PDF file is incomplete: it lacks its end-of-file marker."]
    }


@pytest.mark.parametrize("content", HOSTILE_MODELS.values(), ids=HOSTILE_MODELS)
def test_a_hostile_gltf_through_the_api_is_400(client, staff, order, content):
    client.force_login(staff)
    response = client.post(
        reverse("istok_orders_api:document_attach", kwargs={"number": order.number}),
        {"kind": "model_3d", "file": SimpleUploadedFile("m.gltf", content)},
    )
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert not order.documents.exists()
