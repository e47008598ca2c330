from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IstokSupportConfig(AppConfig):
    name = "istok_support"
    label = "istok_support"
    verbose_name = _("Support")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # checks: registers the system checks; storage: resets on a setting's change.
        from . import checks, realtime, receivers, storage  # noqa: F401
        from .conf import IstokSupportConf  # noqa: F401  (fills in the settings' defaults)

        receivers.connect()
        realtime.connect()
