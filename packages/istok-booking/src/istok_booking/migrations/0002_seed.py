"""Seed the lookup tables with the seed's values, in the site's language: the purposes of
a visit, the kinds of visit, the messengers, and the showroom's working hours. The admin
edits them later."""

from datetime import time

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext_lazy as _

PURPOSES = [
    ("kitchen", _("Kitchen")),
    ("wardrobe", _("Wardrobe")),
    ("hallway", _("Hallway")),
    ("dressing_room", _("Dressing room")),
    ("bathroom", _("Bathroom furniture")),
    ("kids_room", _("Kids' room furniture")),
    ("living_room", _("Living-room furniture")),
    ("complex", _("Complex order")),
]

# code, name, location, minutes, needs confirmation, at home, visits at a time
KINDS = [
    ("showroom", _("Consultation in the showroom"), _("Showroom"), 60, True, False, 2),
    ("video", _("Video call"), _("Video call (the link comes by email)"), 30, False, False, 2),
    ("measurement", _("Measurement at your home"), _("At your home"), 90, True, True, 1),
]

NETWORKS = [
    ("telegram", "Telegram", "username"),
    ("whatsapp", "WhatsApp", "phone"),
    ("vk", _("VK"), "link"),
    ("max", "MAX", "phone"),
]

# Monday to Friday 10:00–19:00, Saturday 11:00–17:00, Sunday closed.
HOURS = [(day, time(10), time(19)) for day in range(5)] + [(5, time(11), time(17))]


def seed(apps, schema_editor):
    db = schema_editor.connection.alias
    Purpose = apps.get_model("istok_booking", "Purpose")
    VisitKind = apps.get_model("istok_booking", "VisitKind")
    Network = apps.get_model("istok_booking", "Network")
    WorkingHours = apps.get_model("istok_booking", "WorkingHours")
    with translation.override(settings.LANGUAGE_CODE):
        for position, (code, name) in enumerate(PURPOSES):
            Purpose.objects.using(db).get_or_create(
                code=code, defaults={"name": str(name), "position": position * 10}
            )
        for position, (code, name, location, minutes, confirm, home, capacity) in enumerate(
            KINDS
        ):
            VisitKind.objects.using(db).get_or_create(
                code=code,
                defaults={
                    "name": str(name),
                    "location": str(location),
                    "duration": minutes,
                    "needs_confirmation": confirm,
                    "at_home": home,
                    "capacity": capacity,
                    "position": position * 10,
                },
            )
        for position, (code, name, value_kind) in enumerate(NETWORKS):
            Network.objects.using(db).get_or_create(
                code=code,
                defaults={"name": str(name), "value_kind": value_kind, "position": position * 10},
            )
    if not WorkingHours.objects.using(db).exists():
        WorkingHours.objects.using(db).bulk_create(
            WorkingHours(weekday=day, opens=opens, closes=closes) for day, opens, closes in HOURS
        )


def unseed(apps, schema_editor):
    db = schema_editor.connection.alias
    for model, rows in (("Purpose", PURPOSES), ("VisitKind", KINDS), ("Network", NETWORKS)):
        apps.get_model("istok_booking", model).objects.using(db).filter(
            code__in=[row[0] for row in rows], appointments__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("istok_booking", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
