"""A phone number reads the same on the profile, in the form that edits it, in the form's
example and in its error message: ``+7 912 345-67-89``."""

import pytest
from django.urls import reverse

from istok_accounts.testing.factories import make_customer

pytestmark = pytest.mark.django_db

DISPLAY = "+7 912 345-67-89"


@pytest.fixture
def signed_in(client):
    customer = make_customer(phone="+79123456789")
    client.force_login(customer)
    return client, customer


def test_the_profile_shows_the_display_format(signed_in):
    client, _customer = signed_in
    page = client.get(reverse("istok_accounts:profile")).content.decode()
    assert DISPLAY in page


def test_the_form_shows_the_saved_number_and_the_example_in_the_same_format(signed_in):
    client, _customer = signed_in
    response = client.get(reverse("istok_accounts:profile_edit"))
    form = response.context["form"]
    assert form["phone"].value() is not None
    html = str(form["phone"])
    assert f'value="{DISPLAY}"' in html
    assert 'type="tel"' in html
    assert DISPLAY in str(form.fields["phone"].help_text)


def test_the_error_message_gives_the_same_example(signed_in):
    client, customer = signed_in
    response = client.get(reverse("istok_accounts:profile_edit"))
    data = {
        name: value
        for name, value in response.context["form"].initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(email=customer.email, phone="12")
    response = client.post(reverse("istok_accounts:profile_edit"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["phone"]
    assert errors == [f"Enter a valid phone number, for example {DISPLAY}."]
    customer.refresh_from_db()
    assert str(customer.phone) == "+79123456789"


def test_the_api_refuses_a_bad_number_with_the_same_example(signed_in):
    from rest_framework.test import APIClient

    _client, customer = signed_in
    api = APIClient()
    api.force_authenticate(customer)
    response = api.patch(reverse("istok_accounts_api:me"), {"phone": "12"}, format="json")
    assert response.status_code == 400
    assert response.json()["phone"] == [f"Enter a valid phone number, for example {DISPLAY}."]


def test_the_admin_shows_and_edits_the_number_in_the_same_format(signed_in, rf, admin_user):
    from django.contrib import admin

    from istok_accounts.admin import IstokUserAdmin

    _client, customer = signed_in
    # The project's own user model too (tests.settings_swapped), registered or not.
    user_admin = IstokUserAdmin(type(customer), admin.site)
    assert "phone_number" in user_admin.list_display
    assert user_admin.phone_number(customer) == DISPLAY
    request = rf.get("/")
    request.user = admin_user
    form = user_admin.get_form(request, customer)(instance=customer)
    assert f'value="{DISPLAY}"' in str(form["phone"])
    assert DISPLAY in str(form.fields["phone"].help_text)
