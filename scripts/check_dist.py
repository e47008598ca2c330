"""Build every package, check what each wheel carries, and run the example from the wheels.

Each wheel must contain its migrations, templates, static files (when the package has
any) and the compiled Russian catalogue. Then the wheels (not the source tree) are
installed into a new virtual environment, where the example project's ``check`` and
``migrate`` must pass.
"""

import os
import shutil
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

from _common import EXAMPLE_DIR, ROOT, module_dir, packages, python, run


def required_members(package):
    module = module_dir(package)
    name = module.name
    required = [
        f"{name}/__init__.py",
        f"{name}/migrations/0001_initial.py",
        f"{name}/locale/ru/LC_MESSAGES/django.mo",
    ]
    for sub in ("templates", "static"):
        if (module / sub).is_dir():
            first = next(p for p in sorted((module / sub).rglob("*")) if p.is_file())
            required.append(f"{name}/{first.relative_to(module).as_posix()}")
    return required


def main():
    if run([python(), ROOT / "scripts" / "compilemessages.py"]):
        return 1
    dist = Path(tempfile.mkdtemp(prefix="istok-dist-"))
    failed = False
    wheels = []
    for package in packages():
        if run([python(), "-m", "build", "--outdir", dist, package]):
            return 1
        wheel = next(dist.glob(f"{module_dir(package).name}-*.whl"))
        wheels.append(wheel)
        names = set(zipfile.ZipFile(wheel).namelist())
        missing = [m for m in required_members(package) if m not in names]
        if missing:
            failed = True
            print(f"{wheel.name} lacks: {', '.join(missing)}")
        else:
            print(f"{wheel.name}: migrations, templates, static files and ru .mo present")
    if run([python(), "-m", "twine", "check", "--strict", *dist.glob("*")]):
        failed = True
    if failed:
        return 1

    env_dir = dist / "venv"
    venv.create(env_dir, with_pip=True)
    env_python = env_dir / "bin" / "python"
    constraints = ROOT / "requirements" / "constraints.txt"
    if run(
        [
            env_python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            constraints,
            *(f"{w}[api]" for w in wheels),
            "-r",
            EXAMPLE_DIR / "requirements.txt",
        ]
    ):
        return 1
    # Run from a copy of the example project, so nothing of the source tree is importable.
    project = dist / "example_project"
    shutil.copytree(EXAMPLE_DIR, project, ignore=shutil.ignore_patterns("*.sqlite3", "tests"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL")}
    env["DATABASE_URL"] = f"sqlite:///{dist / 'wheels.sqlite3'}"
    for args in (["check", "--fail-level", "WARNING"], ["migrate", "--noinput"], ["load_demo"]):
        if run([env_python, "manage.py", *args], cwd=project, env=env):
            return 1
    print("the example project runs from the wheels")
    shutil.rmtree(dist, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
