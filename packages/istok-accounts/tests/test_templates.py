"""The account pages on istok-core's base template, includes and design system."""

import re

import pytest
from django.urls import reverse

from tests.test_views import SIGNUP

pytestmark = pytest.mark.django_db


def test_the_pages_are_built_on_the_core_base_template_and_stylesheet(client):
    html = client.get(reverse("istok_accounts:login")).content.decode()
    assert '<body class="istok-page">' in html
    assert '<link rel="stylesheet" href="/static/istok_core/css/istok.css">' in html
    assert 'class="istok-card istok-card--narrow istok-accounts istok-accounts--login"' in html


def test_an_invalid_signup_field_shows_its_error_state_tied_to_the_field(client):
    response = client.post(
        reverse("istok_accounts:signup"), {**SIGNUP, "password2": "another-long-passphrase"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The field's box is marked invalid (the red border of istok.css)...
    assert re.search(
        r'<div class="istok-field [^"]*istok-field--invalid">\s*'
        r'<label class="istok-field__label" for="id_password2">',
        html,
    )
    # ...its input says so to assistive technology and points at its error...
    widget = re.search(r'<input[^>]*name="password2"[^>]*>', html).group()
    assert 'aria-invalid="true"' in widget
    assert "id_password2_error" in re.search(r'aria-describedby="([^"]*)"', widget).group(1)
    errors = re.search(
        r'<ul class="[^"]*istok-field__errors" id="id_password2_error">(.*?)</ul>', html, re.S
    )
    assert "The two passwords you entered differ." in errors.group(1)
    # ...and the valid fields are not marked.
    email = re.search(r'<input[^>]*name="email"[^>]*>', html).group()
    assert "aria-invalid" not in email


def test_the_profile_page_adds_its_own_stylesheet_after_the_core_one(client, customer):
    client.force_login(customer)
    html = client.get(reverse("istok_accounts:profile")).content.decode()
    assert html.index("/static/istok_core/css/istok.css") < html.index(
        "/static/istok_accounts/accounts.css"
    )
    assert '<progress class="istok-accounts-completion__progress"' in html
