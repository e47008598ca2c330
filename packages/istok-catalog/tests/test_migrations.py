import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """Fails when a model change has no migration (run makemigrations istok_catalog)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    changes = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(specified_apps={"istok_catalog"}, dry_run=True),
    ).changes(graph=loader.graph, trim_to_apps={"istok_catalog"})
    assert "istok_catalog" not in changes, changes.get("istok_catalog")
