"""Follow each package's README literally in a new Django project, as an integrator would.

A README marks the code an integrator pastes:

    <!-- snippet: settings.py -->
    ```python
    INSTALLED_APPS += [...]
    ```
    <!-- /snippet -->

``settings.py`` snippets are appended to the settings ``django-admin startproject`` wrote,
``urls.py`` replaces its urls.py, and ``<app>/<file>.py`` is appended to that file of an
app ``startapp`` creates. ``<!-- snippet: <variant> <target> -->`` belongs to a variant (the
README's "own user model" path, say), which is run as a project of its own: the main
snippets first, then the variant's. For each, in the given Python: ``startproject``, the
snippets, ``check``, ``makemigrations`` (the integrator's own app, if any), ``migrate``,
``makemigrations --check``, ``check --deploy`` with production settings, and the package's
page fetched in Russian must show its Russian title.

``scripts/check_dist.py`` runs it with each wheel installed alone in a new virtual
environment; ``python scripts/check_readmes.py [istok-x ...]`` runs it in this Python (the
source tree: quicker, but it cannot tell a missing dependency).
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import packages, python, run

SNIPPET = re.compile(
    r"<!-- snippet: (?:(?P<variant>[\w-]+) )?(?P<target>[\w./-]+) -->\s*"
    r"```\w*\n(?P<code>.*?)```\s*<!-- /snippet -->",
    re.S,
)

# Other addresses the README's set-up routes, which must answer 200.
ALSO = {"istok-accounts": ["/api/schema/"]}  # its drf-spectacular wiring

# The page each package's set-up must serve in Russian: (path, signed in, Russian text).
PAGES = {
    "istok-accounts": ("/accounts/signup/", False, "Создайте аккаунт"),
    "istok-booking": ("/booking/", True, "Записаться на встречу"),
    "istok-catalog": ("/catalog/", False, "Каталог"),
    "istok-loyalty": ("/loyalty/", True, "Мои баллы"),
    "istok-orders": ("/orders/", True, "Мои заказы"),
    "istok-support": ("/support/", True, "Поддержка"),
}

PRODUCTION = """
from .settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = "production-secret-" + "k3y-0f-f1fty-ch4r4ct3rs-and-more-than-five-unique"
ALLOWED_HOSTS = ["mebel.example"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
"""

FETCH = """
import sys
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
client = Client(HTTP_ACCEPT_LANGUAGE="ru")
if {signed_in!r}:
    user = get_user_model()._default_manager.create_user(
        username="integrator", email="integrator@example.com", password="A-long-pass-2026"
    )
    client.force_login(user)
response = client.get({path!r})
text = response.content.decode()
if response.status_code != 200 or {expected!r} not in text:
    print(response.status_code, text[:3000])
    sys.exit("{path}: no {expected!r} in the page fetched in Russian")
print("{path}: {expected!r} in the page fetched in Russian")
for extra in {also!r}:
    answer = client.get(extra)
    if answer.status_code != 200:
        sys.exit(f"{{extra}}: {{answer.status_code}}")
    print(f"{{extra}}: 200")
"""


def snippets(readme):
    """{variant: [(target, code), ...]} of a README's marked snippets ("" is the main path)."""
    found = {}
    for match in SNIPPET.finditer(Path(readme).read_text()):
        found.setdefault(match["variant"] or "", []).append((match["target"], match["code"]))
    return found


# After makemigrations of the integrator's own app: the one edit the README asks for, made
# as an integrator makes it, from what ``check`` says (istok_accounts.E003's hint).
FOLLOW_HINT = ["check"]
HINT = re.compile(
    r"HINT: In (?P<path>\S+), replace (?P<old>\(.*?\)) in dependencies by (?P<new>\(.*?\)):"
)


def follow_migration_hint(env_python, project, env):
    checked = subprocess.run(
        [str(env_python), "manage.py", "check"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    for match in HINT.finditer(checked.stderr):
        migration = project / match["path"]
        print(f"the check asks for an edit in {match['path']}: {match['old']} -> {match['new']}")
        migration.write_text(migration.read_text().replace(match["old"], match["new"]))


def follow(package, env_python, work, env=None):
    """Follow ``package``'s README (each variant) with ``env_python``; the exit code."""
    variants = snippets(package / "README.md")
    if not variants:
        print(f"{package.name}: its README marks no snippet")
        return 1
    django_admin = Path(env_python).parent / "django-admin"
    for variant, extra in sorted(variants.items()):
        if variant and "" in variants:
            extra = variants[""] + extra
        name = variant or "main"
        project = Path(work) / f"readme-{package.name}-{name}"
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        print(f"--- {package.name}: the README's {name} set-up, in {project}", flush=True)
        if run([django_admin, "startproject", "mysite", project], env=env):
            return 1
        own_apps = []
        for target, code in extra:
            if target == "settings.py":
                with (project / "mysite" / "settings.py").open("a") as settings:
                    settings.write("\n" + code)
            elif target == "urls.py":
                (project / "mysite" / "urls.py").write_text(code)
            else:
                app = target.split("/")[0]
                if not (project / app).exists():
                    own_apps.append(app)
                    if run([env_python, "manage.py", "startapp", app], cwd=project, env=env):
                        return 1
                with (project / target).open("a") as module:
                    module.write("\n" + code)
        (project / "mysite" / "production.py").write_text(PRODUCTION)
        path, signed_in, expected = PAGES.get(package.name, (None, False, None))
        steps = [["check", "--fail-level", "WARNING"]]
        if own_apps:
            steps += [["makemigrations", *own_apps], FOLLOW_HINT]
        steps += [
            ["migrate", "--noinput"],
            ["makemigrations", "--check", "--dry-run"],
            ["check", "--deploy", "--fail-level", "WARNING", "--settings", "mysite.production"],
        ]
        if path:
            also = ALSO.get(package.name, [])
            fetch = FETCH.format(path=path, signed_in=signed_in, expected=expected, also=also)
            steps.append(["shell", "-c", fetch])
        for step in steps:
            if step is FOLLOW_HINT:
                follow_migration_hint(env_python, project, env)
                continue
            if run([env_python, "manage.py", *step], cwd=project, env=env):
                print(f"{package.name}: the README's {name} set-up fails at {step[0]}")
                return 1
        print(f"{package.name}: the README's {name} set-up works as written")
    return 0


def main():
    selected = sys.argv[1:]
    work = Path(tempfile.mkdtemp(prefix="istok-readmes-"))
    failed = False
    for package in packages():
        if selected and package.name not in selected:
            continue
        failed |= bool(follow(package, python(), work))
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
