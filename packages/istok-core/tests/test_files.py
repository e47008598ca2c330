"""Private files: the storage a setting names, and the download response."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.http import Http404

from istok_core.files import (
    LazyStorage,
    PrivateFileSystemStorage,
    build_storage,
    private_file_response,
)


@pytest.fixture
def private_dir(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def stored(private_dir):
    storage = LazyStorage("TEST_FILES_STORAGE")
    name = storage.save("contracts/договор.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return SimpleNamespace(storage=storage, name=name)


def test_the_default_storage_is_private_and_has_no_url(private_dir):
    storage = build_storage("TEST_FILES_STORAGE")
    assert isinstance(storage, PrivateFileSystemStorage)
    assert storage.location == str(private_dir)
    with pytest.raises(ValueError):
        storage.url("x.pdf")


def test_a_storage_is_named_by_alias_or_dotted_path(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.TEST_FILES_STORAGE = "private"
    assert isinstance(build_storage("TEST_FILES_STORAGE"), InMemoryStorage)
    settings.TEST_FILES_STORAGE = "django.core.files.storage.InMemoryStorage"
    assert isinstance(build_storage("TEST_FILES_STORAGE"), InMemoryStorage)


@pytest.mark.parametrize("value", ["no.such.Storage", 42])
def test_a_bad_storage_setting_names_the_setting(settings, value):
    settings.TEST_FILES_STORAGE = value
    with pytest.raises(ImproperlyConfigured) as caught:
        build_storage("TEST_FILES_STORAGE")
    assert "TEST_FILES_STORAGE" in str(caught.value)


def test_the_lazy_storage_follows_a_changed_setting(settings, stored):
    assert stored.storage.exists(stored.name)
    settings.TEST_FILES_STORAGE = "django.core.files.storage.InMemoryStorage"
    assert not stored.storage.exists(stored.name)


def test_django_streams_the_file_with_safe_headers(stored):
    response = private_file_response(
        stored, filename="Договор №1.pdf", content_type="application/pdf"
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # RFC 6266: an ASCII fallback is not required, the UTF-8 name is percent-encoded.
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80" in disposition


def test_inline_is_possible(stored):
    response = private_file_response(
        stored, filename="photo.png", content_type="image/png", as_attachment=False
    )
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'


def test_nginx_sends_the_file(settings, stored):
    settings.ISTOK_PRIVATE_FILES_SERVER = "nginx"
    settings.ISTOK_PRIVATE_FILES_INTERNAL_URL = "/protected/"
    response = private_file_response(stored, filename="a.pdf", content_type="application/pdf")
    assert response.content == b""
    assert response["X-Accel-Redirect"] == (
        "/protected/contracts/%D0%B4%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_apache_sends_the_file(settings, stored):
    settings.ISTOK_PRIVATE_FILES_SERVER = "apache"
    name = stored.storage.save("contracts/2026-1.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    plain = SimpleNamespace(storage=stored.storage, name=name)
    response = private_file_response(plain, filename="a.pdf", content_type="application/pdf")
    assert response["X-Sendfile"] == stored.storage.path(name)
    assert response.content == b""
    # A path a header cannot carry as it is: Django streams the file instead.
    response = private_file_response(stored, filename="a.pdf", content_type="application/pdf")
    assert "X-Sendfile" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("server", [None, "nginx", "apache"])
def test_a_missing_file_is_404(settings, stored, server):
    settings.ISTOK_PRIVATE_FILES_SERVER = server
    stored.storage.delete(stored.name)
    with pytest.raises(Http404):
        private_file_response(stored, filename="a.pdf", content_type="application/pdf")


def test_an_unknown_server_is_a_configuration_error(settings, stored):
    settings.ISTOK_PRIVATE_FILES_SERVER = "iis"
    with pytest.raises(ImproperlyConfigured):
        private_file_response(stored, filename="a.pdf", content_type="application/pdf")
