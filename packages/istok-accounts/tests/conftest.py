import pytest
from django.db import connection

from istok_accounts.testing.factories import DEFAULT_PASSWORD, make_customer


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def customer(db):
    return make_customer(first_name="Anna", last_name="Smirnova")


@pytest.fixture
def other_customer(db):
    return make_customer(first_name="Boris")


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and real concurrent transactions)")
