import pytest
from django.core import checks

from istok_core.checks import check_middleware
from istok_core.middleware import RejectControlCharactersMiddleware

MIDDLEWARE = "istok_core.middleware.RejectControlCharactersMiddleware"


class OwnMiddleware(RejectControlCharactersMiddleware):
    pass


@pytest.mark.django_db
def test_project_checks_pass():
    problems = [m for m in checks.run_checks() if m.level >= checks.WARNING]
    assert problems == []


def test_a_project_without_the_middleware_is_warned(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]

    (warning,) = check_middleware(None)

    assert warning.id == "istok_core.W001"
    assert warning.level == checks.WARNING
    assert MIDDLEWARE in warning.hint


def test_the_warning_is_among_the_projects_checks(settings):
    settings.MIDDLEWARE = []

    ids = [m.id for m in checks.run_checks(tags=[checks.Tags.security])]

    assert "istok_core.W001" in ids


def test_a_subclass_of_the_middleware_counts(settings):
    settings.MIDDLEWARE = [
        "django.middleware.common.CommonMiddleware",
        "no.such.Middleware",
        f"{__name__}.OwnMiddleware",
    ]

    assert check_middleware(None) == []
