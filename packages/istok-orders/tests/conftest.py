import pytest

from istok_core.testing.fixtures import (  # noqa: F401
    default_language_afterwards,
    postgres_only,
    schema,
)
from istok_orders.testing.factories import make_customer, make_order, make_staff


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Each test stores its documents in its own private directory."""
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
    return make_staff(username="manager")


@pytest.fixture
def order(customer):
    return make_order(customer, delivery_address="Nevsky prospekt 1, Saint Petersburg")
