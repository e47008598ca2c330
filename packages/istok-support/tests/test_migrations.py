"""The committed migrations match the models (a change without its migration fails here)."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_no_missing_migration():
    out = StringIO()
    call_command("makemigrations", "istok_support", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
