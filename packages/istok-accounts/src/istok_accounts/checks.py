"""System checks of istok_accounts (``manage.py check``)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

BACKEND = "istok_accounts.backends.EmailOrUsernameBackend"


@checks.register(checks.Tags.models)
def check_user_model(app_configs, **kwargs):
    from .models import AbstractIstokUser

    errors = []
    User = get_user_model()
    if not issubclass(User, AbstractIstokUser):
        errors.append(
            checks.Error(
                f"AUTH_USER_MODEL ({settings.AUTH_USER_MODEL}) does not inherit "
                "istok_accounts.models.AbstractIstokUser.",
                hint='Set AUTH_USER_MODEL = "istok_accounts.User", or make your user model '
                "inherit AbstractIstokUser.",
                id="istok_accounts.E001",
            )
        )
        return errors
    for name in settings.ISTOK_ACCOUNTS_COMPLETION_FIELDS:
        try:
            User._meta.get_field(name)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(
                    f"ISTOK_ACCOUNTS_COMPLETION_FIELDS names {name!r}, which is not a field "
                    f"of {User._meta.label}.",
                    id="istok_accounts.E002",
                )
            )
    return errors


@checks.register(checks.Tags.security)
def check_backend(app_configs, **kwargs):
    if BACKEND in settings.AUTHENTICATION_BACKENDS:
        return []
    return [
        checks.Warning(
            "Users cannot sign in with their email address.",
            hint=f'Add "{BACKEND}" to AUTHENTICATION_BACKENDS.',
            id="istok_accounts.W001",
        )
    ]
