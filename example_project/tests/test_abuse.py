"""What an attacker would repeat is refused in the composed project: django-axes locks out
password guessing (the portal's login, the admin's), DRF's throttles and the istok apps'
own limits answer 429, in Russian, with Retry-After."""

import pytest
from django.test import Client
from django.urls import reverse

PASSWORD = "a-long-secret-42"  # the customer fixture's (conftest.py)
LOCKED = "Слишком много неудачных попыток входа. Попробуйте снова через 15 минут"
JSON = "application/json"


def log_in(client, username, password):
    return client.post(
        reverse("istok_accounts:login"), {"username": username, "password": password}
    )


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, customer):
    for n in range(30):
        log_in(client, customer.username, f"guess-{n}")
    response = log_in(client, customer.username, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_email_in_any_case_counts_for_the_same_account(client, customer):
    for n, login in enumerate(["olga", "olga@example.com", "OLGA@EXAMPLE.COM", "Olga", "olga"]):
        log_in(client, login, f"guess-{n}")
    assert log_in(client, "Olga@Example.com", PASSWORD).status_code == 429


def test_the_admin_login_locks_out_too(client, customer):
    for n in range(5):
        response = client.post(
            reverse("admin:login"), {"username": customer.username, "password": f"guess-{n}"}
        )
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert 'href="/static/demo/portal.css"' in response.content.decode()


@pytest.mark.django_db
def test_drfs_default_throttles_answer_429_in_russian(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    client = Client()
    statuses = [client.get("/api/loyalty/news/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/loyalty/news/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Слишком много попыток. Попробуйте снова через")


@pytest.mark.django_db
def test_the_project_throttles_at_its_configured_rates(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"anon": "300/minute", "user": "1200/minute"}
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


@pytest.mark.django_db
def test_api_signups_from_one_address_get_429_after_the_limit():
    def signup(n):
        data = {
            "username": f"visitor{n}",
            "email": f"visitor{n}@example.com",
            "password": "a-long-and-unusual-passphrase",
            "personal_data_consent": True,
        }
        return Client().post("/api/accounts/signup/", data, content_type=JSON)

    statuses = [signup(n).status_code for n in range(12)]
    assert statuses == [201] * 10 + [429] * 2
