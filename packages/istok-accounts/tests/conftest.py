import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from istok_accounts.testing.factories import DEFAULT_PASSWORD, make_customer


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limits count in the cache: each test starts from zero and leaves nothing
    behind, so no test is limited by another's requests. And a test's request in Russian
    leaves the next test in the default language."""
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()


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
