"""System checks of istok_catalog (``manage.py check``)."""

from django.apps import apps
from django.conf import settings
from django.core import checks


@checks.register()
def check_installed_apps(app_configs, **kwargs):
    errors = []
    if not apps.is_installed("polymorphic"):
        errors.append(
            checks.Error(
                'istok_catalog needs "polymorphic" in INSTALLED_APPS (its admin templates).',
                hint='Add "polymorphic" to INSTALLED_APPS.',
                id="istok_catalog.E001",
            )
        )
    if not apps.is_installed("django_filters"):
        errors.append(
            checks.Warning(
                '"django_filters" is not in INSTALLED_APPS: the API\'s browsable filter form '
                "and django-filter's translations are missing.",
                hint='Add "django_filters" to INSTALLED_APPS.',
                id="istok_catalog.W001",
            )
        )
    return errors


def _is_size(value):
    return (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(n, int) and n > 0 for n in value)
    )


@checks.register()
def check_settings(app_configs, **kwargs):
    errors = []
    page_size = settings.ISTOK_CATALOG_PAGE_SIZE
    max_page_size = settings.ISTOK_CATALOG_MAX_PAGE_SIZE
    if not (isinstance(page_size, int) and isinstance(max_page_size, int)) or not (
        0 < page_size <= max_page_size
    ):
        errors.append(
            checks.Error(
                "ISTOK_CATALOG_PAGE_SIZE must be a positive integer no larger than "
                "ISTOK_CATALOG_MAX_PAGE_SIZE.",
                id="istok_catalog.E002",
            )
        )
    for name in ("IMAGE_MAX_SIZE", "THUMBNAIL_SIZE"):
        if not _is_size(getattr(settings, f"ISTOK_CATALOG_{name}")):
            errors.append(
                checks.Error(
                    f"ISTOK_CATALOG_{name} must be a (width, height) pair of positive integers.",
                    id="istok_catalog.E003",
                )
            )
    return errors


#: Cache backends that keep their entries in one process: another process would go on
#: using counts that a change made elsewhere has retired.
_PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches)
def check_facets_cache(app_configs, **kwargs):
    alias = settings.ISTOK_CATALOG_FACETS_CACHE
    if not alias:
        return []
    if alias not in settings.CACHES:
        return [
            checks.Error(
                f"ISTOK_CATALOG_FACETS_CACHE names the cache {alias!r}, which is not in CACHES.",
                hint="Name a cache of CACHES, or set ISTOK_CATALOG_FACETS_CACHE = None.",
                id="istok_catalog.E004",
            )
        ]
    if settings.CACHES[alias].get("BACKEND") in _PER_PROCESS_CACHES:
        return [
            checks.Warning(
                f"ISTOK_CATALOG_FACETS_CACHE uses the per-process cache {alias!r}: with "
                "several processes, one keeps showing counts another has changed.",
                hint="Use a cache all processes share (Redis, Memcached), or None.",
                id="istok_catalog.W002",
            )
        ]
    return []
