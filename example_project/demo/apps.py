from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Holds the project's own bits: ``load_demo``, the navigation, the home page, the
    message after signing out (``receivers``) and their translations."""

    name = "demo"
    label = "demo"
    verbose_name = _("ISTOK demo")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from . import receivers

        user_logged_out.connect(receivers.say_goodbye, dispatch_uid="demo.say_goodbye")
