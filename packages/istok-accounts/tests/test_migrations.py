import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

from istok_accounts.models import Room


@pytest.mark.django_db
def test_models_and_migrations_agree():
    loader = MigrationLoader(connection)
    changes = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(specified_apps={"istok_accounts"}, dry_run=True),
    ).changes(graph=loader.graph)
    assert "istok_accounts" not in changes


@pytest.mark.django_db
def test_rooms_are_seeded_in_order():
    assert list(Room.objects.values_list("slug", flat=True)) == [
        "kitchen",
        "corridor",
        "hallway",
        "bathroom",
        "kids-room",
        "bedroom",
        "living-room",
        "dining-room",
        "study",
    ]
