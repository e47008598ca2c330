from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Holds the project's own bits: ``load_demo``, the navigation and their translations."""

    name = "demo"
    label = "demo"
    verbose_name = _("ISTOK demo")
    default_auto_field = "django.db.models.BigAutoField"
