import pytest
from django.db import connection
from rest_framework.test import APIClient

from istok_core.testing.fixtures import default_language_afterwards, schema  # noqa: F401

from .catalog_data import build_catalog


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test stores uploads in a directory of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def stored_files(media):
    def files():
        return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())

    return files


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def catalog():
    """The small catalog of ``catalog_data`` (seven published products, one hidden)."""
    return build_catalog()
