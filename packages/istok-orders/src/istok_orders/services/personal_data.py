"""What the account erasure asks of the orders."""

import os

from django.db import transaction
from django.utils import timezone

from ..models import Document, Order, OrderEvent


@transaction.atomic
def anonymise_customer_orders(user):
    """Remove the personal data in ``user``'s orders: the delivery address, contact phone,
    notes and the notes of their timelines. Each document keeps its file but not the name
    it was uploaded with, which may name the customer: it becomes
    ``document-<kind>-v<version>.<ext>`` (the extension of the stored file), on the
    document and in every timeline entry that held it. Numbers, dates, lines, amounts,
    the price breakdown and the documents themselves stay: accounting needs them.
    Returns how many orders were touched."""
    orders = Order.objects.select_for_update().filter(customer=user)
    count = orders.update(delivery_address="", phone="", notes="", modified=timezone.now())
    OrderEvent.objects.filter(order__customer=user).exclude(note="").update(note="")
    _anonymise_document_names(user)
    return count


def anonymous_document_name(document):
    """The name a document of an erased customer is shown and downloaded under:
    ``document-contract-v2.pdf``, the extension that of the stored file."""
    _stem, ext = os.path.splitext(document.file.name or "")
    return f"document-{document.kind}-v{document.version}{ext.lower()}"


def _anonymise_document_names(user):
    documents = list(Document.objects.filter(order__customer=user))
    # The name each document came with (a bare kind when it came without one: nothing
    # personal, and a value the timeline uses for other things).
    renamed = {
        document.original_name: anonymous_document_name(document)
        for document in documents
        if document.original_name not in Document.Kind.values
    }
    by_pk = {document.pk: anonymous_document_name(document) for document in documents}
    for document in documents:
        document.original_name = by_pk[document.pk]
    Document.objects.bulk_update(documents, ["original_name"])

    def rename(value, document=None):
        """``value`` (an event's data) with every string that is an old name renamed,
        to the name of the document the entry is about when it says which."""
        if isinstance(value, dict):
            return {key: rename(item, value.get("document")) for key, item in value.items()}
        if isinstance(value, list):
            return [rename(item, document) for item in value]
        if isinstance(value, str) and value in renamed:
            return by_pk.get(document, renamed[value])
        return value

    changed = []
    events = OrderEvent.objects.filter(order__customer=user).only("pk", "data")
    for event in events.iterator(chunk_size=500):
        data = rename(event.data)
        if data != event.data:
            event.data = data
            changed.append(event)
    OrderEvent.objects.bulk_update(changed, ["data"], batch_size=500)
