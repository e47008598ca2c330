import pytest
from django.core.cache import cache

from istok_booking.testing.factories import make_customer, make_staff
from istok_core.testing.fixtures import (  # noqa: F401
    default_language_afterwards,
    postgres_only,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def customer(db):
    return make_customer(first_name="Anna", last_name="Smirnova")


@pytest.fixture
def other_customer(db):
    return make_customer(first_name="Boris")


@pytest.fixture
def staff(db):
    return make_staff(username="manager")
