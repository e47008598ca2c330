import pytest
from django.db import connection

from istok_loyalty.testing.factories import make_customer, make_staff


@pytest.fixture
def customer(db):
    return make_customer(first_name="Anna", last_name="Smirnova")


@pytest.fixture
def other_customer(db):
    return make_customer(first_name="Boris")


@pytest.fixture
def staff(db):
    return make_staff(username="manager")


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and real concurrent transactions)")
