"""Exceptions shared by the istok apps.

``AppNotInstalled``: a service of one istok app needs another, optional one that is not in
``INSTALLED_APPS`` (istok-loyalty's ``pay_order_with_points`` and ``apply_promotion``
without istok-orders, say). It is an ``ImproperlyConfigured``: the project's configuration,
not the caller's input, is at fault, and code that already catches that keeps working.
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


class AppNotInstalled(ImproperlyConfigured):
    """``needed_by`` needs the app ``app_label``, which is not in ``INSTALLED_APPS``."""

    def __init__(self, app_label, needed_by):
        self.app_label = app_label
        self.needed_by = needed_by
        super().__init__(f"{needed_by} needs {app_label} in INSTALLED_APPS.")


def require_app(app_label, needed_by):
    """Raise :class:`AppNotInstalled` unless ``app_label`` is installed."""
    if not apps.is_installed(app_label):
        raise AppNotInstalled(app_label, needed_by)
