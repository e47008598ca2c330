from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.core.cache import cache

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues():
    """Build the project's .mo files from their .po files when missing or older.

    The compiled catalogues are not in git; this lets a fresh clone's tests see Russian.
    Returns whether anything was compiled.
    """
    compiled = False
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        compiled = True
    return compiled


def pytest_configure(config):
    if compile_catalogues():
        # pytest-django has set Django up already, which loaded the catalogues: have them
        # read again, the way override_settings(LOCALE_PATHS=...) does.
        import django.test.signals  # noqa: F401  (connects the receiver that resets them)
        from django.conf import settings
        from django.core.signals import setting_changed

        setting_changed.send(
            sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limits and DRF's throttles count in the cache: each test starts from zero
    and leaves nothing behind, so no test is throttled by another's requests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def file_roots(settings, tmp_path):
    """Uploads (catalog pictures) and private order documents go to a temporary directory,
    not to the project's media/ and private/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings


@pytest.fixture
def customer(db):
    from istok_accounts import services

    return services.sign_up(
        username="olga",
        email="olga@example.com",
        password="a-long-secret-42",
        personal_data_consent=True,
        first_name="Ольга",
    )


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client
