"""A database conflict that outlives the services' retries (a deadlock chosen again and
again) reaches staff as a clear message or a 503, never a 500, and changes nothing."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from istok_orders.models import Order
from istok_orders.services import _common
from istok_orders.testing.factories import make_customer, make_order, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def deadlock():
    cause = Exception("deadlock detected")
    cause.sqlstate = "40P01"
    error = OperationalError("deadlock detected")
    error.__cause__ = cause
    return error


@pytest.fixture
def order():
    return make_order(make_customer())


def test_a_status_change_runs_again_after_a_deadlock(order):
    from istok_orders import services

    real, calls = _common._lock, []

    def lock_once_deadlocked(target):
        calls.append(target)
        if len(calls) == 1:
            raise deadlock()
        return real(target)

    with (
        mock.patch.object(_common, "_lock", lock_once_deadlocked),
        mock.patch("istok_orders.services.orders._lock", lock_once_deadlocked),
    ):
        services.set_status(order, "measurement")
    assert Order.objects.get(pk=order.pk).status == "measurement"
    assert len(calls) == 2


def test_the_staff_api_answers_a_lasting_conflict_with_503(client, order):
    client.force_login(make_staff(username="manager"))
    with mock.patch("istok_orders.services.orders._lock", side_effect=deadlock()):
        response = client.post(
            reverse("istok_orders_api:status_change", kwargs={"number": order.number}),
            {"status": "measurement"},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert Order.objects.get(pk=order.pk).status == "sketch"


def test_the_admin_answers_a_lasting_conflict_with_a_message(client, order):
    client.force_login(make_staff(is_superuser=True, username="boss"))
    url = reverse("admin:istok_orders_order_changelist")
    with mock.patch("istok_orders.services.orders._lock", side_effect=deadlock()):
        response = client.post(
            url,
            {
                "action": "change_status",
                "_selected_action": [order.pk],
                "apply": "1",
                "status": "measurement",
                "note": "",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "Please try again." in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "sketch"
