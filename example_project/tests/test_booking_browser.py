"""The booking story of the demo, in a real browser (Debian's Chromium via Playwright), as
tests/test_browser.py runs the others.

The demo customer books a kitchen consultation for next Tuesday from a kitchen's product
page and gets the request email with the .ics; the manager confirms it in the staff
calendar; the customer moves it to a later time, the manager confirms the new time; the
reminder command sends exactly one reminder (and none when run again); completing the
demo order's measurement visit in the calendar moves the order on. And the booking pages
at a desktop's and a phone's width, none wider than the screen. ISTOK_SCREENSHOTS=<dir>
keeps a screenshot of each step.
"""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.test_browser import (
    WIDTHS,
    fits_the_screen,
    new_page,  # noqa: F401  (a fixture, through ``browser``)
    shot,
    sign_in,
    sized_page,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not all(apps.is_installed(a) for a in ("istok_booking", "istok_orders", "istok_catalog")),
        reason="istok_booking, istok_orders and istok_catalog are not all composed",
    ),
]


def next_weekday(weekday):
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def local(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def browser(request):
    """test_browser's ``new_page``: ``browser(locale)`` is a page of a fresh Chromium."""
    return request.getfixturevalue("new_page")


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    return get_user_model()._default_manager.get(username="demo")


def sign_in_to_admin(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "istok-admin")
    page.locator("#login-form [type=submit]").click()
    page.wait_for_load_state()


def press_in_calendar(page, live_server, day, appointment, action):
    """The manager opens the calendar's day and presses the appointment's button."""
    page.goto(
        f"{live_server.url}/admin/istok_booking/appointment/calendar/"
        f"?view=day&date={day.isoformat()}"
    )
    visit = page.locator(
        f"li.istok-booking-calendar__visit:has(a[href$='/appointment/{appointment.pk}/change/'])"
    )
    visit.locator(f"button.istok-booking-calendar__action--{action}").click()
    page.wait_for_load_state()


def sent_to(address, subject_start):
    return [m for m in mail.outbox if address in m.to and m.subject.startswith(subject_start)]


def ics_of(message):
    """The .ics files attached to ``message``, as bytes."""
    files = []
    for _name, content, mimetype in message.attachments:
        if mimetype.startswith("text/calendar"):
            files.append(content if isinstance(content, bytes) else content.encode())
    return files


def test_the_demo_customer_books_a_kitchen_consultation_and_the_manager_confirms_it(
    demo, browser, live_server, monkeypatch
):
    from django.http import QueryDict

    from istok_booking.models import Appointment
    from istok_catalog.selectors import filter_products
    from istok_orders import selectors as orders

    mail.outbox = []
    tuesday = next_weekday(1)
    customer = browser("ru-RU")
    sign_in(customer, live_server, "demo", "istok-demo")

    # From a kitchen's page: "Book a consultation".
    kitchen = filter_products(QueryDict("kind=furniture&category=kitchen")).qs.first()
    customer.goto(f"{live_server.url}/catalog/{kitchen.slug}/")
    customer.locator(f"main a[href='/booking/?product={kitchen.slug}']").click()
    customer.wait_for_load_state()
    assert customer.locator("#id_purpose").input_value() == "kitchen"
    assert customer.locator("input[name=kind][value=showroom]").is_checked()
    shot(customer, "booking-1-page")

    # Next Tuesday, at noon.
    customer.locator(f"a.istok-booking-days__day[href*='day={tuesday.isoformat()}']").click()
    customer.wait_for_load_state()
    noon = local(tuesday, 12)
    customer.locator(f"input[name=starts_at][value='{noon.isoformat()}']").check()
    customer.fill("#id_contact_value", "+7 912 345-67-89")
    customer.check("#id_consultation_wanted")
    shot(customer, "booking-2-time-chosen")
    customer.locator("main form.istok-booking__form button[type=submit]").click()
    customer.wait_for_load_state()
    appointment = Appointment.objects.get(customer=demo, kind__code="showroom")
    assert customer.url.endswith(f"/booking/appointments/{appointment.pk}/")
    assert appointment.starts_at == noon
    assert appointment.purpose.code == "kitchen" and appointment.consultation_wanted
    assert appointment.status == "requested"
    assert "Заявка" in customer.locator(".istok-booking-status").inner_text()
    shot(customer, "booking-3-requested")

    # The request email, with the visit as an .ics file.
    [request] = sent_to("demo@example.com", "Мы получили вашу заявку")
    [calendar_file] = ics_of(request)
    assert str(appointment.uid).encode() in calendar_file

    # The manager confirms it in the staff calendar.
    manager = browser("ru-RU")
    sign_in_to_admin(manager, live_server)
    press_in_calendar(manager, live_server, tuesday, appointment, "confirm")
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"
    assert "Подтверждён" in manager.locator(".messagelist").inner_text()
    shot(manager, "booking-4-calendar-confirmed")
    assert sent_to("demo@example.com", "Ваш визит подтверждён: Консультация")

    # The customer moves it to 15:00 the same day.
    customer.goto(f"{live_server.url}/booking/appointments/{appointment.pk}/")
    customer.locator(f"a[href='/booking/appointments/{appointment.pk}/reschedule/']").click()
    customer.wait_for_load_state()
    customer.locator(f"a.istok-booking-days__day[href*='day={tuesday.isoformat()}']").click()
    customer.wait_for_load_state()
    three = local(tuesday, 15)
    customer.locator(f"input[name=starts_at][value='{three.isoformat()}']").check()
    customer.locator("main form.istok-booking__form button[type=submit]").click()
    customer.wait_for_load_state()
    appointment.refresh_from_db()
    assert appointment.starts_at == three and appointment.sequence == 1
    assert appointment.status == "requested"  # a new time waits for the manager again
    assert sent_to("demo@example.com", "Ваш визит перенесён")
    shot(customer, "booking-5-moved")
    press_in_calendar(manager, live_server, tuesday, appointment, "confirm")
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"

    # The reminder, run by cron the day before: exactly one, and none the second time.
    day_before = three - timedelta(hours=23)
    before = len(mail.outbox)
    out = StringIO()
    # Only the command runs on the other clock (the fixture's own patches stay).
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: day_before)
        call_command("istok_booking_send_reminders", stdout=out)
        assert out.getvalue().strip() == "1 reminder(s) sent."
        call_command("istok_booking_send_reminders", stdout=out)
        assert out.getvalue().strip().endswith("0 reminder(s) sent.")
    reminders = [m for m in mail.outbox[before:] if m.subject.startswith("Напоминание")]
    assert len(reminders) == 1 and reminders[0].to == ["demo@example.com"]
    assert ics_of(reminders[0])

    # The demo order's measurement visit takes place: the order moves on.
    order = orders.customer_orders(demo).get()
    assert order.status == "measurement"
    measurement = Appointment.objects.get(order_id=order.pk)
    day = timezone.localtime(measurement.starts_at).date()
    press_in_calendar(manager, live_server, day, measurement, "complete")
    shot(manager, "booking-6-measurement-completed")
    order.refresh_from_db()
    assert order.status == "correction"
    customer.goto(f"{live_server.url}/orders/{order.number}/")
    assert "Замер проведён" in customer.locator("main").inner_text()
    customer.goto(f"{live_server.url}/booking/appointments/")
    assert customer.locator(".istok-booking-card").count() == 2
    shot(customer, "booking-7-my-appointments")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_booking_pages_fit_the_screen(demo, browser, live_server, width):
    from istok_booking import selectors

    page = sized_page(browser, width)
    sign_in(page, live_server, "demo", "istok-demo")
    visit = selectors.upcoming_for(demo).get()
    for path, name in [
        ("/booking/", "booking"),
        ("/booking/?kind=measurement", "booking-measurement"),
        ("/booking/appointments/", "appointments"),
        (f"/booking/appointments/{visit.pk}/", "appointment"),
        (f"/booking/appointments/{visit.pk}/reschedule/", "reschedule"),
        (f"/booking/appointments/{visit.pk}/cancel/", "cancel"),
    ]:
        assert page.goto(f"{live_server.url}{path}").ok, path
        assert fits_the_screen(page), path
        shot(page, f"design-{name}-{width}")
    # The time buttons sit side by side, inside the screen.
    page.goto(f"{live_server.url}/booking/")
    buttons = page.locator(".istok-booking-slots label")
    assert buttons.count() > 2
    first, second = buttons.nth(0).bounding_box(), buttons.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"]
    assert second["x"] + second["width"] <= WIDTHS[width]["width"]


def test_choosing_a_day_with_javascript_shows_its_times_at_once(demo, browser, live_server):
    page = browser("ru-RU")
    sign_in(page, live_server, "demo", "istok-demo")
    page.goto(f"{live_server.url}/booking/")
    tuesday = next_weekday(1)
    page.fill("#id_day", tuesday.isoformat())
    page.wait_for_url(f"**day={tuesday.isoformat()}**")
    assert page.locator(".istok-booking-days__day--current").count() == 1
    assert f"day={tuesday.isoformat()}" in page.url
    # The contact follows the method: a messenger's name, then back to the phone.
    page.fill("#id_contact_value", "+7 912 345-67-89")
    page.check("input[name=contact_method][value=telegram]")
    assert page.locator("#id_contact_value").input_value() == ""
    assert page.locator("#id_contact_value").get_attribute("type") == "text"
    page.fill("#id_contact_value", "@anna_demo")
    page.check("input[name=contact_method][value=phone]")
    assert page.locator("#id_contact_value").input_value() == "+7 912 345-67-89"
    page.check("input[name=contact_method][value=telegram]")
    assert page.locator("#id_contact_value").input_value() == "@anna_demo"


def test_booking_works_without_javascript(demo, browser, live_server):
    from istok_booking.models import Appointment

    first = browser("ru-RU")
    context = first.context.browser.new_context(locale="ru-RU", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "demo", "istok-demo")
    page.goto(f"{live_server.url}/booking/")
    # Step 1: another kind and a day, sent with the form's button.
    page.check("input[name=kind][value=video]")
    tuesday = next_weekday(1)
    page.fill("#id_day", tuesday.isoformat())
    page.locator("main form.istok-booking__search button[type=submit]").click()
    page.wait_for_load_state()
    assert f"day={tuesday.isoformat()}" in page.url and "kind=video" in page.url
    # Step 2: a time and the details.
    eleven = local(tuesday, 11)
    page.locator(f"input[name=starts_at][value='{eleven.isoformat()}']").check()
    page.select_option("#id_purpose", "wardrobe")
    page.check("input[name=contact_method][value=telegram]")
    page.fill("#id_contact_value", "@anna_demo")
    page.locator("main form.istok-booking__form button[type=submit]").click()
    page.wait_for_load_state()
    appointment = Appointment.objects.get(customer=demo, kind__code="video")
    assert page.url.endswith(f"/booking/appointments/{appointment.pk}/")
    assert appointment.starts_at == eleven and appointment.contact_value == "@anna_demo"
    assert appointment.status == "confirmed"  # a video call needs no confirmation
    shot(page, "booking-no-javascript")
    context.close()
