"""Rate limits of signup, account erasure and password reset, pages and API, with no other
package than istok-core: each one stops what an attacker would repeat."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from istok_accounts.testing.factories import make_customer

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-and-unusual-passphrase"
JSON = "application/json"


def users():
    return get_user_model()._default_manager


def page(name):
    return reverse(f"istok_accounts:{name}")


def api(name):
    return reverse(f"istok_accounts_api:{name}")


def signup_form(n):
    return {
        "username": f"visitor{n}",
        "email": f"visitor{n}@example.com",
        "password1": PASSPHRASE,
        "password2": PASSPHRASE,
        "personal_data_consent": "on",
    }


def signup_json(n):
    return {
        "username": f"visitor{n}",
        "email": f"visitor{n}@example.com",
        "password": PASSPHRASE,
        "personal_data_consent": True,
    }


def erased(user):
    return users().get(pk=user.pk).erased_at is not None


# Signup ------------------------------------------------------------------------------------


def test_sixty_api_signups_from_one_address_get_429_after_the_limit(settings):
    assert settings.ISTOK_ACCOUNTS_SIGNUP_RATE == "10/hour"
    responses = [
        # A new client each time: a signed-up client is signed in, and refused for that.
        Client().post(api("signup"), signup_json(n), content_type=JSON)
        for n in range(60)
    ]
    assert [r.status_code for r in responses] == [201] * 10 + [429] * 50
    assert users().count() == 10
    refused = responses[-1]
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    assert refused.json() == {"detail": "Too many attempts. Please try again in 60 minutes."}


def test_the_api_says_so_in_russian():
    for n in range(10):
        Client().post(api("signup"), signup_json(n), content_type=JSON)
    response = Client().post(
        api("signup"), signup_json(99), content_type=JSON, headers={"accept-language": "ru"}
    )
    assert response.status_code == 429
    assert response.json()["detail"] == "Слишком много попыток. Попробуйте снова через 60 минут."


def test_refused_signups_count_too_so_addresses_cannot_be_probed(settings):
    settings.ISTOK_ACCOUNTS_SIGNUP_RATE = "3/hour"
    make_customer(email="taken@example.com")
    client = Client()
    for n in range(3):
        data = {**signup_json(n), "email": "taken@example.com"}
        assert client.post(api("signup"), data, content_type=JSON).status_code == 400
    response = client.post(api("signup"), signup_json(3), content_type=JSON)
    assert response.status_code == 429
    assert "email" not in response.json()


def test_the_signup_page_refuses_one_signup_too_many_and_creates_nothing(settings):
    settings.ISTOK_ACCOUNTS_SIGNUP_RATE = "2/hour"
    for n in range(2):
        assert Client().post(page("signup"), signup_form(n)).status_code == 302
    response = Client().post(page("signup"), signup_form(2))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts. Please try again in 60 minutes." in response.content.decode()
    assert not users().filter(username="visitor2").exists()
    # Another address is counted apart.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(page("signup"), signup_form(3)).status_code == 302


def test_the_signup_page_and_the_api_share_one_limit(settings):
    settings.ISTOK_ACCOUNTS_SIGNUP_RATE = "2/hour"
    assert Client().post(page("signup"), signup_form(0)).status_code == 302
    assert Client().post(api("signup"), signup_json(1), content_type=JSON).status_code == 201
    assert Client().post(page("signup"), signup_form(2)).status_code == 429
    assert Client().post(api("signup"), signup_json(3), content_type=JSON).status_code == 429


def test_without_a_signup_rate_nothing_is_limited(settings):
    settings.ISTOK_ACCOUNTS_SIGNUP_RATE = None
    responses = [
        Client().post(api("signup"), signup_json(n), content_type=JSON) for n in range(15)
    ]
    assert all(r.status_code == 201 for r in responses)


# Account erasure ---------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def test_the_erasure_password_guessed_beyond_the_limit_is_refused_and_nothing_erased(
    signed_in, customer, password, settings
):
    assert settings.ISTOK_ACCOUNTS_ERASURE_RATE == "5/hour"
    for guess in range(5):
        response = signed_in.post(page("delete"), {"password": f"guess-{guess}"})
        assert response.status_code in (200, 429)  # 429 once django-axes locks out
    response = signed_in.post(page("delete"), {"password": password})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not erased(customer)
    assert "_auth_user_id" in signed_in.session


def test_a_refused_erasure_does_not_check_the_password(signed_in, customer, password, settings):
    settings.ISTOK_ACCOUNTS_ERASURE_RATE = "1/hour"
    signed_in.post(page("delete"), {"password": "guess"})
    wrong = signed_in.post(page("delete"), {"password": "another-guess"}).content.decode()
    right = signed_in.post(page("delete"), {"password": password}).content.decode()
    assert "The password is not correct." not in wrong
    assert "Too many attempts" in wrong and "Too many attempts" in right
    assert not erased(customer)


def test_the_erasure_api_beyond_the_limit_answers_429_and_erases_nothing(
    signed_in, customer, password
):
    for guess in range(5):
        response = signed_in.post(api("erase"), {"password": f"guess-{guess}"}, content_type=JSON)
        assert response.status_code in (400, 429)
    response = signed_in.post(api("erase"), {"password": password}, content_type=JSON)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not erased(customer)


def test_the_erasure_page_and_api_share_one_limit(signed_in, customer, password, settings):
    settings.ISTOK_ACCOUNTS_ERASURE_RATE = "3/hour"
    signed_in.post(page("delete"), {"password": "guess-1"})
    signed_in.post(api("erase"), {"password": "guess-2"}, content_type=JSON)
    signed_in.post(page("delete"), {"password": "guess-3"})
    response = signed_in.post(api("erase"), {"password": password}, content_type=JSON)
    assert response.status_code == 429
    assert not erased(customer)


def test_each_user_has_their_own_erasure_limit(customer, other_customer, password, settings):
    settings.ISTOK_ACCOUNTS_ERASURE_RATE = "1/hour"
    anna = Client()
    anna.force_login(customer)
    anna.post(page("delete"), {"password": "guess"})
    boris = Client()
    boris.force_login(other_customer)
    assert boris.post(page("delete"), {"password": password}).status_code == 302
    assert erased(other_customer) and not erased(customer)


# Password reset ----------------------------------------------------------------------------


def test_the_fourth_reset_email_to_one_address_within_the_hour_is_not_sent(client, customer):
    done = page("password_reset_done")
    responses = [client.post(page("password_reset"), {"email": customer.email}) for _ in range(20)]
    # The page answers the same every time: nobody learns that the emails stopped.
    assert all(r.status_code == 302 and r["Location"] == done for r in responses)
    assert len(mail.outbox) == 3
    assert all(message.to == [customer.email] for message in mail.outbox)


def test_the_reset_limit_counts_the_address_in_any_case(client, customer):
    for email in [customer.email, customer.email.upper(), customer.email.title(), customer.email]:
        client.post(page("password_reset"), {"email": email})
    assert len(mail.outbox) == 3


def test_reset_emails_stop_for_a_client_that_asks_for_many_addresses(customer):
    customers = [make_customer() for _ in range(12)]
    client = Client()
    for each in customers:
        response = client.post(page("password_reset"), {"email": each.email})
        assert response.status_code == 302
    assert len(mail.outbox) == 10
    # Another client still gets its email.
    Client(REMOTE_ADDR="198.51.100.7").post(page("password_reset"), {"email": customer.email})
    assert mail.outbox[-1].to == [customer.email]


def test_unknown_addresses_count_like_known_ones(client, customer, settings):
    settings.ISTOK_ACCOUNTS_PASSWORD_RESET_IP_RATE = "2/hour"
    client.post(page("password_reset"), {"email": "nobody@example.com"})
    client.post(page("password_reset"), {"email": "nobody-else@example.com"})
    client.post(page("password_reset"), {"email": customer.email})
    assert mail.outbox == []
