from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class IstokLoyaltyConfig(AppConfig):
    name = "istok_loyalty"
    label = "istok_loyalty"
    verbose_name = _("Loyalty program")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .conf import IstokLoyaltyConf  # noqa: F401  (fills in the settings' defaults)

        if apps.is_installed("istok_accounts"):
            from . import receivers

            receivers.connect_accounts()
        if apps.is_installed("istok_orders"):
            from . import receivers

            receivers.connect_orders()
