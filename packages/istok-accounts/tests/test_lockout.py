"""Login lockout with django-axes, set up as the README recommends (tests/settings_axes.py):
the login page, the admin's and the account erasure's password all count, and a locked-out
visitor reads why, in their language, as HTTP 429."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "axes" not in settings.INSTALLED_APPS,
        reason="runs with tests.settings_axes (django-axes installed and configured)",
    ),
]

LOCKED = "Too many failed attempts to sign in. Please try again in 15 minutes"
LOCKED_RU = "Слишком много неудачных попыток входа. Попробуйте снова через 15 минут"
JSON = "application/json"


def page(name):
    return reverse(f"istok_accounts:{name}")


def log_in(client, username, password, **extra):
    return client.post(page("login"), {"username": username, "password": password}, **extra)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def erased(user):
    return get_user_model()._default_manager.get(pk=user.pk).erased_at is not None


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, customer, password):
    for n in range(30):
        log_in(client, customer.username, f"guess-{n}")
    response = log_in(client, customer.username, password)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not is_logged_in(client)
    assert int(response["Retry-After"]) == 15 * 60


def test_the_lockout_is_shown_on_the_login_page_from_the_limit_on(client, customer):
    responses = [log_in(client, customer.username, f"guess-{n}") for n in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "Please enter a correct" in responses[3].content.decode()
    html = responses[4].content.decode()
    assert LOCKED in html
    # Our page with its form, not a bare text.
    assert 'name="password"' in html


def test_the_lockout_is_said_in_russian(client, customer):
    for n in range(5):
        response = log_in(
            client, customer.username, f"guess-{n}", headers={"accept-language": "ru"}
        )
    assert response.status_code == 429
    assert LOCKED_RU in response.content.decode()


def test_the_email_in_any_case_counts_for_the_same_account(client, customer, password):
    logins = [customer.username, customer.email, customer.email.upper(), customer.email.title()]
    for n in range(5):
        log_in(client, logins[n % len(logins)], f"guess-{n}")
    response = log_in(client, customer.email.upper(), password)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_another_account_from_the_same_address_still_signs_in(
    client, customer, other_customer, password
):
    for n in range(5):
        log_in(client, customer.username, f"guess-{n}")
    response = log_in(Client(), other_customer.username, password)
    assert response.status_code == 302


def test_a_right_password_before_the_limit_starts_the_count_again(client, customer, password):
    for n in range(4):
        log_in(client, customer.username, f"guess-{n}")
    assert log_in(client, customer.username, password).status_code == 302
    other = Client()
    for n in range(4):
        assert log_in(other, customer.username, f"guess-{n}").status_code == 200


def test_wrong_erasure_passwords_lock_out_and_erase_nothing(client, customer, password, settings):
    settings.ISTOK_ACCOUNTS_ERASURE_RATE = None  # axes alone
    client.force_login(customer)
    responses = [client.post(page("delete"), {"password": f"guess-{n}"}) for n in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "The password is not correct." in responses[0].content.decode()
    assert LOCKED in responses[4].content.decode()
    response = client.post(page("delete"), {"password": password})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not erased(customer)


def test_a_lockout_at_login_also_guards_the_erasure(client, customer, password, settings):
    settings.ISTOK_ACCOUNTS_ERASURE_RATE = None
    for n in range(5):
        log_in(Client(), customer.username, f"guess-{n}")
    client.force_login(customer)
    response = client.post(page("delete"), {"password": password})
    assert response.status_code == 429
    assert not erased(customer)


def test_the_erasure_api_locks_out_with_a_translated_429(client, customer, password, settings):
    settings.ISTOK_ACCOUNTS_ERASURE_RATE = None
    client.force_login(customer)
    url = reverse("istok_accounts_api:erase")
    statuses = [
        client.post(url, {"password": f"guess-{n}"}, content_type=JSON).status_code
        for n in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 429]
    response = client.post(
        url, {"password": password}, content_type=JSON, headers={"accept-language": "ru"}
    )
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert response.json()["password"][0].startswith(LOCKED_RU)
    assert not erased(customer)


def test_the_admin_login_locks_out_with_our_translated_page(client, customer):
    url = reverse("admin:login")
    for n in range(5):
        response = client.post(
            url,
            {"username": customer.username, "password": f"guess-{n}"},
            headers={"accept-language": "ru"},
        )
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_RU in html
    assert "<html" in html


@pytest.mark.parametrize("name", ["istok_accounts:login", "admin:login"])
def test_a_login_longer_than_axes_stores_is_refused_not_a_server_error(client, name):
    # AccessAttempt.username has 255 characters: PostgreSQL refuses a longer value.
    for login in ["x" * 300, "x" * 300 + "@example.com"]:
        response = client.post(reverse(name), {"username": login, "password": "guess"})
        assert response.status_code == 200
