"""Races that only a real database with concurrent transactions shows (PostgreSQL)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from istok_accounts import services
from istok_accounts.models import Consent
from istok_core.testing import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_signups_with_one_email_in_two_cases_make_one_account(postgres_only):
    def signup(username, email):
        return lambda: services.sign_up(
            username=username,
            email=email,
            password="a-long-and-unusual-passphrase",
            personal_data_consent=True,
        )

    for attempt in range(5):
        email = f"race{attempt}@example.com"
        results = run_at_once(signup(f"a{attempt}", email), signup(f"b{attempt}", email.upper()))
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1, results
        assert isinstance(errors[0], ValidationError)
        assert "email" in errors[0].message_dict
        assert get_user_model()._default_manager.filter(email__iexact=email).count() == 1
    assert Consent.objects.count() == 5


def test_concurrent_newsletter_consents_make_one_active_record(postgres_only, customer):
    results = run_at_once(
        *[lambda: services.give_consent(customer, Consent.Purpose.NEWSLETTER)] * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    active = Consent.objects.active().filter(user=customer, purpose="newsletter")
    assert active.count() == 1


def test_two_users_taking_one_email_at_once_one_is_refused(postgres_only):
    from istok_accounts.testing.factories import make_customer

    for attempt in range(5):
        first, second = make_customer(), make_customer()
        email = f"wanted{attempt}@example.com"
        results = run_at_once(
            lambda u=first, e=email: services.update_profile(u, email=e),
            lambda u=second, e=email: services.update_profile(u, email=e.upper()),
        )
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1, results
        assert list(errors[0].message_dict) == ["email"]
        assert get_user_model()._default_manager.filter(email__iexact=email).count() == 1
