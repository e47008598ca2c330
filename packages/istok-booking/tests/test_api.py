"""The booking API: lookups, slots, booking, the customer's appointments, cancel, move,
.ics; staff confirm and complete. Bad input is a 400 with field errors and changes
nothing; another customer's appointment is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from istok_booking.models import Appointment, Seat
from istok_booking.testing.factories import book_visit, make_customer, make_staff, next_slot

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_surfaces")]


def url(name, *args):
    return reverse(f"istok_booking_api:{name}", args=args)


def visit(customer, kind="showroom", **fields):
    after = timezone.now() + timedelta(days=2)
    return book_visit(
        customer, kind=kind, starts_at=next_slot(kind, after=after).starts_at, **fields
    )


@pytest.fixture
def api(client, customer):
    client.force_login(customer)
    return client


def post(client, path, data=None, **extra):
    return client.post(path, data or {}, content_type="application/json", **extra)


def test_the_lookups_are_public_and_ordered(client):
    kinds = client.get(url("kind_list")).json()
    assert [kind["code"] for kind in kinds] == ["showroom", "video", "measurement"]
    assert kinds[2]["at_home"] is True and kinds[2]["duration"] == 90
    purposes = client.get(url("purpose_list")).json()
    assert len(purposes) == 8 and purposes[0] == {"code": "kitchen", "name": "Kitchen"}
    networks = client.get(url("network_list")).json()
    assert {"code": "telegram", "name": "Telegram", "value_kind": "username"} in networks


def test_the_slots_of_a_range_with_places_left(client):
    slot = next_slot("showroom")
    day = timezone.localtime(slot.starts_at).date()
    response = client.get(
        url("slot_list"), {"kind": "showroom", "start": day, "end": day + timedelta(days=29)}
    )
    assert response.status_code == 200
    slots = response.json()
    assert slots[0]["remaining"] == 2
    assert slots[0]["starts_at"] == timezone.localtime(slot.starts_at).isoformat()
    assert len({s["starts_at"][:10] for s in slots}) > 20


def test_the_slots_read_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(10):
        book_visit(make_customer())
    today = timezone.localdate()
    with django_assert_max_num_queries(6):
        client.get(url("slot_list"), {"kind": "showroom", "end": today + timedelta(days=30)})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "kind"),
        ({"kind": "yacht"}, "kind"),
        ({"kind": "x" * 41}, "kind"),
        ({"kind": "showroom", "start": "2026-02-30"}, "start"),
        ({"kind": "showroom", "end": "soon"}, "end"),
        ({"kind": "showroom", "start": "2030-01-10", "end": "2030-01-01"}, "end"),
        ({"kind": "showroom", "start": "2030-01-01", "end": "2030-12-31"}, "end"),
    ],
)
def test_bad_slot_parameters_are_400_with_field_errors(client, params, field):
    response = client.get(url("slot_list"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_customer_books_through_the_api(api, customer):
    slot = next_slot("showroom")
    response = post(
        api,
        url("appointment_list"),
        {
            "kind": "showroom",
            "starts_at": slot.starts_at.isoformat(),
            "purpose": "kitchen",
            "consultation_wanted": True,
            "contact_method": "vk",
            "contact_value": "vk.com/ivan",
            "notes": "Corner kitchen",
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    appointment = Appointment.objects.get()
    assert data["id"] == appointment.pk and appointment.customer == customer
    assert data["status"] == "requested"
    assert data["contact_method"] == "vk"
    assert data["contact_value"] == "https://vk.com/ivan"
    assert data["consultation_wanted"] is True
    assert [event["kind"] for event in data["history"]] == ["requested"]
    assert data["history"][0]["by_customer"] is True
    assert data["ics_url"].endswith(url("appointment_ics", appointment.pk))


BOOKING = {"kind": "showroom", "purpose": "kitchen", "contact_value": "+79123456789"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "yacht"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"purpose": "yacht"}, "purpose"),
        ({"purpose": ""}, "purpose"),
        ({"starts_at": "soon"}, "starts_at"),
        ({"starts_at": "2020-01-01T10:00:00+03:00"}, "starts_at"),
        ({"starts_at": "OFF_GRID"}, "starts_at"),
        ({"starts_at": "NIGHT"}, "starts_at"),
        ({"starts_at": "BEYOND"}, "starts_at"),
        ({"contact_method": "pigeon"}, "contact_method"),
        ({"contact_value": "12"}, "contact_value"),
        ({"contact_method": "telegram", "contact_value": "@x"}, "contact_value"),
        ({"contact_method": "vk", "contact_value": "not a link"}, "contact_value"),
        ({"notes": "n" * 2001}, "notes"),
        ({"consultation_wanted": "perhaps"}, "consultation_wanted"),
        ({"order": -1}, "order"),
        ({"order": "x"}, "order"),
    ],
)
def test_every_bad_field_is_a_400_and_nothing_is_booked(api, settings, change, field):
    slot = next_slot("showroom")
    local = timezone.localtime(slot.starts_at)
    starts = {
        "OFF_GRID": (local + timedelta(minutes=10)).isoformat(),
        "NIGHT": local.replace(hour=3).isoformat(),
        "BEYOND": (local + timedelta(days=settings.ISTOK_BOOKING_HORIZON_DAYS + 7)).isoformat(),
    }
    data = {**BOOKING, "starts_at": local.isoformat(), **change}
    data["starts_at"] = starts.get(data["starts_at"], data["starts_at"])
    response = post(api, url("appointment_list"), data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Appointment.objects.exists() and not Seat.objects.exists()


def test_a_full_slot_is_a_400_saying_it_was_just_taken(api):
    slot = next_slot("measurement")
    book_visit(make_customer(), kind="measurement", starts_at=slot.starts_at)
    response = post(
        api,
        url("appointment_list"),
        {
            **BOOKING,
            "kind": "measurement",
            "address": "Nevsky 1",
            "starts_at": slot.starts_at.isoformat(),
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "starts_at": ["This time was just taken. Please choose another one."]
    }


def test_booking_needs_signing_in_unless_guests_may_book(client, settings):
    slot = next_slot("showroom")
    data = {**BOOKING, "starts_at": slot.starts_at.isoformat()}
    assert post(client, url("appointment_list"), data).status_code == 403
    settings.ISTOK_BOOKING_ALLOW_GUESTS = True
    response = post(client, url("appointment_list"), data)
    assert response.status_code == 400
    assert set(response.json()) == {"guest_name", "guest_phone", "consent"}
    guest = {**data, "guest_name": "Vera", "guest_phone": "+79120001122", "consent": True}
    response = post(client, url("appointment_list"), guest)
    assert response.status_code == 201
    assert "history" not in response.json()
    assert Appointment.objects.get().guest_name == "Vera"
    assert client.get(url("appointment_list")).status_code == 403


def test_my_appointments_are_mine_only(api, customer, other_customer):
    mine = visit(customer)
    visit(other_customer)
    data = api.get(url("appointment_list")).json()
    results = data["results"] if isinstance(data, dict) else data
    assert [item["id"] for item in results] == [mine.pk]


def test_my_appointments_read_a_constant_number_of_queries(
    api, customer, django_assert_max_num_queries
):
    start = timezone.now()
    for _ in range(6):
        start = book_visit(customer, starts_at=next_slot(after=start).starts_at).ends_at
    with django_assert_max_num_queries(4):
        api.get(url("appointment_list"))
    appointment = Appointment.objects.first()
    with django_assert_max_num_queries(5):
        api.get(url("appointment_detail", appointment.pk))


def test_the_customer_cancels_and_moves(api, customer):
    appointment = visit(customer)
    later = next_slot(after=appointment.ends_at + timedelta(days=1))
    response = post(
        api,
        url("appointment_reschedule", appointment.pk),
        {"starts_at": later.starts_at.isoformat()},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["starts_at"] == timezone.localtime(later.starts_at).isoformat()
    response = post(api, url("appointment_cancel", appointment.pk), {"reason": "Ill"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "Ill"
    # Cancelled: it cannot be cancelled or moved again.
    again = post(api, url("appointment_cancel", appointment.pk))
    assert again.status_code == 400 and "status" in again.json()
    moved = post(
        api,
        url("appointment_reschedule", appointment.pk),
        {"starts_at": later.starts_at.isoformat()},
    )
    assert moved.status_code == 400


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "starts_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"starts_at": "2020-01-01T10:00:00+03:00"}, "starts_at"),
    ],
)
def test_a_bad_move_is_a_400(api, customer, data, field):
    appointment = visit(customer)
    response = post(api, url("appointment_reschedule", appointment.pk), data)
    assert response.status_code == 400 and field in response.json()
    assert Appointment.objects.get(pk=appointment.pk).starts_at == appointment.starts_at


def test_too_late_to_cancel_is_a_400(api, customer, settings):
    appointment = visit(customer)
    settings.ISTOK_BOOKING_CANCEL_DEADLINE_HOURS = 24 * 90
    response = post(api, url("appointment_cancel", appointment.pk), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "starts_at" in response.json()
    assert Appointment.objects.get(pk=appointment.pk).status == "requested"


def test_a_reason_too_long_is_a_400(api, customer):
    appointment = visit(customer)
    response = post(api, url("appointment_cancel", appointment.pk), {"reason": "r" * 2001})
    assert response.status_code == 400 and "reason" in response.json()


def test_the_ics_file(api, customer):
    appointment = visit(customer)
    response = api.get(url("appointment_ics", appointment.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert (
        b"BEGIN:VCALENDAR" in response.content
        and str(appointment.uid).encode() in response.content
    )


ENDPOINTS = [
    ("get", "appointment_detail"),
    ("get", "appointment_ics"),
    ("post", "appointment_cancel"),
    ("post", "appointment_reschedule"),
    ("post", "appointment_confirm"),
    ("post", "appointment_complete"),
]


@pytest.mark.parametrize(("method", "name"), ENDPOINTS)
def test_another_customers_appointment_is_a_translated_404(
    client, customer, other_customer, method, name
):
    appointment = visit(customer)
    client.force_login(other_customer)
    response = getattr(client, method)(url(name, appointment.pk), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}
    missing = getattr(client, method)(url(name, appointment.pk + 999))
    assert missing.status_code == 404
    assert Appointment.objects.get(pk=appointment.pk).status == "requested"


@pytest.mark.parametrize(("method", "name"), ENDPOINTS)
def test_an_anonymous_client_gets_404(client, customer, method, name):
    appointment = visit(customer)
    response = getattr(client, method)(url(name, appointment.pk))
    assert response.status_code == 404


def test_staff_confirm_and_complete(client, customer, staff):
    appointment = visit(customer)
    client.force_login(staff)
    response = post(client, url("appointment_confirm", appointment.pk))
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    again = post(client, url("appointment_confirm", appointment.pk))
    assert again.status_code == 400 and "status" in again.json()
    response = post(client, url("appointment_complete", appointment.pk), {"note": "Measured"})
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert response.json()["history"][-1]["note"] == "Measured"


def test_a_customer_may_not_confirm_their_own_appointment(api, customer):
    appointment = visit(customer)
    for name in ("appointment_confirm", "appointment_complete"):
        response = post(api, url(name, appointment.pk))
        assert response.status_code == 403
    assert Appointment.objects.get(pk=appointment.pk).status == "requested"


def test_staff_without_the_change_permission_may_not_confirm(client, customer):
    appointment = visit(customer)
    client.force_login(make_staff(permissions=["view_appointment"]))
    assert post(client, url("appointment_confirm", appointment.pk)).status_code == 403


def test_a_hostile_body_is_a_400(api, customer):
    response = api.post(url("appointment_list"), "[" * 5000, content_type="application/json")
    assert response.status_code == 400
    response = api.post(url("appointment_list"), b"\xff\xfe", content_type="application/json")
    assert response.status_code == 400
