"""The app without its optional parts, and the API's OpenAPI description."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

WITHOUT_DRF = textwrap.dedent(
    """
    import sys
    sys.modules["rest_framework"] = None  # as if djangorestframework were not installed
    import django
    from django.conf import settings
    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
            "django.contrib.sessions", "django.contrib.messages", "polymorphic",
            "django_filters", "istok_catalog",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        ROOT_URLCONF="istok_catalog.urls",
        SECRET_KEY="x",
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        TEMPLATES=[{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]},
        }],
    )
    django.setup()
    import istok_catalog.admin, istok_catalog.views, istok_catalog.urls, istok_catalog.selectors
    from django.core.management import call_command
    call_command("check", fail_level="ERROR")
    try:
        import istok_catalog.api.views
    except ImportError:
        print("api-refused")
    """
)


def test_the_app_works_without_djangorestframework():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DRF], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "api-refused" in result.stdout


def test_the_api_has_a_clean_openapi_description(capsys):
    pytest.importorskip("drf_spectacular")
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/catalog/products/" in schema["paths"]
    assert "/api/catalog/facets/" in schema["paths"]
    parameters = {
        p["name"] for p in schema["paths"]["/api/catalog/products/"]["get"]["parameters"]
    }
    assert {"category", "price_min", "q", "ordering", "page", "page_size"} <= parameters
    assert "CatalogProduct" in schema["components"]["schemas"]
    assert "Warning" not in capsys.readouterr().err
