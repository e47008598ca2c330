from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IstokCoreConfig(AppConfig):
    name = "istok_core"
    label = "istok_core"
    verbose_name = _("ISTOK core")

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
