"""Email settings: MAILERS on Django 6.1 and later, EMAIL_BACKEND before, never both."""

import django
import pytest
from django.core.management.utils import get_random_secret_key

from demo import settings as project
from tests.test_deploy import manage

HAS_MAILERS = django.VERSION >= (6, 1)
SHOW_MAILER = """
from django.core import mail
if hasattr(mail, "mailers"):
    backend = mail.mailers["default"]
else:
    backend = mail.get_connection()
fields = ("host", "port", "username", "use_tls")
print("|".join(str(value) for value in (
    type(backend).__module__, *(getattr(backend, field, "-") for field in fields)
)))
"""


def test_development_settings_use_the_console():
    if HAS_MAILERS:
        assert project.MAILERS == {
            "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        }
        assert not hasattr(project, "EMAIL_BACKEND")
    else:
        assert project.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
        assert not hasattr(project, "MAILERS")


def run_shell(code, **env):
    return manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        "--settings=demo.settings_production",
        DJANGO_SECRET_KEY=get_random_secret_key(),
        DJANGO_ALLOWED_HOSTS="example.com",
        # Django's deprecations of the next versions are PendingDeprecationWarnings.
        PYTHONWARNINGS="error::DeprecationWarning,error::PendingDeprecationWarning",
        **env,
    )


@pytest.mark.parametrize(
    "env,expected",
    [
        (
            {
                "DJANGO_EMAIL_HOST": "smtp.example.com",
                "DJANGO_EMAIL_USER": "shop",
                "DJANGO_EMAIL_PASSWORD": "secret",
            },
            "smtp.example.com|587|shop|True",
        ),
        (
            {"DJANGO_EMAIL_HOST": "smtp.example.com", "DJANGO_EMAIL_PORT": "2525"},
            "smtp.example.com|2525||True",
        ),
        # No host given: a mail server on the machine, never the console.
        ({"DJANGO_EMAIL_HOST": None}, "localhost|25||False"),
    ],
)
def test_production_sends_by_smtp_without_deprecation_warnings(env, expected):
    result = run_shell(SHOW_MAILER, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"django.core.mail.backends.smtp|{expected}"


def test_managers_get_the_overdue_orders_list():
    from django.conf import settings

    assert settings.MANAGERS
    if django.VERSION >= (6, 0):
        assert all(isinstance(address, str) for address in settings.MANAGERS)
