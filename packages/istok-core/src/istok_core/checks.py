"""System checks of istok_core (``manage.py check``).

- ``W001``: :class:`~istok_core.middleware.RejectControlCharactersMiddleware` (or a
  subclass) is not in :setting:`MIDDLEWARE`.
"""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

MIDDLEWARE = "istok_core.middleware.RejectControlCharactersMiddleware"


def _is_control_character_middleware(path):
    from .middleware import RejectControlCharactersMiddleware

    if path == MIDDLEWARE:
        return True
    try:
        middleware = import_string(path)
    except ImportError:
        return False  # Django reports a middleware it cannot import on its own.
    return isinstance(middleware, type) and issubclass(
        middleware, RejectControlCharactersMiddleware
    )


@checks.register(checks.Tags.security)
def check_middleware(app_configs, **kwargs):
    if any(_is_control_character_middleware(path) for path in settings.MIDDLEWARE or ()):
        return []
    return [
        checks.Warning(
            f"{MIDDLEWARE} is not in MIDDLEWARE: a NUL or another control character in an "
            "address reaches the views, and PostgreSQL answers a NUL with an error (a 500).",
            hint=f"Add {MIDDLEWARE!r} to MIDDLEWARE, after "
            "'django.middleware.locale.LocaleMiddleware'.",
            id="istok_core.W001",
        )
    ]
