"""The project installs and routes exactly the istok apps that are importable."""

import importlib.util

from django.apps import apps
from django.conf import settings
from django.urls import get_resolver, reverse

from demo.urls import module_exists


def test_every_importable_istok_app_is_installed():
    for app in settings.ISTOK_APPS:
        needed = [app, *settings.ISTOK_APP_DEPENDENCIES.get(app, [])]
        importable = all(importlib.util.find_spec(name) is not None for name in needed)
        assert apps.is_installed(app) == importable
    assert apps.is_installed("istok_accounts")


def test_an_app_brings_the_istok_apps_it_needs_or_stays_out(monkeypatch):
    from demo.settings import _composed_istok_apps

    wanted = ["istok_accounts", "istok_orders"]
    if all(importlib.util.find_spec(app) for app in ("istok_catalog", "istok_orders")):
        assert _composed_istok_apps(wanted) == ["istok_accounts", "istok_catalog", "istok_orders"]
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "istok_catalog" else find_spec(name, *args),
    )
    assert _composed_istok_apps(wanted) == ["istok_accounts"]


def test_orders_come_after_the_catalog():
    if apps.is_installed("istok_orders"):
        installed = list(settings.INSTALLED_APPS)
        assert installed.index("istok_catalog") < installed.index("istok_orders")


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
