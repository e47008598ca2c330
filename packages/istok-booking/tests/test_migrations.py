from datetime import time

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

from istok_booking.models import Network, Purpose, VisitKind, WorkingHours


@pytest.mark.django_db
def test_models_and_migrations_agree():
    loader = MigrationLoader(connection)
    changes = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(specified_apps={"istok_booking"}, dry_run=True),
    ).changes(graph=loader.graph)
    assert "istok_booking" not in changes


@pytest.mark.django_db
def test_the_purposes_of_the_seed_are_there():
    assert list(Purpose.objects.values_list("code", "name")) == [
        ("kitchen", "Kitchen"),
        ("wardrobe", "Wardrobe"),
        ("hallway", "Hallway"),
        ("dressing_room", "Dressing room"),
        ("bathroom", "Bathroom furniture"),
        ("kids_room", "Kids' room furniture"),
        ("living_room", "Living-room furniture"),
        ("complex", "Complex order"),
    ]


@pytest.mark.django_db
def test_kinds_networks_and_working_hours_are_seeded():
    kinds = {k.code: k for k in VisitKind.objects.all()}
    assert list(kinds) == ["showroom", "video", "measurement"]
    assert kinds["measurement"].at_home and kinds["measurement"].duration == 90
    assert not kinds["video"].needs_confirmation
    assert list(Network.objects.values_list("code", "value_kind")) == [
        ("telegram", "username"),
        ("whatsapp", "phone"),
        ("vk", "link"),
        ("max", "phone"),
    ]
    hours = list(WorkingHours.objects.values_list("weekday", "opens", "closes"))
    assert hours[0] == (0, time(10), time(19)) and hours[-1] == (5, time(11), time(17))
    assert len(hours) == 6
