from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class IstokBookingConfig(AppConfig):
    name = "istok_booking"
    label = "istok_booking"
    verbose_name = _("Appointments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (checks: registers them)
        from .conf import IstokBookingConf  # noqa: F401  (fills in the settings' defaults)

        receivers.connect_users()
        if apps.is_installed("istok_accounts"):
            receivers.connect_accounts()
        if apps.is_installed("istok_orders"):
            receivers.connect_orders()
