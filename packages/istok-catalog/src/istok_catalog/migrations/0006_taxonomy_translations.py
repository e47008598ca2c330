"""The taxonomy's names per language (``translations``); the seeded terms get their names
in every other language of the project's ``LANGUAGES``, unless the business renamed them."""

from importlib import import_module

from django.db import migrations

import istok_core.i18n

TAXONOMY = import_module("istok_catalog.migrations.0002_seed_taxonomy").TAXONOMY


def translate_seeded_terms(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name, terms in TAXONOMY.items():
        model = apps.get_model("istok_catalog", model_name)
        istok_core.i18n.fill_seed_translations(model.objects.using(alias), terms)


def translations_field():
    return istok_core.i18n.TranslationsField(
        blank=True, default=dict, editable=False, verbose_name="translations"
    )


class Migration(migrations.Migration):
    dependencies = [("istok_catalog", "0005_product_facet")]

    operations = [
        *[
            migrations.AddField(
                model_name=model_name, name="translations", field=translations_field()
            )
            for model_name in (
                "category",
                "countertopmaterial",
                "facadematerial",
                "purpose",
                "shape",
            )
        ],
        migrations.RunPython(translate_seeded_terms, migrations.RunPython.noop),
    ]
