"""Loading an app's adapter (the class a setting names) lazily, with a clear error."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


def load_adapter(setting_name, *, base=None):
    """An instance of the class whose dotted path the setting ``setting_name`` holds
    (``"ISTOK_ORDERS_ADAPTER"``), imported when first asked for, not at start-up.

    ``ImproperlyConfigured`` names the setting when it is missing, the path cannot be
    imported, it is not a class, or (with ``base``) not a subclass of ``base``.
    """
    path = getattr(settings, setting_name, None)
    if not path:
        raise ImproperlyConfigured(f"{setting_name} is not set.")
    try:
        adapter_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"{setting_name}: cannot import {path!r}.") from exc
    if not isinstance(adapter_class, type):
        raise ImproperlyConfigured(f"{setting_name}: {path!r} is not a class.")
    if base is not None and not issubclass(adapter_class, base):
        raise ImproperlyConfigured(
            f"{setting_name}: {path!r} must be a subclass of {base.__module__}.{base.__qualname__}."
        )
    return adapter_class()
