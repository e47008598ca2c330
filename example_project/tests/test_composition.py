"""The project installs and routes exactly the istok apps that are importable."""

import importlib.util

from django.apps import apps
from django.conf import settings
from django.urls import get_resolver, reverse

from demo.urls import module_exists


def test_every_importable_istok_app_is_installed():
    for app in settings.ISTOK_APPS:
        assert apps.is_installed(app) == (importlib.util.find_spec(app) is not None)
    assert apps.is_installed("istok_accounts")


def test_installed_apps_are_routed_under_their_short_name():
    namespaces = get_resolver().namespace_dict
    for app in settings.INSTALLED_ISTOK_APPS:
        if not module_exists(f"{app}.urls"):
            continue
        prefix, _resolver = namespaces[app]
        assert prefix == app.removeprefix("istok_") + "/"


def test_accounts_pages_live_under_accounts():
    assert reverse("istok_accounts:signup") == "/accounts/signup/"


def test_module_exists_copes_with_a_missing_parent_package():
    assert module_exists("istok_accounts.urls")
    assert not module_exists("istok_absent.api.urls")
