from django.core import checks
from django.test import override_settings

from istok_catalog.checks import check_facets_cache, check_installed_apps, check_settings


def ids(messages):
    return [message.id for message in messages]


def test_default_settings_pass():
    assert check_settings(None) == []
    assert check_installed_apps(None) == []
    assert check_facets_cache(None) == []


def test_a_facets_cache_not_in_caches_is_an_error(settings):
    settings.ISTOK_CATALOG_FACETS_CACHE = "redis"
    assert ids(check_facets_cache(None)) == ["istok_catalog.E004"]


def test_a_per_process_facets_cache_is_a_warning_and_a_shared_one_passes(settings):
    settings.ISTOK_CATALOG_FACETS_CACHE = "default"  # LocMemCache in the tests
    assert ids(check_facets_cache(None)) == ["istok_catalog.W002"]
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        },
    }
    settings.ISTOK_CATALOG_FACETS_CACHE = "shared"
    assert check_facets_cache(None) == []


def test_page_size_above_the_cap_is_an_error(settings):
    settings.ISTOK_CATALOG_PAGE_SIZE = 500
    assert ids(check_settings(None)) == ["istok_catalog.E002"]


def test_a_malformed_image_size_is_an_error(settings):
    settings.ISTOK_CATALOG_THUMBNAIL_SIZE = 300
    assert ids(check_settings(None)) == ["istok_catalog.E003"]


def test_missing_polymorphic_and_django_filters_are_reported():
    from django.conf import settings

    apps_without = [
        app for app in settings.INSTALLED_APPS if app not in ("polymorphic", "django_filters")
    ]
    with override_settings(INSTALLED_APPS=apps_without):
        messages = check_installed_apps(None)
    assert ids(messages) == ["istok_catalog.E001", "istok_catalog.W001"]
    assert isinstance(messages[0], checks.Error)
