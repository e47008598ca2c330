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


def production_env(**env):
    return {
        "DJANGO_SECRET_KEY": get_random_secret_key(),
        "DJANGO_ALLOWED_HOSTS": "example.com",
        **env,
    }


def test_behind_a_tls_proxy_that_redirects_the_deploy_check_stays_clean():
    result = manage(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        "--settings=demo.settings_production",
        **production_env(DJANGO_BEHIND_TLS_PROXY="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # W008 (SECURE_SSL_REDIRECT off) is silenced on purpose: the proxy redirects.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_behind_a_tls_proxy_django_trusts_its_headers_and_leaves_the_redirect_to_it():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
        "s.REST_FRAMEWORK['NUM_PROXIES'], s.SILENCED_SYSTEM_CHECKS)"
    )
    result = manage(
        "shell",
        "-c",
        code,
        "--settings=demo.settings_production",
        **production_env(DJANGO_BEHIND_TLS_PROXY="1"),
    )
    assert result.returncode == 0, result.stderr
    # The last line: Django 5.2's shell may first say what it imported.
    assert result.stdout.strip().splitlines()[-1] == (
        "('HTTP_X_FORWARDED_PROTO', 'https') False 1 ['security.W008']"
    )
    direct = manage("shell", "-c", code, "--settings=demo.settings_production", **production_env())
    assert direct.stdout.strip().splitlines()[-1] == "None True 0 []"


def test_the_old_redirect_switch_says_what_replaces_it():
    result = manage(
        "check",
        "--settings=demo.settings_production",
        **production_env(DJANGO_SECURE_SSL_REDIRECT="0"),
    )
    assert result.returncode != 0
    assert "set DJANGO_BEHIND_TLS_PROXY=1" in result.stderr


def test_production_takes_redis_for_the_chat_even_when_it_does_not_answer_at_start():
    # Development falls back to the in-memory layer; several production processes must not.
    code = "from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])"
    result = manage(
        "shell",
        "-c",
        code,
        "--settings=demo.settings_production",
        **production_env(REDIS_URL="redis://127.0.0.1:1/0"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "channels_redis.core.RedisChannelLayer"
