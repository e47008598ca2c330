"""Adjustments backed by another app's record (``source_key``).

istok-loyalty 0.1.0 wrote its points payments with the reference ``istok_loyalty:<ledger
row id>`` and its promotions with ``istok_loyalty:promotion:<promotion id>`` (one per
order) but nothing marked them as managed: a manager could edit them in the admin. This
migration marks those rows, so that only istok_loyalty changes them from now on.
"""

import re

from django.db import migrations, models

PAYMENT = re.compile(r"^istok_loyalty:\d+$")
PROMOTION = "istok_loyalty:promotion:"


def mark_managed(apps, schema_editor):
    Adjustment = apps.get_model("istok_orders", "Adjustment")
    promoted = set()
    for adjustment in Adjustment.objects.filter(reference__startswith="istok_loyalty:"):
        if adjustment.kind == "points" and PAYMENT.match(adjustment.reference):
            adjustment.source_key = adjustment.reference
        elif adjustment.kind == "promotion" and adjustment.reference.startswith(PROMOTION):
            if adjustment.order_id in promoted:
                continue
            promoted.add(adjustment.order_id)
            adjustment.source_key = f"istok_loyalty:order-promotion:{adjustment.order_id}"
        else:
            continue
        adjustment.save(update_fields=["source_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("istok_orders", "0002_seed_delivery_zones"),
    ]

    operations = [
        migrations.AddField(
            model_name="adjustment",
            name="source_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The record of another app that backs this adjustment (a points payment, a chosen promotion). It is changed or removed only through that app.",
                max_length=255,
                null=True,
                unique=True,
                verbose_name="managed by",
            ),
        ),
        migrations.RunPython(mark_managed, migrations.RunPython.noop),
    ]
