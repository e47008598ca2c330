import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    # With a request, as Django's login view does: django-axes (tests.settings_axes) needs it.
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def test_sign_in_with_username(customer, password):
    assert authenticate(username=customer.username, password=password) == customer


def test_sign_in_with_email_in_any_case(customer, password):
    assert authenticate(username=customer.email.upper(), password=password) == customer


def test_wrong_password_or_unknown_login_signs_nobody_in(customer, password):
    assert authenticate(username=customer.email, password="wrong") is None
    assert authenticate(username="nobody@example.com", password=password) is None
    assert authenticate(username="nobody", password=password) is None


def test_inactive_user_cannot_sign_in(customer, password):
    customer.is_active = False
    customer.save()
    assert authenticate(username=customer.email, password=password) is None


def test_missing_credentials_sign_nobody_in(customer):
    assert authenticate(username=customer.username) is None
