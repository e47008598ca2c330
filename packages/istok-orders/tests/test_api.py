"""The orders API as a client uses it: JSON out, multipart in, session cookie."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from istok_orders import services
from istok_orders.models import Document, Order, OrderEvent
from istok_orders.testing.factories import (
    make_document,
    make_order,
    make_staff,
    move_to,
    pdf_file,
)

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"istok_orders_api:{name}", kwargs=kwargs)


def detail(order):
    return url("order_detail", number=order.number)


def download(document):
    return url("document_download", number=document.order.number, pk=document.pk)


@pytest.fixture
def api(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def documented(order, staff):
    services.set_delivery_zone(order, "kad-60")
    services.add_adjustment(order, "discount", 1000, label="Friends and family")
    move_to(order, "measurement", actor=staff)
    make_document(order, "contract")
    make_document(order, "contract")
    make_document(order, "receipt", customer_visible=False)
    services.add_note(order, "internal", actor=staff)
    return order


def test_my_orders(api, customer, other_customer):
    mine = make_order(customer)
    make_order(other_customer)
    response = api.get(url("order_list"))
    assert response.status_code == 200
    assert [o["number"] for o in response.json()] == [mine.number]
    (item,) = response.json()
    assert item["status"] == "sketch" and item["status_label"] == "Sketch preparation"
    assert item["total"] == "150000.00" and item["currency"] == "RUB"
    assert item["url"].endswith(detail(mine))


def test_my_orders_runs_the_same_queries_for_many_orders(
    api, customer, django_assert_max_num_queries
):
    make_order(customer)
    with django_assert_max_num_queries(5) as few:
        api.get(url("order_list"))
    for _ in range(10):
        make_order(customer)
    with django_assert_max_num_queries(len(few)):
        assert len(api.get(url("order_list")).json()) == 11


def test_order_detail_with_timeline_and_documents(api, documented):
    response = api.get(detail(documented))
    assert response.status_code == 200
    data = response.json()
    assert data["number"] == documented.number
    assert (data["subtotal"], data["adjustments_total"], data["delivery_cost"], data["total"]) == (
        "150000.00",
        "1000.00",
        "3000.00",
        "152000.00",
    )
    assert data["delivery_zone"] == "kad-60"
    assert data["adjustments"][0]["label"] == "Friends and family"
    assert data["lines"][0]["name"] == "Kitchen “Nord”"
    assert [s["state"] for s in data["progress"]][:3] == ["done", "current", "upcoming"]
    kinds = [e["kind"] for e in data["timeline"]]
    assert "note" not in kinds and "status" in kinds
    (contracts,) = data["documents"]  # the hidden receipt is left out
    assert contracts["kind"] == "contract"
    assert contracts["latest"]["version"] == 2
    assert [d["version"] for d in contracts["older"]] == [1]
    assert contracts["latest"]["download_url"].endswith(
        download(documented.documents.get(kind="contract", version=2))
    )


def test_document_download(api, documented):
    document = documented.documents.get(kind="contract", version=1)
    response = api.get(download(document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# Nobody else sees them --------------------------------------------------------------------


@pytest.fixture
def stranger(client, other_customer):
    client.force_login(other_customer)
    return client


def test_another_customers_order_is_404(stranger, documented):
    assert stranger.get(detail(documented)).status_code == 404


def test_another_customers_documents_are_404(stranger, documented):
    for document in documented.documents.all():
        assert stranger.get(download(document)).status_code == 404


def test_another_customers_order_is_404_on_the_staff_endpoints(stranger, documented):
    response = stranger.post(
        url("status_change", number=documented.number), {"status": "correction"}
    )
    assert response.status_code == 404
    response = stranger.post(
        url("document_attach", number=documented.number), {"kind": "contract", "file": pdf_file()}
    )
    assert response.status_code == 404
    assert Order.objects.get(pk=documented.pk).status == "measurement"


def test_a_hidden_document_is_404_for_its_customer(api, documented):
    assert api.get(download(documented.documents.get(kind="receipt"))).status_code == 404


def test_an_anonymous_client_gets_404_for_objects_and_403_for_the_list(client, documented):
    assert client.get(url("order_list")).status_code == 403
    assert client.get(detail(documented)).status_code == 404
    for document in documented.documents.all():
        assert client.get(download(document)).status_code == 404
    assert (
        client.post(
            url("status_change", number=documented.number), {"status": "correction"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            url("document_attach", number=documented.number),
            {"kind": "contract", "file": pdf_file()},
        ).status_code
        == 404
    )


def test_unknown_numbers_are_404(api):
    assert api.get(url("order_detail", number="1999-00001")).status_code == 404


# Staff endpoints --------------------------------------------------------------------------


def test_staff_change_the_status(staff_client, documented, staff):
    response = staff_client.post(
        url("status_change", number=documented.number),
        {"status": "correction", "note": "Walls are not straight"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "correction"
    event = OrderEvent.objects.filter(order=documented, kind="status").last()
    assert (event.actor, event.note) == (staff, "Walls are not straight")


def test_an_illegal_transition_is_400_and_changes_nothing(staff_client, documented):
    events = OrderEvent.objects.count()
    response = staff_client.post(
        url("status_change", number=documented.number),
        {"status": "delivered"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": ["An order cannot go from “Waiting for technical measurement” to “Delivered”."]
    }
    assert Order.objects.get(pk=documented.pk).status == "measurement"
    assert OrderEvent.objects.count() == events


@pytest.mark.parametrize("body", [{}, {"status": ""}, {"status": "x" * 100}, {"status": "nope"}])
def test_bad_status_bodies_are_400(staff_client, documented, body):
    response = staff_client.post(
        url("status_change", number=documented.number), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_a_malformed_json_body_is_400(staff_client, documented):
    response = staff_client.post(
        url("status_change", number=documented.number),
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_customer_may_not_use_the_staff_endpoints_on_their_own_order(api, documented):
    response = api.post(url("status_change", number=documented.number), {"status": "correction"})
    assert response.status_code == 403
    response = api.post(
        url("document_attach", number=documented.number), {"kind": "contract", "file": pdf_file()}
    )
    assert response.status_code == 403
    assert Order.objects.get(pk=documented.pk).status == "measurement"


def test_staff_without_the_permission_are_refused(client, documented):
    client.force_login(make_staff(permissions=("view_order",)))
    response = client.post(
        url("status_change", number=documented.number), {"status": "correction"}
    )
    assert response.status_code == 403


def test_staff_attach_a_document(staff_client, documented):
    response = staff_client.post(
        url("document_attach", number=documented.number),
        {"kind": "specification", "file": pdf_file("spec.pdf"), "customer_visible": "true"},
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["version"], data["name"]) == ("specification", 1, "spec.pdf")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "contract", "file": SimpleUploadedFile("c.pdf", b"GIF89a")}, "file"),
        ({"kind": "model_3d", "file": SimpleUploadedFile("m.glb", b"%PDF-1.4")}, "file"),
        ({"kind": "selfie", "file": pdf_file()}, "kind"),
        ({"kind": "contract"}, "file"),
    ],
)
def test_bad_documents_are_400_and_nothing_is_stored(staff_client, documented, body, field):
    count = Document.objects.count()
    response = staff_client.post(url("document_attach", number=documented.number), body)
    assert response.status_code == 400
    assert field in response.json()
    assert Document.objects.count() == count


def test_an_oversized_document_is_400(settings, staff_client, documented):
    settings.ISTOK_ORDERS_DOCUMENT_MAX_SIZE = 100
    response = staff_client.post(
        url("document_attach", number=documented.number),
        {"kind": "contract", "file": pdf_file(size=101)},
    )
    assert response.status_code == 400
    assert "too large" in response.json()["file"][0]


def test_the_schema_builds_without_warnings(capsys):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/orders/{number}/status/" in schema["paths"]
    assert not GENERATOR_STATS, capsys.readouterr().err
