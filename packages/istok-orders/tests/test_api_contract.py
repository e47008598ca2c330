"""The orders API as its OpenAPI schema describes it (drf-spectacular), and its 404s."""

import pytest
from django.urls import reverse

from istok_orders.testing.factories import glb_file, make_document, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, customer):
    client.force_login(customer)
    return client


def test_an_order_without_a_delivery_zone_is_documented_and_answered_with_null(schema, api, order):
    zone = schema["components"]["schemas"]["OrderDetail"]["properties"]["delivery_zone"]
    assert zone["nullable"] is True

    data = api.get(reverse("istok_orders_api:order_detail", kwargs={"number": order.number}))
    assert data.json()["delivery_zone"] is None
    assert data.json()["delivery_zone_name"] == ""


def test_a_download_is_documented_with_every_type_a_document_may_have(schema, api, order):
    operation = schema["paths"]["/api/orders/{number}/documents/{id}/download/"]["get"]
    documented = set(operation["responses"]["200"]["content"])
    assert documented == {"application/pdf", "model/gltf-binary", "model/gltf+json"}

    document = make_document(order, "model_3d", glb_file())
    response = api.get(
        reverse(
            "istok_orders_api:document_download",
            kwargs={"number": order.number, "pk": document.pk},
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] in documented


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("order_detail", "get"),
        ("status_change", "post"),
        ("document_attach", "post"),
    ],
)
def test_a_missing_order_is_a_translated_404_naming_no_model(api, name, method):
    path = reverse(f"istok_orders_api:{name}", kwargs={"number": "2026-99999"})
    response = getattr(api, method)(path, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}
    assert getattr(api, method)(path).json() == {"detail": "Not found."}


def test_another_customers_order_and_document_are_translated_404s(api, other_customer):
    order = make_order(other_customer)
    document = make_document(order, "contract")
    for path in (
        reverse("istok_orders_api:order_detail", kwargs={"number": order.number}),
        reverse(
            "istok_orders_api:document_download",
            kwargs={"number": order.number, "pk": document.pk},
        ),
    ):
        response = api.get(path, HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 404
        assert response.json() == {"detail": "Не найдено."}
