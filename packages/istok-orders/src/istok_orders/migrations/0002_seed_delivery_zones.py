"""Seed the delivery zones of the seed, in the site's language; the admin edits them later.

Within the ring road (KAD) delivery is free; beyond it, paid zones by distance. The costs
are a starting point for the business to change.
"""

from decimal import Decimal

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ZONES = [
    ("kad", _("Within the ring road (KAD)"), Decimal("0.00")),
    ("kad-30", _("Up to 30 km beyond the ring road"), Decimal("1500.00")),
    ("kad-60", _("30 to 60 km beyond the ring road"), Decimal("3000.00")),
    ("region", _("Further than 60 km beyond the ring road"), Decimal("5000.00")),
]


def seed_zones(apps, schema_editor):
    DeliveryZone = apps.get_model("istok_orders", "DeliveryZone")
    with translation.override(settings.LANGUAGE_CODE):
        for position, (code, name, cost) in enumerate(ZONES):
            DeliveryZone.objects.using(schema_editor.connection.alias).get_or_create(
                code=code, defaults={"name": str(name), "cost": cost, "position": position * 10}
            )


def remove_zones(apps, schema_editor):
    DeliveryZone = apps.get_model("istok_orders", "DeliveryZone")
    codes = [code for code, _name, _cost in ZONES]
    DeliveryZone.objects.using(schema_editor.connection.alias).filter(
        code__in=codes, orders__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("istok_orders", "0001_initial")]

    operations = [migrations.RunPython(seed_zones, remove_zones)]
