"""Seed the catalog taxonomy with the Russian market's usual values, in the site's language.

The admin edits them later; removing this migration's rows on the way back only removes
the rows it added.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TAXONOMY = {
    "Category": [
        ("kitchen", _("Kitchen")),
        ("wardrobe", _("Wardrobe")),
        ("hallway", _("Hallway")),
        ("dresser", _("Chest of drawers")),
        ("shelving", _("Shelving unit")),
        ("kids-furniture", _("Kids' furniture")),
        ("bathroom-furniture", _("Bathroom furniture")),
        ("living-room", _("Living room furniture")),
    ],
    "Purpose": [
        # A context of its own: the admin's "Home" (the breadcrumb) would win otherwise.
        ("home", pgettext_lazy("purpose of a piece of furniture", "Home")),
        ("office", _("Office")),
        ("kids-room", _("Kids' room")),
    ],
    "Shape": [
        ("straight", _("Straight")),
        ("corner", _("L-shaped (corner)")),
        ("u-shaped", _("U-shaped")),
        ("island", _("Island")),
        ("radius", _("Radius")),
    ],
    "FacadeMaterial": [
        ("mdf-enamel", _("MDF, enamel")),
        ("mdf-film", _("MDF, PVC film")),
        ("plastic", _("Plastic (HPL, acrylic)")),
        ("solid-wood", _("Solid wood")),
        ("veneer", _("Veneer")),
        ("ldsp", _("Laminated chipboard (LDSP)")),
        ("glass", _("Glass")),
    ],
    "CountertopMaterial": [
        ("postforming", _("Laminated chipboard (postforming)")),
        ("compact", _("Compact laminate")),
        ("acrylic-stone", _("Acrylic stone")),
        ("quartz", _("Quartz agglomerate")),
        ("natural-stone", _("Natural stone")),
        ("solid-wood", _("Solid wood")),
    ],
}


def seed_taxonomy(apps, schema_editor):
    alias = schema_editor.connection.alias
    with translation.override(settings.LANGUAGE_CODE):
        for model_name, terms in TAXONOMY.items():
            model = apps.get_model("istok_catalog", model_name)
            for position, (slug, name) in enumerate(terms):
                model.objects.using(alias).get_or_create(
                    slug=slug, defaults={"name": str(name), "position": position * 10}
                )


def remove_taxonomy(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name, terms in TAXONOMY.items():
        model = apps.get_model("istok_catalog", model_name)
        model.objects.using(alias).filter(slug__in=[slug for slug, _name in terms]).delete()


class Migration(migrations.Migration):
    dependencies = [("istok_catalog", "0001_initial")]

    operations = [migrations.RunPython(seed_taxonomy, remove_taxonomy)]
