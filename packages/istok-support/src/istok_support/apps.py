from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IstokSupportConfig(AppConfig):
    name = "istok_support"
    label = "istok_support"
    verbose_name = _("Support")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, storage  # noqa: F401  (registers the checks, the setting resets)
        from .conf import IstokSupportConf  # noqa: F401  (fills in the settings' defaults)
        from .receivers import connect

        connect()
