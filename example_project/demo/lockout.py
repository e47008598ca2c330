"""django-axes as the admin shows it to a manager (its own name is "Axes").

In a module of its own: in demo/apps.py it would be a second AppConfig, and Django would
then no longer take DemoConfig for the "demo" app.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes under the name "Попытки входа"."""

    verbose_name = _("Sign-in attempts")
