"""Seed the rooms the business named, in the site's language; the admin edits them later."""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ROOMS = [
    ("kitchen", _("Kitchen")),
    ("corridor", _("Corridor")),
    ("hallway", _("Hallway")),
    ("bathroom", _("Bathroom")),
    ("kids-room", _("Kids' room")),
    ("bedroom", _("Bedroom")),
    ("living-room", _("Living room")),
    ("dining-room", _("Dining room")),
    ("study", _("Study")),
]


def seed_rooms(apps, schema_editor):
    Room = apps.get_model("istok_accounts", "Room")
    with translation.override(settings.LANGUAGE_CODE):
        for position, (slug, name) in enumerate(ROOMS):
            Room.objects.using(schema_editor.connection.alias).get_or_create(
                slug=slug, defaults={"name": str(name), "position": position * 10}
            )


def remove_rooms(apps, schema_editor):
    Room = apps.get_model("istok_accounts", "Room")
    slugs = [slug for slug, _name in ROOMS]
    Room.objects.using(schema_editor.connection.alias).filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("istok_accounts", "0001_initial")]

    operations = [migrations.RunPython(seed_rooms, remove_rooms)]
