from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class IstokOrdersConfig(AppConfig):
    name = "istok_orders"
    label = "istok_orders"
    verbose_name = _("Orders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, storage  # noqa: F401  (registers the checks, the setting resets)
        from .conf import IstokOrdersConf  # noqa: F401  (fills in the settings' defaults)

        if apps.is_installed("istok_accounts"):
            from . import receivers

            receivers.connect_accounts()
