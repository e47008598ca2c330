"""The kinds of visit, purposes and messengers get their texts per language
(``translations``); the seeded rows get their texts in every other language of the
project's ``LANGUAGES``, unless the business renamed them."""

from importlib import import_module

from django.db import migrations

import istok_core.i18n

SEED = import_module("istok_booking.migrations.0002_seed")


def translate_seeded_rows(apps, schema_editor):
    alias = schema_editor.connection.alias

    def fill(model_name, seeds, field="name"):
        rows = apps.get_model("istok_booking", model_name).objects.using(alias)
        istok_core.i18n.fill_seed_translations(rows, seeds, field=field, key="code")

    fill("Purpose", [(code, name) for code, name, *_rest in SEED.PURPOSES])
    fill("VisitKind", [(code, name) for code, name, *_rest in SEED.KINDS])
    fill("VisitKind", [(code, place) for code, _name, place, *_rest in SEED.KINDS], "location")
    fill("Network", [(code, name) for code, name, *_rest in SEED.NETWORKS])


class Migration(migrations.Migration):
    dependencies = [("istok_booking", "0002_seed")]

    operations = [
        *[
            migrations.AddField(
                model_name=model_name,
                name="translations",
                field=istok_core.i18n.TranslationsField(
                    blank=True, default=dict, editable=False, verbose_name="translations"
                ),
            )
            for model_name in ("network", "purpose", "visitkind")
        ],
        migrations.RunPython(translate_seeded_rows, migrations.RunPython.noop),
    ]
