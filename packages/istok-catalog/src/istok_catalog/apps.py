from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IstokCatalogConfig(AppConfig):
    name = "istok_catalog"
    label = "istok_catalog"
    verbose_name = _("Catalog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .conf import IstokCatalogConf  # noqa: F401  (fills in the settings' defaults)
        from .receivers import connect

        connect()  # product_changed / product_deleted after the commit
