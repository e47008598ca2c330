"""pytest fixtures for the istok apps' suites: import them into a ``conftest.py``
(``from istok_core.testing.fixtures import postgres_only``)."""

import pytest
from django.utils import translation

from . import skip_unless_postgres


@pytest.fixture
def postgres_only():
    """Skip the test unless the database is PostgreSQL."""
    skip_unless_postgres()


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request in Russian leaves Russian active in this thread: not for the next test.
    (Autouse where it is imported.)"""
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def schema():
    """The project's OpenAPI schema as drf-spectacular generates it (needs it installed)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)
