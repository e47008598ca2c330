import pytest
from django.core.cache import cache
from django.utils import translation

from istok_accounts.testing.factories import DEFAULT_PASSWORD, make_customer
from istok_core.testing.fixtures import postgres_only  # noqa: F401


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
