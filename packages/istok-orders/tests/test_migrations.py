from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

import istok_orders
from istok_orders.models import DeliveryZone, OrderLine


@pytest.mark.django_db
def test_models_and_migrations_agree():
    loader = MigrationLoader(connection)
    changes = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(specified_apps={"istok_orders"}, dry_run=True),
    ).changes(graph=loader.graph)
    assert "istok_orders" not in changes


def test_the_initial_migration_names_the_product_setting_not_a_model():
    """The line's product follows ISTOK_ORDERS_PRODUCT_MODEL, as AUTH_USER_MODEL does: the
    migration must not freeze the model the tests happen to use."""
    source = (Path(istok_orders.__file__).parent / "migrations" / "0001_initial.py").read_text()
    assert "to=settings.ISTOK_ORDERS_PRODUCT_MODEL" in source
    assert "migrations.swappable_dependency(settings.ISTOK_ORDERS_PRODUCT_MODEL)" in source
    assert "testapp" not in source and "istok_catalog" not in source


def test_the_line_points_at_the_configured_product_model():
    field = OrderLine._meta.get_field("product")
    assert field.remote_field.model is istok_orders.get_product_model()
    assert istok_orders.get_product_model()._meta.label == "testapp.Product"


@pytest.mark.django_db
def test_delivery_zones_are_seeded_with_free_delivery_within_the_ring_road():
    zones = list(DeliveryZone.objects.values_list("code", "cost"))
    assert zones == [
        ("kad", Decimal("0.00")),
        ("kad-30", Decimal("1500.00")),
        ("kad-60", Decimal("3000.00")),
        ("region", Decimal("5000.00")),
    ]
    assert DeliveryZone.objects.get(code="kad").name == "Within the ring road (KAD)"
