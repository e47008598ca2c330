"""Rooms get a name per language (``translations``); the seeded rooms get their names in
every other language of the project's ``LANGUAGES``, unless the business renamed them."""

from importlib import import_module

from django.db import migrations

import istok_core.i18n

ROOMS = import_module("istok_accounts.migrations.0002_seed_rooms").ROOMS


def translate_seeded_rooms(apps, schema_editor):
    Room = apps.get_model("istok_accounts", "Room")
    rooms = Room.objects.using(schema_editor.connection.alias)
    istok_core.i18n.fill_seed_translations(rooms, ROOMS)


class Migration(migrations.Migration):
    dependencies = [("istok_accounts", "0004_usersession")]

    operations = [
        migrations.AddField(
            model_name="room",
            name="translations",
            field=istok_core.i18n.TranslationsField(
                blank=True, default=dict, editable=False, verbose_name="translations"
            ),
        ),
        migrations.RunPython(translate_seeded_rooms, migrations.RunPython.noop),
    ]
