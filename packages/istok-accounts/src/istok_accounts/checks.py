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


def _needs_user_model(migration, migrations, seen=()):
    """Whether an istok_accounts ``migration`` (or one it needs) depends on AUTH_USER_MODEL."""
    for dependency in migration.dependencies:
        # swappable_dependency(settings.AUTH_USER_MODEL) keeps the model's label.
        if getattr(dependency, "setting", None) == settings.AUTH_USER_MODEL:
            return True
        if dependency[0] == "istok_accounts" and dependency not in seen:
            before = migrations.get(dependency)
            if before and _needs_user_model(before, migrations, (*seen, dependency)):
                return True
    return False


@checks.register(checks.Tags.models)
def check_user_model_migrations(app_configs, **kwargs):
    """A project's own user model whose migration depends on an istok_accounts migration that
    itself needs the user model (consents, sessions): makemigrations writes that, and
    ``migrate`` would fail with a CircularDependencyError. Say which line to change."""
    from django.db.migrations.exceptions import CircularDependencyError
    from django.db.migrations.loader import MigrationLoader

    user_app = settings.AUTH_USER_MODEL.split(".")[0]
    if user_app == "istok_accounts":
        return []
    loader = MigrationLoader(None, load=False)
    try:
        loader.build_graph()
    except CircularDependencyError:
        pass
    except Exception:  # other migration problems are migrate's to report
        return []
    else:
        return []
    ours = {key: m for key, m in loader.disk_migrations.items() if key[0] == "istok_accounts"}
    safe = sorted(key[1] for key, m in ours.items() if not _needs_user_model(m, ours))
    errors = []
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        if app_label != user_app:
            continue
        for dependency in migration.dependencies:
            if dependency in ours and _needs_user_model(ours[dependency], ours):
                path = migration.__module__.replace(".", "/") + ".py"
                errors.append(
                    checks.Error(
                        f"{path} depends on {tuple(dependency)!r}, which needs the user "
                        "model itself: migrate would fail with a CircularDependencyError.",
                        hint=f"In {path}, replace {tuple(dependency)!r} in dependencies by "
                        f'("istok_accounts", "{safe[-1]}"): the user model needs only the '
                        "rooms. makemigrations names istok_accounts' last migration; this is "
                        "the one edit an own user model needs (istok-accounts' README).",
                        id="istok_accounts.E003",
                    )
                )
    return errors
