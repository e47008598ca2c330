"""``check --deploy`` with the production settings, in a fresh process (settings load once)."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

PROJECT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    full_env = {**os.environ, **env}
    for name, value in env.items():
        if value is None:
            full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        "--settings=demo.settings_production",
        DJANGO_SECRET_KEY=get_random_secret_key(),
        DJANGO_ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_require_a_secret_key():
    result = manage(
        "check",
        "--settings=demo.settings_production",
        DJANGO_SECRET_KEY=None,
        DJANGO_ALLOWED_HOSTS="example.com",
    )
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_production_settings_require_allowed_hosts():
    result = manage(
        "check",
        "--settings=demo.settings_production",
        DJANGO_SECRET_KEY=get_random_secret_key(),
        DJANGO_ALLOWED_HOSTS=None,
    )
    assert result.returncode != 0
    assert "Set the DJANGO_ALLOWED_HOSTS environment variable" in result.stderr
