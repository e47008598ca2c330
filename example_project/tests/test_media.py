"""Uploaded files are served under MEDIA_URL by runserver (DEBUG) and never otherwise."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import clear_url_caches

import demo.urls


def reload_urls():
    importlib.reload(demo.urls)
    clear_url_caches()


@pytest.fixture
def debug_urls(settings):
    """The URLconf as runserver builds it with DEBUG on (the test runner turns it off)."""
    settings.DEBUG = True
    reload_urls()
    yield
    settings.DEBUG = False
    reload_urls()


def test_media_is_served_in_debug(debug_urls, settings, client):
    media = settings.MEDIA_ROOT / "uploads"
    media.mkdir(parents=True)
    (media / "hello.txt").write_text("hello")
    response = client.get("/media/uploads/hello.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    assert client.get("/media/uploads/missing.txt").status_code == 404


def test_media_is_not_served_without_debug(settings, client):
    reload_urls()
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True)
    (media / "hello.txt").write_text("hello")
    assert client.get("/media/hello.txt").status_code == 404


def test_private_documents_are_outside_media(settings):
    from pathlib import Path

    from demo import settings as project

    assert not Path(project.PRIVATE_MEDIA_ROOT).is_relative_to(project.MEDIA_ROOT)


@pytest.mark.django_db
def test_catalog_pictures_show_in_debug(debug_urls, client):
    if not apps.is_installed("istok_catalog"):
        pytest.skip("istok_catalog is not composed")
    call_command("istok_catalog_demo", products=4, services=0, seed=1, stdout=StringIO())
    html = client.get("/catalog/").content.decode()
    thumbnails = [part.split('"', 1)[0] for part in html.split('src="/media/')[1:]]
    assert thumbnails, "no picture on the catalog page"
    for name in thumbnails:
        response = client.get(f"/media/{name}")
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("image/")
