import pytest
from django.core.cache import cache

from istok_core.testing.fixtures import (  # noqa: F401
    default_language_afterwards,
    postgres_only,
    schema,
)
from istok_loyalty.testing.factories import make_customer, make_staff


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limits count in the cache: each test starts from zero and leaves nothing
    behind, so no test is limited by another's requests."""
    cache.clear()
    yield
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
