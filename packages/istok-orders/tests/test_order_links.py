"""Links other apps offer on the order page (the ``order_links`` signal), without
istok_orders knowing them."""

import pytest
from django.urls import reverse

from istok_orders import selectors
from istok_orders.models import Order
from istok_orders.signals import order_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered():
    def receiver(sender, order, user, **kwargs):
        if order.status != "sketch":
            return []
        return [{"label": f"Book the measurement of {order.number}", "url": "/book/?x=1&y=2"}]

    def failing(sender, **kwargs):
        raise RuntimeError("broken receiver")

    order_links.connect(receiver, sender=Order, dispatch_uid="test.offer")
    order_links.connect(failing, sender=Order, dispatch_uid="test.failing")
    yield
    order_links.disconnect(sender=Order, dispatch_uid="test.offer")
    order_links.disconnect(sender=Order, dispatch_uid="test.failing")


def test_the_order_page_shows_the_links_other_apps_offer(client, customer, order, offered, caplog):
    client.force_login(customer)
    response = client.get(reverse("istok_orders:order_detail", kwargs={"number": order.number}))
    assert response.status_code == 200
    assert (
        f'<a class="istok-button" href="/book/?x=1&amp;y=2">Book the measurement of '
        f"{order.number}</a>" in response.content.decode()
    )
    assert "broken receiver" in caplog.text  # logged, and the page still opens


def test_without_receivers_or_answers_there_are_no_links(customer, order, offered):
    order.status = "production"
    assert selectors.order_links(order, customer) == []
    order_links.disconnect(sender=Order, dispatch_uid="test.offer")
    order.status = "sketch"
    assert selectors.order_links(order, customer) == []
