"""The admin: the lookup tables, designers, hours and days off; appointments changed only
through the services (actions, the calendar's buttons, booking by staff), a refusal
being an error message, never a 500; the staff calendar; Russian labels."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from istok_booking.models import Appointment, AppointmentEvent, Designer, Purpose
from istok_booking.testing.factories import (
    book_visit,
    make_customer,
    make_designer,
    move_into_past,
    next_slot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_surfaces")]

CHANGELIST = "admin:istok_booking_appointment_changelist"
CALENDAR = "admin:istok_booking_appointment_calendar"


@pytest.fixture
def admin_user(db):
    return get_user_model()._default_manager.create_superuser(
        "root", "root@example.com", "a-long-password-42"
    )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def later(customer=None, kind="showroom", days=2, **fields):
    after = timezone.now() + timedelta(days=days)
    return book_visit(
        customer or make_customer(),
        kind=kind,
        starts_at=next_slot(kind, after=after).starts_at,
        **fields,
    )


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "model", ["visitkind", "purpose", "network", "designer", "workinghours", "dayoff"]
)
def test_every_table_opens_in_the_admin(admin_client, model):
    for name in ("changelist", "add"):
        response = admin_client.get(reverse(f"admin:istok_booking_{model}_{name}"))
        assert response.status_code == 200


def test_the_appointment_list_and_page_open(admin_client):
    appointment = later(notes="Bring samples")
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert reverse(CALENDAR) in response.content.decode()
    page = admin_client.get(
        reverse("admin:istok_booking_appointment_change", args=[appointment.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bring samples" in html
    assert 'name="_save"' not in html  # nothing there is changed by saving


def test_the_appointment_list_reads_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    later()
    admin_client.get(reverse(CHANGELIST))
    for _ in range(8):
        later()
    with django_assert_max_num_queries(12):
        admin_client.get(reverse(CHANGELIST))


def run_action(client, action, *appointments):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [a.pk for a in appointments]},
        follow=True,
    )


def test_the_actions_call_the_services(admin_client, admin_user):
    first, second = later(), later()
    response = run_action(admin_client, "confirm_selected", first, second)
    assert response.status_code == 200
    assert "2 visits confirmed." in texts(response)
    first.refresh_from_db()
    assert first.status == Appointment.Status.CONFIRMED
    assert first.events.filter(kind=AppointmentEvent.Kind.CONFIRMED, actor=admin_user).exists()

    response = run_action(admin_client, "complete_selected", first)
    first.refresh_from_db()
    assert first.status == Appointment.Status.COMPLETED

    response = run_action(admin_client, "cancel_selected", second)
    second.refresh_from_db()
    assert second.status == Appointment.Status.CANCELLED
    assert second.cancelled_by == admin_user
    assert not second.seats.exists()


def test_a_refused_action_is_an_error_message_not_a_500(admin_client):
    requested, future = later(), later()
    # A request cannot be completed; a visit to come cannot be a no-show.
    response = run_action(admin_client, "complete_selected", requested)
    assert response.status_code == 200
    assert any("cannot become" in text for text in texts(response))
    run_action(admin_client, "confirm_selected", future)
    response = run_action(admin_client, "no_show_selected", future)
    assert any("has not started yet" in text for text in texts(response))
    assert Appointment.objects.get(pk=requested.pk).status == Appointment.Status.REQUESTED
    assert Appointment.objects.get(pk=future.pk).status == Appointment.Status.CONFIRMED


def test_a_no_show_once_the_visit_has_passed(admin_client):
    appointment = later()
    run_action(admin_client, "confirm_selected", appointment)
    move_into_past(appointment)
    run_action(admin_client, "no_show_selected", appointment)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.NO_SHOW


def test_staff_without_the_change_permission_have_no_actions(client):
    from istok_booking.testing.factories import make_staff

    appointment = later()
    client.force_login(make_staff(permissions=["view_appointment"]))
    response = run_action(client, "confirm_selected", appointment)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.REQUESTED
    assert response.status_code == 200
    button = reverse(
        "admin:istok_booking_appointment_calendar_action", args=[appointment.pk, "confirm"]
    )
    assert client.post(button).status_code == 403


def test_the_calendar_shows_the_week_and_confirms_with_a_button(admin_client):
    appointment = later(notes="")
    day = timezone.localtime(appointment.starts_at).date()
    calendar = reverse(CALENDAR)
    response = admin_client.get(calendar, {"date": day.isoformat()})
    assert response.status_code == 200
    days = response.context["days"]
    assert len(days) == 7 and days[0].date.weekday() == 0
    assert appointment in [a for d in days for a in d.appointments]
    button = reverse(
        "admin:istok_booking_appointment_calendar_action", args=[appointment.pk, "confirm"]
    )
    html = response.content.decode()
    assert button in html
    back = f"{calendar}?date={day.isoformat()}"
    response = admin_client.post(button, {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    # Confirmed: no confirm button any more, but cancel.
    html = admin_client.get(back).content.decode()
    assert button not in html
    assert button.replace("confirm", "cancel") in html


def test_the_calendar_buttons_refuse_with_a_message(admin_client):
    appointment = later()
    button = reverse(
        "admin:istok_booking_appointment_calendar_action", args=[appointment.pk, "complete"]
    )
    response = admin_client.post(button, {"next": "https://evil.example/"}, follow=False)
    assert response.status_code == 302
    assert response["Location"] == reverse(CALENDAR)
    assert any("cannot become" in text for text in texts(response))
    assert admin_client.get(button).status_code == 403
    unknown = button.replace("complete", "delete")
    assert admin_client.post(unknown).status_code == 403
    assert admin_client.post(button.replace(str(appointment.pk), "999999")).status_code == 404


def test_the_day_view_shows_a_column_per_designer(admin_client):
    anna = make_designer("showroom", user=make_customer(first_name="Anna", is_staff=True))
    boris = make_designer("showroom", user=make_customer(first_name="Boris", is_staff=True))
    appointment = later()
    day = timezone.localtime(appointment.starts_at).date()
    response = admin_client.get(reverse(CALENDAR), {"view": "day", "date": day.isoformat()})
    columns = dict(response.context["columns"])
    assert set(columns) == {str(anna), str(boris)}
    assert appointment in columns[str(appointment.designer)]
    response = admin_client.get(
        reverse(CALENDAR), {"view": "day", "date": day.isoformat(), "designer": anna.pk}
    )
    assert [name for name, _ in response.context["columns"]] == [str(anna)]


@pytest.mark.parametrize(
    "params",
    [{"date": "2026-02-30"}, {"view": "year"}, {"designer": "nobody"}, {"date": "0001-01-01"}],
)
def test_the_calendar_takes_bad_parameters_without_a_500(admin_client, params):
    response = admin_client.get(reverse(CALENDAR), params)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_calendar_reads_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    make_designer("showroom")
    later()
    admin_client.get(reverse(CALENDAR))
    for _ in range(8):
        later(days=1)
    with django_assert_max_num_queries(10):
        admin_client.get(reverse(CALENDAR), {"date": (timezone.localdate() + timedelta(days=2))})


def test_the_calendar_is_for_staff_only(client, customer):
    client.force_login(customer)
    response = client.get(reverse(CALENDAR))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_book_a_visit_through_the_service(admin_client, admin_user, customer):
    slot = next_slot("measurement", after=timezone.now() + timedelta(days=1))
    local = timezone.localtime(slot.starts_at).strftime("%Y-%m-%dT%H:%M")
    data = {
        "customer": customer.pk,
        "kind": Appointment._meta.get_field("kind")
        .related_model.objects.get(code="measurement")
        .pk,
        "starts_at": local,
        "contact_method": "phone",
        "contact_value": "+79123456789",
        "address": "Nevsky prospekt 1",
        "purpose": Purpose.objects.get(code="kitchen").pk,
        "notes": "",
    }
    response = admin_client.post(reverse("admin:istok_booking_appointment_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment = Appointment.objects.get()
    assert appointment.customer == customer and appointment.starts_at == slot.starts_at
    assert appointment.events.get(kind="requested").actor == admin_user


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address": ""}, "Give the address where we should come."),
        ({"starts_at": "2020-01-01T10:00"}, "This time has already passed."),
        ({"contact_value": "12"}, "Enter a valid phone number"),
        ({"contact_method": "pigeon"}, "Select a valid choice"),
        ({"purpose": ""}, "This field is required."),
        ({"starts_at": "never"}, "Choose one of the times offered."),
    ],
)
def test_a_visit_staff_book_with_bad_input_is_refused(admin_client, customer, change, message):
    slot = next_slot("measurement", after=timezone.now() + timedelta(days=1))
    kind = Appointment._meta.get_field("kind").related_model.objects.get(code="measurement")
    data = {
        "customer": customer.pk,
        "kind": kind.pk,
        "starts_at": timezone.localtime(slot.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "contact_method": "phone",
        "contact_value": "+79123456789",
        "address": "Nevsky prospekt 1",
        "purpose": Purpose.objects.get(code="kitchen").pk,
        **change,
    }
    response = admin_client.post(reverse("admin:istok_booking_appointment_add"), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html or any(message in text for text in texts(response))
    assert not Appointment.objects.exists()


def test_appointments_are_never_deleted(admin_client):
    appointment = later()
    response = admin_client.get(
        reverse("admin:istok_booking_appointment_delete", args=[appointment.pk])
    )
    assert response.status_code == 403


def test_the_admin_speaks_russian(admin_client):
    response = admin_client.get(reverse(CALENDAR), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Календарь записей" in response.content.decode()
    response = admin_client.get(
        reverse("admin:app_list", args=["istok_booking"]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert "Виды визитов" in response.content.decode()


def test_designers_are_listed_with_their_kinds(admin_client):
    make_designer("showroom", "measurement")
    response = admin_client.get(reverse("admin:istok_booking_designer_changelist"))
    assert response.status_code == 200
    assert Designer.objects.count() == 1
