"""What the account erasure leaves of a customer's orders
(``services.anonymise_customer_orders``): the documents and the timeline keep no file name
that could name the customer; the contract keeps what accounting needs."""

import json

import pytest
from django.urls import reverse

from istok_orders import services
from istok_orders.models import Document, OrderEvent
from istok_orders.testing.factories import glb_file, make_document, make_order, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(order, staff):
    services.add_note(order, "Smirnova asked to call after 18:00", actor=staff)
    return [
        make_document(order, "contract", pdf_file("Договор Смирнова А.В.pdf"), actor=staff),
        make_document(order, "contract", pdf_file("smirnova-contract-v2.PDF"), actor=staff),
        make_document(order, "model_3d", glb_file("Kitchen of Smirnova.glb"), actor=staff),
    ]


def timeline_text(order):
    return json.dumps(list(order.events.values_list("data", "note")), ensure_ascii=False)


def test_document_names_become_their_kind_and_version(order, documents):
    services.anonymise_customer_orders(order.customer)

    names = {(d.kind, d.version): d.original_name for d in Document.objects.filter(order=order)}
    assert names == {
        ("contract", 1): "document-contract-v1.pdf",
        ("contract", 2): "document-contract-v2.pdf",
        ("model_3d", 1): "document-model_3d-v1.glb",
    }


def test_the_timeline_keeps_no_file_name(order, documents):
    assert "Smirnova" in timeline_text(order) and "Смирнова" in timeline_text(order)

    services.anonymise_customer_orders(order.customer)

    text = timeline_text(order).lower()
    assert "smirnova" not in text and "смирнова" not in text
    events = OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.DOCUMENT)
    by_document = {event.data["document"]: event.data["name"] for event in events}
    assert by_document == {d.pk: Document.objects.get(pk=d.pk).original_name for d in documents}
    # The timeline still reads as before.
    assert [str(event) for event in events] == [
        "New document: Contract, version 1.",
        "New document: Contract, version 2.",
        "New document: 3D model, version 1.",
    ]


def test_the_documents_are_kept_and_download_under_the_new_name(client, order, documents, staff):
    services.anonymise_customer_orders(order.customer)

    client.force_login(staff)
    first = documents[0]
    response = client.get(reverse("istok_orders:document_download", args=[order.number, first.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="document-contract-v1.pdf"' in response["Content-Disposition"]


def test_other_customers_documents_keep_their_names(order, documents, other_customer):
    theirs = make_order(other_customer)
    kept = make_document(theirs, "contract", pdf_file("Ivanov contract.pdf"))

    services.anonymise_customer_orders(order.customer)

    assert Document.objects.get(pk=kept.pk).original_name == "Ivanov contract.pdf"
    event = theirs.events.get(kind=OrderEvent.Kind.DOCUMENT)
    assert event.data["name"] == "Ivanov contract.pdf"


def test_anonymising_twice_changes_nothing_more(order, documents):
    services.anonymise_customer_orders(order.customer)
    before = timeline_text(order), list(Document.objects.values_list("original_name"))
    services.anonymise_customer_orders(order.customer)
    assert (timeline_text(order), list(Document.objects.values_list("original_name"))) == before


def test_a_document_that_came_without_a_name_keeps_its_timeline(order):
    # attach_document names a file that came without a name after its kind.
    nameless = make_document(order, "receipt")
    Document.objects.filter(pk=nameless.pk).update(original_name="receipt")
    order.events.filter(kind=OrderEvent.Kind.DOCUMENT).update(
        data={"document": nameless.pk, "kind": "receipt", "version": 1, "name": "receipt"}
    )

    services.anonymise_customer_orders(order.customer)

    assert Document.objects.get(pk=nameless.pk).original_name == "document-receipt-v1.pdf"
    event = order.events.get(kind=OrderEvent.Kind.DOCUMENT)
    assert event.data["kind"] == "receipt"
    assert str(event) == "New document: Receipt, version 1."
