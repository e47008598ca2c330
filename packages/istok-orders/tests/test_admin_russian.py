"""The orders' admin as a Russian-speaking manager reads it: labels as headings, an order
page that fits a 1366 px screen, and a bulk status change that chooses nothing itself."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import translation

from istok_orders.models import Order
from istok_orders.testing.factories import make_customer, make_order, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian_admin(client):
    client.force_login(make_staff(is_superuser=True, username="boss"))
    with translation.override("ru"):
        client.cookies["django_language"] = "ru"
        yield client


def test_the_order_form_labels_read_as_headings(russian_admin):
    order = make_order(make_customer())
    response = russian_admin.get(
        reverse("admin:istok_orders_order_change", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    form = response.context["adminform"].form
    for name in ("status", "status_note", "note", "note_customer_visible"):
        label = str(form.fields[name].label)
        assert label[0].isupper(), (name, label)
    html = response.content.decode()
    assert "Статус:</label>" in html
    # The timestamps of django-model-utils, labelled in Russian.
    assert "Последнее изменение:</label>" in html and "Дата создания:</label>" in html
    assert "Modified" not in html and "Created" not in html


def test_the_lines_table_has_narrow_inputs_so_the_page_fits_1366_px(russian_admin):
    order = make_order(make_customer())
    html = russian_admin.get(
        reverse("admin:istok_orders_order_change", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    # Not the admin's 610 px "vLargeTextField" text area nor its 20em name field.
    assert '<textarea name="lines-__prefix__-configuration" cols="20" rows="2"' in html
    assert '<input type="text" name="lines-__prefix__-product_name" size="14"' in html
    assert 'name="lines-__prefix__-unit_price" class="vBigIntegerField"' in html
    assert "vLargeTextField" not in html.split('id="lines-group"')[1].split("</fieldset>")[0]


def test_the_status_action_preselects_no_status_and_asks_for_one(russian_admin):
    customer = make_customer()
    first, second = make_order(customer), make_order(customer)
    url = reverse("admin:istok_orders_order_changelist")
    chosen = {"action": "change_status", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}
    response = russian_admin.post(url, chosen, HTTP_ACCEPT_LANGUAGE="ru")
    form = response.context["form"]
    assert form.fields["status"].choices[0] == ("", "---------")
    html = response.content.decode()
    assert '<option value="" selected>---------</option>' in html
    assert "Новый статус:</label>" in html
    # Applied without a choice: an error in Russian, and no order moved.
    response = russian_admin.post(url, {**chosen, "apply": "1"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Обязательное поле." in response.content.decode()
    assert set(Order.objects.values_list("status", flat=True)) == {first.status}
