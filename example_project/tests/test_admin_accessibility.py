"""The admin's pages as a screen reader and a strict browser meet them: the istok admin
stylesheet on every admin page, Django's Group permissions as named checkboxes, and inline
style attributes (written by Django's admin scripts) allowed on the admin only."""

import pytest
from django.contrib.auth import get_user_model

STYLESHEET = "istok_core/admin/accessible.css"


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("boss", password="x-42-long"))
    return client


def directives(response):
    return {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.mark.parametrize("url", ["/admin/", "/admin/password_change/", "/admin/auth/"])
def test_every_admin_page_loads_the_stylesheet_and_keeps_the_sites_name(admin_client, url):
    html = admin_client.get(url).content.decode()
    assert STYLESHEET in html
    assert "ISTOK</a>" in html  # admin.site.site_header, as demo/urls.py sets it


def test_a_groups_permissions_are_checkboxes_each_with_a_label(admin_client):
    html = admin_client.get("/admin/auth/group/add/").content.decode()
    assert 'type="checkbox" name="permissions"' in html
    assert "SelectFilter2.js" not in html  # filter_horizontal's script


def test_the_admin_allows_inline_style_attributes_and_nothing_more(admin_client):
    admin_policy = directives(admin_client.get("/admin/"))
    assert admin_policy["style-src-attr"] == ["'unsafe-inline'"]
    assert "'unsafe-inline'" not in admin_policy["style-src"]
    assert "'unsafe-inline'" not in admin_policy["script-src"]
    assert "style-src-attr" not in directives(admin_client.get("/"))
