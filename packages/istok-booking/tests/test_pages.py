"""The customer's pages: booking without JavaScript, "My appointments", an appointment,
cancelling, moving, the .ics file; and the 404 of every appointment page for anyone but
its customer."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from istok_booking.models import Appointment, AppointmentEvent, Seat
from istok_booking.testing.factories import book_visit, make_customer, next_slot

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_surfaces")]

CREATE = "/booking/"  # istok_booking:appointment_create in tests.urls_surfaces


def local_iso(moment):
    return timezone.localtime(moment).isoformat()


def day_of(moment):
    return timezone.localtime(moment).date().isoformat()


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def booking_data(slot, **extra):
    return {
        "starts_at": local_iso(slot.starts_at),
        "purpose": "kitchen",
        "contact_method": "phone",
        "contact_value": "+7 912 345-67-89",
        "notes": "",
        **extra,
    }


def page_url(kind="showroom", slot=None, **params):
    query = {"kind": kind, **params}
    if slot is not None:
        query["day"] = day_of(slot.starts_at)
    return CREATE + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def visit(customer, kind="showroom", **fields):
    """A visit booked for ``customer`` two days ahead or more: the customer may still
    cancel and move it (24 hours' notice by default)."""
    after = timezone.now() + timedelta(days=2)
    return book_visit(
        customer, kind=kind, starts_at=next_slot(kind, after=after).starts_at, **fields
    )


def nothing_booked():
    return not Appointment.objects.exists() and not Seat.objects.exists()


# Booking ------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in_when_guests_may_not_book(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_page_offers_the_kinds_and_the_first_free_days_times(signed_in):
    slot = next_slot("showroom")
    response = signed_in.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="kind" value="showroom"' in html and "checked" in html
    assert 'name="kind" value="measurement"' in html
    # The first day with a free time is chosen, and its times are offered.
    assert f'value="{local_iso(slot.starts_at)}"' in html
    assert response.context["fortnight"].day == timezone.localtime(slot.starts_at).date()
    # Step 2 posts to an address that names the kind and the day.
    assert f"kind=showroom&amp;day={day_of(slot.starts_at)}" in html
    # No inline script: the page's script is a static file.
    assert "<script>" not in html and 'src="/static/istok_booking/booking.js"' in html


def test_a_customer_books_a_visit_without_javascript(
    signed_in, customer, mailoutbox, django_capture_on_commit_callbacks
):
    slot = next_slot("showroom")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            page_url(slot=slot),
            booking_data(slot, consultation_wanted="on", notes="A corner kitchen"),
        )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "istok_booking:appointment_detail", kwargs={"pk": appointment.pk}
    )
    assert appointment.customer == customer
    assert appointment.starts_at == slot.starts_at
    assert appointment.purpose.code == "kitchen"
    assert appointment.consultation_wanted is True
    assert appointment.contact_value == "+79123456789"
    assert appointment.notes == "A corner kitchen"
    assert appointment.status == Appointment.Status.REQUESTED
    assert appointment.events.get().actor == customer
    assert [m.to for m in mailoutbox if customer.email in m.to]
    page = signed_in.get(response["Location"]).content.decode()
    assert "Your request is received" in page


def test_a_messenger_is_the_contact_when_chosen(signed_in):
    slot = next_slot("showroom")
    signed_in.post(
        page_url(slot=slot),
        booking_data(slot, contact_method="telegram", contact_value="t.me/ivan_petrov"),
    )
    appointment = Appointment.objects.get()
    assert appointment.contact_method == "telegram"
    assert appointment.contact_value == "@ivan_petrov"


def test_a_product_page_link_chooses_the_purpose_only_with_the_catalog(signed_in):
    # Without istok_catalog the product is unknown here: nothing is chosen, nothing breaks.
    response = signed_in.get(CREATE + "?product=kitchen-verona")
    assert response.status_code == 200
    assert response.context["form"]["purpose"].value() is None
    assert 'name="product" value="kitchen-verona"' in response.content.decode()


def test_a_purpose_the_product_gives_is_chosen(signed_in, monkeypatch):
    from istok_booking import views
    from istok_booking.models import Purpose

    wardrobe = Purpose.objects.get(code="wardrobe")
    monkeypatch.setattr(
        views, "purpose_for_product", lambda slug: wardrobe if slug == "alpha" else None
    )
    response = signed_in.get(CREATE + "?product=alpha")
    assert response.context["form"]["purpose"].value() == "wardrobe"
    assert '<option value="wardrobe" selected>' in response.content.decode()


@pytest.mark.skipif(apps.is_installed("istok_orders"), reason="istok_orders is installed")
def test_an_order_link_is_ignored_without_istok_orders(signed_in):
    response = signed_in.get(CREATE + "?order=42")
    assert response.status_code == 200
    assert response.context["kind"].code == "showroom"
    assert "purpose" in response.context["form"].fields
    assert 'name="order"' in response.content.decode()  # the hidden field, empty
    assert 'value="42"' not in response.content.decode()


@pytest.mark.skipif(
    not apps.is_installed("istok_orders"), reason="needs istok_orders (tests.settings_orders)"
)
def test_an_order_link_books_the_measurement_of_that_order(signed_in, customer, other_customer):
    from istok_orders.testing.factories import make_order

    order = make_order(customer, status="measurement")
    response = signed_in.get(CREATE + f"?order={order.pk}")
    assert response.context["kind"].code == "measurement"
    assert "purpose" not in response.context["form"].fields
    assert "A measurer comes to your home" in response.content.decode()
    slot = response.context["fortnight"].slots[0]
    url = page_url("measurement", slot=slot, order=order.pk)
    response = signed_in.post(url, booking_data(slot, address="Nevsky prospekt 1"))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.order_id == order.pk and appointment.order_number == order.number
    # Another customer's order, and one booked already: refused above the form.
    for other in (make_order(other_customer, status="measurement"), order):
        later = next_slot("measurement", after=slot.ends_at + timedelta(days=1))
        response_slot = signed_in.post(
            page_url("measurement", slot=later, order=other.pk),
            booking_data(later, address="Nevsky prospekt 1"),
        )
        assert response_slot.status_code == 200
        assert response_slot.context["form"].non_field_errors()
    assert Appointment.objects.count() == 1


def test_the_address_is_asked_only_for_a_visit_at_home(signed_in):
    assert "address" not in signed_in.get(page_url("showroom")).context["form"].fields
    assert "address" in signed_in.get(page_url("measurement")).context["form"].fields


def test_the_profiles_phone_is_offered(signed_in, monkeypatch):
    from istok_booking import views

    monkeypatch.setattr(views, "contact_phone_for", lambda user: "+79123456789")
    form = signed_in.get(CREATE).context["form"]
    assert form["contact_value"].value() == "+7 912 345-67-89"
    assert 'data-phone="+7 912 345-67-89"' in str(form["contact_value"])


@pytest.mark.skipif(
    not apps.is_installed("istok_accounts"),
    reason="needs istok_accounts (tests.settings_accounts)",
)
def test_the_phone_of_the_accounts_profile_is_the_contact(client):
    customer = make_customer(phone="+79123456789")
    client.force_login(customer)
    form = client.get(CREATE).context["form"]
    assert form["contact_value"].value() == "+7 912 345-67-89"
    slot = next_slot("showroom")
    response = client.post(page_url(slot=slot), booking_data(slot, contact_value=""))
    assert response.status_code == 302
    assert Appointment.objects.get().contact_value == "+79123456789"


def test_the_days_are_links_with_their_number_of_free_times(signed_in):
    slot = next_slot("showroom")
    response = signed_in.get(page_url(slot=slot))
    fortnight = response.context["fortnight"]
    chosen = [link for link in fortnight.days if link.current]
    assert len(chosen) == 1 and chosen[0].free == len(fortnight.slots) > 0
    html = response.content.decode()
    assert 'aria-current="date"' in html
    later = next(link for link in fortnight.days if link.free and not link.current)
    assert f"day={later.date.isoformat()}#istok-booking-times" in html


def test_a_day_without_times_points_at_the_next_free_one(signed_in):
    today = timezone.localdate()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    response = signed_in.get(page_url(day=sunday.isoformat()))
    assert response.status_code == 200
    assert response.context["fortnight"].slots == []
    html = response.content.decode()
    assert "No free times on this day" in html
    assert 'name="starts_at"' not in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "showroom", "day": "2026-02-30"}, "day"),
        ({"kind": "showroom", "day": "yesterday"}, "day"),
        ({"kind": "showroom", "day": "2001-01-01"}, "day"),
        ({"kind": "showroom", "day": "2999-01-01"}, "day"),
    ],
)
def test_a_bad_address_is_a_form_error_not_a_500(signed_in, params, field):
    response = signed_in.get(CREATE, params)
    assert response.status_code == 200
    assert field in response.context["search_form"].errors
    assert "fortnight" not in response.context
    response = signed_in.post(CREATE + "?" + "&".join(f"{k}={v}" for k, v in params.items()), {})
    assert response.status_code == 200
    assert nothing_booked()


def test_the_day_must_be_within_the_horizon(signed_in, settings):
    too_far = timezone.localdate() + timedelta(days=settings.ISTOK_BOOKING_HORIZON_DAYS + 1)
    response = signed_in.get(page_url(day=too_far.isoformat()))
    assert "Choose a day from" in str(response.context["search_form"].errors["day"])


def field_errors(response, name):
    return [str(error) for error in response.context["form"].errors.get(name, [])]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_at": ""}, "starts_at", "Choose a time."),
        ({"starts_at": "not a time"}, "starts_at", "Choose one of the times offered."),
        ({"starts_at": "2020-01-01T10:00:00+03:00"}, "starts_at", "already passed"),
        ({"purpose": ""}, "purpose", "Choose what the visit is for."),
        ({"purpose": "yacht"}, "purpose", "Choose one of the purposes offered."),
        ({"contact_method": "pigeon"}, "contact_method", "Choose the phone or one of"),
        ({"contact_value": "12"}, "contact_value", "Enter a valid phone number"),
        ({"contact_value": "x" * 256}, "contact_value", "at most 255 characters"),
        (
            {"contact_method": "telegram", "contact_value": "@x"},
            "contact_value",
            "Enter a user name of 5 to 32",
        ),
        ({"notes": "n" * 2001}, "notes", "at most 2000 characters"),
        ({"notes": "bad\x00byte"}, "notes", "Null characters are not allowed."),
    ],
)
def test_every_bad_field_is_refused_and_nothing_is_booked(signed_in, change, field, message):
    slot = next_slot("showroom")
    response = signed_in.post(page_url(slot=slot), {**booking_data(slot), **change})
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field)), response.context[
        "form"
    ].errors
    assert nothing_booked()
    # The times are offered again.
    assert 'name="starts_at"' in response.content.decode()


def test_a_time_off_the_grid_or_outside_hours_is_refused(signed_in):
    slot = next_slot("showroom")
    local = timezone.localtime(slot.starts_at)
    off_grid = local + timedelta(minutes=7)
    night = local.replace(hour=3, minute=0)
    for moment, message in ((off_grid, "every 30 minutes"), (night, "outside the working hours")):
        response = signed_in.post(
            page_url(slot=slot), booking_data(slot, starts_at=moment.isoformat())
        )
        assert any(message in error for error in field_errors(response, "starts_at"))
    assert nothing_booked()


def test_a_measurement_needs_the_address(signed_in):
    slot = next_slot("measurement")
    response = signed_in.post(page_url("measurement", slot=slot), booking_data(slot))
    assert field_errors(response, "address") == ["Give the address where we should come."]
    assert nothing_booked()
    response = signed_in.post(
        page_url("measurement", slot=slot), booking_data(slot, address="Nevsky prospekt 1")
    )
    assert response.status_code == 302
    assert Appointment.objects.get().address == "Nevsky prospekt 1"


def test_a_full_time_says_it_was_just_taken_and_offers_fresh_times(signed_in, customer):
    slot = next_slot("measurement")  # one visit at a time
    book_visit(make_customer(), kind="measurement", starts_at=slot.starts_at)
    response = signed_in.post(
        page_url("measurement", slot=slot), booking_data(slot, address="Nevsky prospekt 1")
    )
    assert response.status_code == 200
    assert field_errors(response, "starts_at") == [
        "This time was just taken. Please choose another one."
    ]
    offered = [value for value, _label in response.context["form"].fields["starts_at"].choices]
    assert local_iso(slot.starts_at) not in offered
    assert Appointment.objects.filter(customer=customer).count() == 0


def test_the_booking_page_reads_a_constant_number_of_queries(
    signed_in, django_assert_max_num_queries
):
    signed_in.get(CREATE)  # sessions, content types: warmed
    for _ in range(6):
        book_visit(make_customer())
    with django_assert_max_num_queries(14):
        signed_in.get(CREATE)


# Guests -------------------------------------------------------------------------------


@pytest.fixture
def guests(settings):
    settings.ISTOK_BOOKING_ALLOW_GUESTS = True


def guest_data(slot, **extra):
    return {
        **booking_data(slot, contact_value=""),
        "guest_name": "Vera",
        "guest_phone": "+7 912 000-11-22",
        "guest_email": "vera@example.com",
        "consent": "on",
        **extra,
    }


def test_a_guest_books_with_name_phone_and_consent(client, guests):
    slot = next_slot("showroom")
    html = client.get(CREATE).content.decode()
    assert 'name="guest_name"' in html and 'name="consent"' in html
    response = client.post(page_url(slot=slot), guest_data(slot))
    assert response.status_code == 302
    assert response["Location"] == reverse("istok_booking:appointment_booked")
    appointment = Appointment.objects.get()
    assert appointment.customer is None
    assert appointment.guest_name == "Vera"
    assert appointment.contact_value == "+79120001122"  # the guest's phone, for a call
    assert appointment.guest_consent_at is not None
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"guest_name": ""}, "guest_name"),
        ({"guest_name": "x" * 151}, "guest_name"),
        ({"guest_phone": "123"}, "guest_phone"),
        ({"guest_email": "not-an-email"}, "guest_email"),
        ({"consent": ""}, "consent"),
    ],
)
def test_a_guests_bad_field_is_refused(client, guests, change, field):
    slot = next_slot("showroom")
    data = {k: v for k, v in guest_data(slot, **change).items() if v != ""}
    response = client.post(page_url(slot=slot), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert nothing_booked()


def test_the_thank_you_page_is_only_for_the_guests_browser(client, guests):
    assert client.get(reverse("istok_booking:appointment_booked")).status_code == 404


def test_a_signed_in_customer_is_asked_no_guest_fields(signed_in, guests):
    form = signed_in.get(CREATE).context["form"]
    assert "guest_name" not in form.fields and "consent" not in form.fields


# My appointments, an appointment, cancel, move, .ics -----------------------------------


def test_my_appointments_lists_upcoming_then_past(signed_in, customer, staff):
    upcoming = visit(customer)
    cancelled = book_visit(customer, starts_at=next_slot(after=upcoming.ends_at).starts_at)
    from istok_booking import services

    services.cancel(cancelled, actor=staff, reason="Showroom closed")
    others = book_visit(make_customer())
    response = signed_in.get(reverse("istok_booking:appointment_list"))
    assert response.context["upcoming"] == [upcoming]
    assert response.context["past"] == [cancelled]
    html = response.content.decode()
    assert reverse("istok_booking:appointment_detail", kwargs={"pk": others.pk}) not in html


def test_my_appointments_needs_signing_in(client):
    response = client.get(reverse("istok_booking:appointment_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_my_appointments_reads_a_constant_number_of_queries(
    signed_in, customer, django_assert_max_num_queries
):
    start = timezone.now()
    for _ in range(8):
        start = book_visit(customer, starts_at=next_slot(after=start).starts_at).ends_at
    with django_assert_max_num_queries(6):
        signed_in.get(reverse("istok_booking:appointment_list"))


def test_the_appointment_page_shows_details_history_and_actions(signed_in, customer):
    appointment = visit(customer, notes="Bring samples")
    response = signed_in.get(reverse("istok_booking:appointment_detail", args=[appointment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bring samples" in html
    assert "Requested" in html  # the status and the first line of the history
    for name in ("appointment_ics", "appointment_cancel", "appointment_reschedule"):
        assert reverse(f"istok_booking:{name}", args=[appointment.pk]) in html


def test_the_ics_file_is_the_visit(signed_in, customer):
    appointment = visit(customer)
    response = signed_in.get(reverse("istok_booking:appointment_ics", args=[appointment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    from icalendar import Calendar

    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(str(appointment.uid))
    assert event.decoded("DTSTART") == appointment.starts_at


def test_the_customer_cancels_with_a_reason(signed_in, customer):
    appointment = visit(customer)
    url = reverse("istok_booking:appointment_cancel", args=[appointment.pk])
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url, {"reason": "Plans changed"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancel_reason == "Plans changed"
    assert appointment.cancelled_by == customer
    assert not Seat.objects.filter(appointment=appointment).exists()


def test_a_cancellation_too_late_is_refused(signed_in, customer, settings):
    appointment = visit(customer)
    settings.ISTOK_BOOKING_CANCEL_DEADLINE_HOURS = 24 * 90
    url = reverse("istok_booking:appointment_cancel", args=[appointment.pk])
    page = signed_in.get(url).content.decode()
    assert "too late to cancel online" in page and 'name="reason"' not in page
    response = signed_in.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "too late to cancel online" in str(response.context["form"].errors)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REQUESTED


def test_a_reason_too_long_is_refused(signed_in, customer):
    appointment = visit(customer)
    url = reverse("istok_booking:appointment_cancel", args=[appointment.pk])
    response = signed_in.post(url, {"reason": "r" * 2001})
    assert "reason" in response.context["form"].errors
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REQUESTED


def test_the_customer_moves_the_visit(signed_in, customer):
    appointment = visit(customer)
    later = next_slot(after=appointment.ends_at + timedelta(days=1))
    url = reverse("istok_booking:appointment_reschedule", args=[appointment.pk])
    page = signed_in.get(url, {"day": day_of(later.starts_at)})
    assert page.status_code == 200
    offered = [value for value, _label in page.context["form"].fields["starts_at"].choices]
    assert local_iso(later.starts_at) in offered
    assert local_iso(appointment.starts_at) not in offered
    response = signed_in.post(
        url + f"?day={day_of(later.starts_at)}", {"starts_at": local_iso(later.starts_at)}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == later.starts_at
    assert appointment.sequence == 1
    assert appointment.events.filter(kind=AppointmentEvent.Kind.RESCHEDULED).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Choose a time."),
        ("garbage", "Choose one of the times offered."),
        ("2020-01-01T10:00:00+03:00", "already passed"),
    ],
)
def test_a_bad_new_time_is_refused(signed_in, customer, value, message):
    appointment = visit(customer)
    url = reverse("istok_booking:appointment_reschedule", args=[appointment.pk])
    response = signed_in.post(url, {"starts_at": value})
    assert response.status_code == 200
    assert any(message in str(e) for e in response.context["form"].errors["starts_at"])
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.starts_at == appointment.starts_at and moved.sequence == 0


def test_a_move_too_late_is_refused(signed_in, customer, settings):
    appointment = visit(customer)
    settings.ISTOK_BOOKING_RESCHEDULE_DEADLINE_HOURS = 24 * 90
    url = reverse("istok_booking:appointment_reschedule", args=[appointment.pk])
    assert "too late to move" in signed_in.get(url).content.decode()
    later = next_slot(after=appointment.ends_at)
    response = signed_in.post(url, {"starts_at": local_iso(later.starts_at)})
    assert response.status_code == 200
    assert Appointment.objects.get(pk=appointment.pk).starts_at == appointment.starts_at


# 404 for anyone but the customer ------------------------------------------------------

PAGES = ["appointment_detail", "appointment_cancel", "appointment_reschedule", "appointment_ics"]


@pytest.mark.parametrize("name", PAGES)
def test_another_customers_appointment_is_a_404(client, customer, other_customer, name):
    appointment = visit(customer)
    client.force_login(other_customer)
    url = reverse(f"istok_booking:{name}", args=[appointment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "mine now", "starts_at": ""}).status_code == 404
    missing = reverse(f"istok_booking:{name}", args=[appointment.pk + 1000])
    assert client.get(missing).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REQUESTED


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visitor_gets_a_404_that_offers_to_log_in(client, customer, name):
    appointment = visit(customer)
    url = reverse(f"istok_booking:{name}", args=[appointment.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert "/login/?next=" in response.content.decode()
    assert client.post(url, {"reason": "x"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REQUESTED


def test_staff_who_may_view_appointments_open_any(client, customer, staff):
    appointment = visit(customer)
    client.force_login(staff)
    url = reverse("istok_booking:appointment_detail", args=[appointment.pk])
    assert client.get(url).status_code == 200


def test_the_pages_speak_russian(signed_in, customer):
    appointment = visit(customer)
    html = signed_in.get(CREATE, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Записаться" in html
    detail = signed_in.get(
        reverse("istok_booking:appointment_detail", args=[appointment.pk]),
        HTTP_ACCEPT_LANGUAGE="ru",
    ).content.decode()
    assert "История" in detail


def test_the_day_shown_is_in_the_date_field(signed_in):
    slot = next_slot("showroom")
    html = signed_in.get(CREATE).content.decode()
    assert f'name="day" value="{day_of(slot.starts_at)}"' in html
