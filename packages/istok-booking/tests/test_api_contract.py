"""The booking API as its OpenAPI schema describes it (drf-spectacular, with istok-core's
error answers), and the answers matching it."""

import pytest
from django.urls import reverse

from istok_booking.testing.factories import book_visit, next_slot

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_surfaces")]

PREFIX = "/api/booking/"


@pytest.fixture(scope="module")
def generated():
    """The schema of the README's set-up, istok-core's error answers added, and the
    problems drf-spectacular reported while generating it."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from istok_core.api.schema import document_errors

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(urlconf="tests.urls_surfaces")
    schema = generator.get_schema(request=None, public=True)
    problems = dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    return document_errors(schema, generator, None, True), problems


@pytest.fixture
def schema(generated):
    return generated[0]


#: drf-spectacular's note about its own extension for another app (with istok-catalog
#: installed, django-polymorphic before its DRF module: the lowest versions), not about
#: this schema.
FOREIGN = "has an installed app but target class was not found"


def test_the_schema_is_generated_without_warnings(generated):
    assert {text: n for text, n in generated[1].items() if FOREIGN not in text} == {}


def test_every_endpoint_is_in_the_schema(schema):
    paths = {path.removeprefix(PREFIX): set(ops) for path, ops in schema["paths"].items()}
    assert paths == {
        "kinds/": {"get"},
        "purposes/": {"get"},
        "networks/": {"get"},
        "slots/": {"get"},
        "appointments/": {"get", "post"},
        "appointments/{id}/": {"get"},
        "appointments/{id}/cancel/": {"post"},
        "appointments/{id}/reschedule/": {"post"},
        "appointments/{id}/calendar.ics": {"get"},
        "appointments/{id}/confirm/": {"post"},
        "appointments/{id}/complete/": {"post"},
    }


def test_the_slots_parameters_and_answer_are_described(schema):
    operation = schema["paths"][PREFIX + "slots/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["kind"]["required"] is True
    assert parameters["start"]["schema"]["format"] == "date"
    assert "400" in operation["responses"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["type"] == "array"


def test_booking_takes_the_booking_fields_and_answers_the_appointment(schema):
    operation = schema["paths"][PREFIX + "appointments/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert {"kind", "starts_at"} <= set(fields["required"])
    assert {"purpose", "contact_method", "contact_value", "guest_phone", "consent"} <= set(
        fields["properties"]
    )
    assert set(operation["responses"]) >= {"201", "400", "403", "415"}


def test_the_errors_of_an_appointment_are_documented(schema):
    for path in ("appointments/{id}/", "appointments/{id}/cancel/"):
        for operation in schema["paths"][PREFIX + path].values():
            assert "404" in operation["responses"]
    assert "403" in schema["paths"][PREFIX + "appointments/{id}/confirm/"]["post"]["responses"]


def test_the_ics_is_documented_as_a_calendar_file_and_served_as_one(schema, client, customer):
    operation = schema["paths"][PREFIX + "appointments/{id}/calendar.ics"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"text/calendar"}
    appointment = book_visit(customer)
    client.force_login(customer)
    response = client.get(
        reverse("istok_booking_api:appointment_ics", kwargs={"pk": appointment.pk})
    )
    assert response["Content-Type"].split(";")[0] == "text/calendar"


def test_an_appointment_answers_what_the_schema_lists(schema, client, customer):
    appointment = book_visit(customer, starts_at=next_slot().starts_at)
    client.force_login(customer)
    data = client.get(
        reverse("istok_booking_api:appointment_detail", kwargs={"pk": appointment.pk})
    ).json()
    ref = schema["paths"][PREFIX + "appointments/{id}/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["$ref"]
    described = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(data) == set(described)
    assert described["purpose"].get("nullable") is True
