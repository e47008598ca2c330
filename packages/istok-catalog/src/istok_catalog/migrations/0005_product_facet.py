"""The facet table (one narrow row per product) and a bit per purpose, filled from the
product tables. The SQL is frozen here (``services.rebuild_facets`` is the live copy)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
INSERT INTO istok_catalog_productfacet (
    product_id, is_published, price, position, kind, category_id, shape_id,
    facade_material_id, countertop_material_id, purposes
)
SELECT p.id, p.is_published, p.price, p.position, p.kind, f.category_id, f.shape_id,
    f.facade_material_id, f.countertop_material_id,
    CAST(COALESCE((SELECT SUM(CAST(1 AS BIGINT) << pu.bit)
        FROM istok_catalog_furnitureproduct_purposes x
        JOIN istok_catalog_purpose pu ON pu.id = x.purpose_id
        WHERE x.furnitureproduct_id = p.id), 0) AS BIGINT)
FROM istok_catalog_product p
LEFT JOIN istok_catalog_furnitureproduct f ON f.product_ptr_id = p.id
"""


def fill(apps, schema_editor):
    Purpose = apps.get_model("istok_catalog", "Purpose")
    purposes = list(Purpose.objects.using(schema_editor.connection.alias).order_by("pk"))
    if len(purposes) > 63:
        raise RuntimeError("istok_catalog allows at most 63 purposes: delete the unused ones.")
    for bit, purpose in enumerate(purposes):
        purpose.bit = bit
        purpose.save(update_fields=["bit"])
    schema_editor.execute(FILL)


class Migration(migrations.Migration):

    dependencies = [
        ('istok_catalog', '0004_typed_upload_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProductFacet',
            fields=[
                ('product', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='facet', serialize=False, to='istok_catalog.product')),
                ('is_published', models.BooleanField()),
                ('price', models.DecimalField(decimal_places=2, max_digits=12)),
                ('position', models.IntegerField()),
                ('kind', models.CharField(max_length=32)),
                ('purposes', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'product facet',
            },
        ),
        migrations.AddField(
            model_name='purpose',
            name='bit',
            field=models.PositiveSmallIntegerField(editable=False, help_text='Its bit in ProductFacet.purposes, given on the first save.', null=True, unique=True),
        ),
        migrations.AddConstraint(
            model_name='purpose',
            constraint=models.CheckConstraint(condition=models.Q(('bit__lt', 63)), name='istok_catalog_purpose_bit_lt_63'),
        ),
        migrations.AddField(
            model_name='productfacet',
            name='category',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='istok_catalog.category'),
        ),
        migrations.AddField(
            model_name='productfacet',
            name='countertop_material',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='istok_catalog.countertopmaterial'),
        ),
        migrations.AddField(
            model_name='productfacet',
            name='facade_material',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='istok_catalog.facadematerial'),
        ),
        migrations.AddField(
            model_name='productfacet',
            name='shape',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='istok_catalog.shape'),
        ),
        migrations.AddIndex(
            model_name='productfacet',
            index=models.Index(fields=['is_published', 'position', 'product'], include=('price', 'kind', 'category', 'shape', 'facade_material', 'countertop_material', 'purposes'), name='istok_cat_facet_page_idx'),
        ),
        migrations.AddIndex(
            model_name='productfacet',
            index=models.Index(fields=['is_published', 'price', 'product'], name='istok_cat_facet_price_idx'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
