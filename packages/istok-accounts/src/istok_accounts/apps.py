from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IstokAccountsConfig(AppConfig):
    name = "istok_accounts"
    label = "istok_accounts"
    verbose_name = _("Customer accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .conf import IstokAccountsConf  # noqa: F401  (fills in the settings' defaults)
