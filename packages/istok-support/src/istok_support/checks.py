"""System checks of istok_support (``manage.py check``).

- ``E001``: ``ISTOK_SUPPORT_ADAPTER`` cannot be imported or is not an adapter class.
- ``E002``: the flow is not a dict or lacks one of its texts.
- ``E003``: a branch of the flow is malformed (no code, a code used twice, no label or
  answer).
- ``E004``: a branch names an action the bot does not know.
- ``E005``: a number setting (message length, rate limit, attachment size) is not a
  whole number of at least 1.
- ``E006``: ``ISTOK_SUPPORT_ATTACHMENT_STORAGE`` names nothing usable.
- ``W001``: attachments are stored under ``MEDIA_ROOT`` or ``STATIC_ROOT``.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .flow import flow_problems


def _error(message, number, hint=None):
    return checks.Error(message, hint=hint, id=f"istok_support.{number}")


@checks.register()
def check_adapter_and_flow(app_configs, **kwargs):
    from .adapter import DefaultSupportAdapter

    try:
        from istok_core.adapters import load_adapter

        adapter = load_adapter("ISTOK_SUPPORT_ADAPTER", base=DefaultSupportAdapter)
    except ImproperlyConfigured as exc:
        return [_error(str(exc), "E001")]
    try:
        data = adapter.get_flow_data()
    except Exception as exc:  # the project's code: report it, do not crash the check
        return [_error(f"The adapter's get_flow_data() failed: {exc!r}.", "E002")]
    return [_error(message, number) for message, number in flow_problems(data)]


@checks.register()
def check_numbers(app_configs, **kwargs):
    errors = []
    for name, allow_none in (
        ("MAX_MESSAGE_LENGTH", False),
        ("RATE_LIMIT", True),
        ("ATTACHMENT_MAX_SIZE", False),
        ("BOT_ORDERS_LIMIT", False),
    ):
        value = getattr(settings, f"ISTOK_SUPPORT_{name}")
        if allow_none and not value:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(
                _error(
                    f"ISTOK_SUPPORT_{name} is {value!r}: use a whole number of at least 1"
                    + (" (or None: no limit)." if allow_none else "."),
                    "E005",
                )
            )
    return errors


def _inside(path, root):
    try:
        path.resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True


@checks.register(checks.Tags.security)
def check_attachment_storage(app_configs, **kwargs):
    from .storage import FileSystemStorage, build_backend

    try:
        backend = build_backend()
    except ImproperlyConfigured as exc:
        return [_error(str(exc), "E006")]
    if not isinstance(backend, FileSystemStorage):
        return []
    location = Path(backend.location)
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        root = getattr(settings, name, None)
        if root and _inside(location, root):
            return [
                checks.Warning(
                    f"Chat attachments are stored in {location}, under {name}: the web "
                    "server may serve them to anybody.",
                    hint="Set PRIVATE_MEDIA_ROOT to a directory outside MEDIA_ROOT and "
                    "STATIC_ROOT.",
                    id="istok_support.W001",
                )
            ]
    return []
