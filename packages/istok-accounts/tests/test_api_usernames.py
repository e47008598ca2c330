"""A username is taken in any letter case: by the signup service, so the page and the API
refuse the same names with the same translated error."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from istok_accounts import services
from istok_accounts.forms import SignupForm
from istok_accounts.testing.factories import make_customer

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "other@example.com",
    "password": "a-long-and-unusual-passphrase",
    "personal_data_consent": True,
}
TAKEN_RU = "Пользователь с таким именем уже существует."


def users():
    return get_user_model()._default_manager


@pytest.mark.parametrize("username", ["ANNA", "Anna", "aNnA"])
def test_the_api_refuses_a_username_taken_in_another_case(client, username):
    make_customer(username="anna")

    response = client.post(
        reverse("istok_accounts_api:signup"),
        {**SIGNUP, "username": username},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 400
    assert response.json() == {"username": [TAKEN_RU]}
    assert users().count() == 1


def test_the_api_and_the_signup_form_give_the_same_error():
    make_customer(username="anna")
    with translation.override("ru"):
        form = SignupForm(
            data={
                "username": "Anna",
                "email": "other@example.com",
                "password1": SIGNUP["password"],
                "password2": SIGNUP["password"],
                "personal_data_consent": "on",
            }
        )
        assert not form.is_valid()
        assert form.errors["username"] == [TAKEN_RU]
    response = Client().post(
        reverse("istok_accounts_api:signup"),
        {**SIGNUP, "username": "Anna"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.json()["username"] == form.errors["username"]


def test_the_signup_service_refuses_a_username_taken_in_another_case():
    make_customer(username="anna")

    with pytest.raises(ValidationError) as caught:
        services.sign_up(username="ANNA", **SIGNUP)

    assert list(caught.value.message_dict) == ["username"]
    assert caught.value.error_dict["username"][0].code == "unique"
    assert users().count() == 1


def test_a_username_differing_in_more_than_case_is_still_free(client):
    make_customer(username="anna")

    response = client.post(
        reverse("istok_accounts_api:signup"),
        {**SIGNUP, "username": "anna2"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert users().filter(username="anna2").exists()
