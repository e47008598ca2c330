import pytest
from django.core import checks

from istok_accounts.checks import check_backend, check_user_model


def ids(messages):
    return [m.id for m in messages]


def test_default_configuration_passes():
    assert check_user_model(None) == []
    assert check_backend(None) == []


def test_unknown_completion_field_is_an_error(settings):
    settings.ISTOK_ACCOUNTS_COMPLETION_FIELDS = ["first_name", "shoe_size"]
    assert ids(check_user_model(None)) == ["istok_accounts.E002"]


def test_missing_backend_is_a_warning(settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert ids(check_backend(None)) == ["istok_accounts.W001"]


def test_user_model_without_the_abstract_base_is_an_error(monkeypatch):
    from django.contrib.auth.models import AbstractUser

    class Plain(AbstractUser):
        class Meta:
            app_label = "istok_accounts"
            abstract = True

    monkeypatch.setattr("istok_accounts.checks.get_user_model", lambda: Plain)
    assert ids(check_user_model(None)) == ["istok_accounts.E001"]


@pytest.mark.django_db
def test_project_checks_pass():
    errors = [m for m in checks.run_checks() if m.level >= checks.WARNING]
    assert errors == []
