"""pytest fixtures for the istok apps' suites: import them into a ``conftest.py``
(``from istok_core.testing.fixtures import postgres_only``)."""

import pytest

from . import skip_unless_postgres


@pytest.fixture
def postgres_only():
    """Skip the test unless the database is PostgreSQL."""
    skip_unless_postgres()
