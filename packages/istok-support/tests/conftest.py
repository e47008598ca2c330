import pytest
from django.core.cache import cache

from istok_core.testing.fixtures import (  # noqa: F401
    default_language_afterwards,
    postgres_only,
    schema,
)
from istok_support.testing.factories import make_customer, make_staff


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limit counts in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Each test stores its attachments in its own private directory."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def customer(db):
    return make_customer(first_name="Anna", last_name="Smirnova")


@pytest.fixture
def other_customer(db):
    return make_customer(first_name="Boris")


@pytest.fixture
def staff(db):
    return make_staff(username="manager", first_name="Olga")


@pytest.fixture
def other_staff(db):
    return make_staff(username="manager2", first_name="Pavel")
