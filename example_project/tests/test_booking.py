"""istok_booking composed in the project: the demo's designers and measurement visit, the
booking page from a kitchen's product page, the order's measurement moving it on."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not all(apps.is_installed(a) for a in ("istok_booking", "istok_orders", "istok_catalog")),
        reason="istok_booking, istok_orders and istok_catalog are not all composed",
    ),
]


@pytest.fixture
def demo(client):
    call_command("load_demo", stdout=StringIO())
    assert client.login(request=HttpRequest(), username="demo", password="istok-demo")
    return get_user_model().objects.get(username="demo")


def demo_order(customer):
    from istok_orders import selectors

    return selectors.customer_orders(customer).get()


def test_the_demo_has_designers_and_a_confirmed_measurement_for_the_order(demo):
    from istok_booking import selectors
    from istok_booking.models import Designer

    assert Designer.objects.filter(is_active=True).count() == 3
    order = demo_order(demo)
    assert order.status == "measurement"
    visit = selectors.upcoming_for(demo).get()
    assert visit.order_id == order.pk and visit.kind.code == "measurement"
    assert visit.status == "confirmed" and visit.designer is not None
    assert visit.address == order.delivery_address
    call_command("load_demo", stdout=StringIO())
    assert selectors.appointments_for(demo).count() == 1


def test_the_order_page_offers_the_measurement_and_completing_it_moves_the_order_on(demo, client):
    from istok_booking import selectors, services

    order = demo_order(demo)
    visit = selectors.upcoming_for(demo).get()
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert f"/booking/appointments/{visit.pk}/" in page or "/booking/?order=" in page
    admin = get_user_model().objects.get(username="admin")
    services.complete(visit, actor=admin)
    order.refresh_from_db()
    assert order.status == "correction"
    timeline = client.get(f"/orders/{order.number}/").content.decode()
    assert "Замер проведён" in timeline


def test_a_kitchens_page_books_a_kitchen_consultation(demo, client):
    from django.http import QueryDict

    from istok_catalog.selectors import filter_products

    kitchen = filter_products(QueryDict("kind=furniture&category=kitchen")).qs.first()
    product_page = client.get(f"/catalog/{kitchen.slug}/").content.decode()
    link = f"/booking/?product={kitchen.slug}"
    assert link in product_page
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["form"]["purpose"].value() == "kitchen"
    # The project's catalogue names the page as its menu does ("Записаться").
    assert '<h1 class="istok-page-title">Записаться' in response.content.decode()


def test_the_customer_books_the_measurement_for_their_order(demo, client):
    from istok_booking import selectors, services

    order = demo_order(demo)
    admin = get_user_model().objects.get(username="admin")
    services.cancel(selectors.upcoming_for(demo).get(), actor=admin, reason="Moved by phone")
    page = client.get(f"/booking/?order={order.pk}")
    assert page.context["kind"].code == "measurement"
    assert "purpose" not in page.context["form"].fields
    slot = page.context["fortnight"].slots[0]
    day = page.context["fortnight"].day.isoformat()
    response = client.post(
        f"/booking/?order={order.pk}&kind=measurement&day={day}",
        {
            "starts_at": slot.starts_at.isoformat(),
            "contact_method": "phone",
            "contact_value": "+7 912 345-67-89",
            "address": order.delivery_address,
        },
    )
    assert response.status_code == 302
    visit = selectors.upcoming_for(demo).get()
    assert visit.order_id == order.pk and visit.order_number == order.number
    # A second one for the same order is refused, above the form.
    again = client.post(
        f"/booking/?order={order.pk}&kind=measurement&day={day}",
        {
            "starts_at": page.context["fortnight"].slots[-1].starts_at.isoformat(),
            "contact_method": "phone",
            "contact_value": "+7 912 345-67-89",
            "address": order.delivery_address,
        },
    )
    assert again.status_code == 200
    assert "На этот заказ замер уже назначен." in again.content.decode()
    assert selectors.upcoming_for(demo).count() == 1
