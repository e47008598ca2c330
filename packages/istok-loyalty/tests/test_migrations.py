from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

import istok_loyalty


@pytest.mark.django_db
def test_models_and_migrations_agree():
    loader = MigrationLoader(connection)
    changes = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(specified_apps={"istok_loyalty"}, dry_run=True),
    ).changes(graph=loader.graph)
    assert "istok_loyalty" not in changes


def test_the_migrations_name_the_user_setting_not_a_user_model():
    migrations = sorted((Path(istok_loyalty.__file__).parent / "migrations").glob("0*.py"))
    assert len(migrations) >= 2
    for path in migrations:
        source = path.read_text()
        if "settings.AUTH_USER_MODEL" in source:
            assert "migrations.swappable_dependency(settings.AUTH_USER_MODEL)" in source, path
        assert "istok_accounts" not in source and "istok_orders" not in source, path
