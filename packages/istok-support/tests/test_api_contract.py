"""The support API as its OpenAPI schema describes it (drf-spectacular)."""

import pytest
from django.urls import reverse

from istok_support.testing.factories import make_conversation

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/support/conversations/": {"get", "post"},
    "/api/support/conversations/{id}/": {"get"},
    "/api/support/conversations/{id}/messages/": {"get", "post"},
    "/api/support/conversations/{id}/read/": {"post"},
    "/api/support/conversations/{id}/close/": {"post"},
    "/api/support/conversations/{id}/rate/": {"post"},
    "/api/support/conversations/{id}/take/": {"post"},
    "/api/support/conversations/{id}/reply/": {"post"},
    "/api/support/inbox/": {"get"},
}


def test_every_endpoint_is_in_the_schema(schema):
    documented = {
        path: set(operations) - {"parameters"}
        for path, operations in schema["paths"].items()
        if path.startswith("/api/support/")
    }
    assert documented == PATHS


def test_sending_documents_the_rate_limit_and_the_new_messages(schema):
    operation = schema["paths"]["/api/support/conversations/{id}/messages/"]["post"]
    assert {"201", "429"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    send = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert set(send["properties"]) == {"text", "action"}


def test_a_message_is_documented_as_the_api_answers_it(schema, client, customer):
    message = schema["components"]["schemas"]["Message"]
    conversation = make_conversation(customer)
    client.force_login(customer)
    answer = client.get(
        reverse("istok_support_api:message_list", kwargs={"pk": conversation.pk})
    ).json()
    assert set(answer["results"][0]) == set(message["properties"])
    state = schema["components"]["schemas"]["ConversationState"]
    assert set(answer["conversation"]) == set(state["properties"])
    polling = schema["paths"]["/api/support/conversations/{id}/messages/"]["get"]
    assert {p["name"] for p in polling["parameters"]} >= {"after", "limit"}


@pytest.mark.parametrize(
    ("name", "method"),
    [("conversation_detail", "get"), ("message_list", "get"), ("take", "post")],
)
def test_a_missing_conversation_is_a_translated_404_naming_no_model(
    client, customer, name, method
):
    client.force_login(customer)
    path = reverse(f"istok_support_api:{name}", kwargs={"pk": 999999})
    response = getattr(client, method)(path, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}
    assert getattr(client, method)(path).json() == {"detail": "Not found."}
