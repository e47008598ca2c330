"""Build every package, check what each wheel carries, and test the wheels, not the tree.

The packages are built with ``python -m build`` from a clean copy of the repository (the
files git tracks or would track, never an ignored one: what a fresh clone holds), so a file
that only a local step produces cannot slip into a wheel. Each wheel must contain its
migrations, templates, static files (when the package has any) and the compiled Russian
catalogue. ``--quick`` stops after these archive checks. Then each wheel is installed alone
into a new virtual environment (with only the istok-core wheel beside it, which every
package requires, and the wheels of its istok extras, such as istok-orders' ``[catalog]``;
istok-core's own wheel truly alone), the package's own tests run against it (a project with
only that package installed), and its README is followed literally in a new
``django-admin startproject`` (``scripts/check_readmes.py``); and all the wheels together
run the example project's ``check``, ``migrate`` and ``load_demo``.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import venv
import zipfile
from pathlib import Path

import check_readmes

from _common import EXAMPLE_DIR, ROOT, module_dir, packages, python, run

# The distribution every other istok package requires: its wheel is installed beside theirs.
CORE = "istok-core"


def required_members(package):
    module = module_dir(package)
    name = module.name
    required = [f"{name}/__init__.py", f"{name}/locale/ru/LC_MESSAGES/django.mo"]
    if (module / "migrations").is_dir():  # istok-core has no models, so no migrations
        required.append(f"{name}/migrations/0001_initial.py")
    for sub in ("templates", "static"):
        if (module / sub).is_dir():
            first = next(p for p in sorted((module / sub).rglob("*")) if p.is_file())
            required.append(f"{name}/{first.relative_to(module).as_posix()}")
    return required


PROJECT_URLS = ("Documentation", "Source", "Changelog", "Issues")


def distribution_problems(wheel, sdist):
    """What the metadata and the sdist of a package lack (or carry but must not)."""
    wheel_zip = zipfile.ZipFile(wheel)
    info = next(n.split("/")[0] for n in wheel_zip.namelist() if ".dist-info/" in n)
    metadata = wheel_zip.read(f"{info}/METADATA").decode()
    problems = [
        f"no Project-URL {label}"
        for label in PROJECT_URLS
        if f"Project-URL: {label}, https://" not in metadata
    ]
    if (
        "License-File: LICENSE" not in metadata
        or f"{info}/licenses/LICENSE" not in wheel_zip.namelist()
    ):
        problems.append("no LICENSE in the wheel")
    with tarfile.open(sdist) as sdist_tar:
        top = {name.split("/", 1)[1] for name in sdist_tar.getnames() if "/" in name}
    if "LICENSE" not in top:
        problems.append("no LICENSE in the sdist")
    if ".gitignore" in top:
        problems.append("the sdist carries .gitignore")
    return problems


def clean_copy(dest):
    """Copy what a fresh clone holds (plus new files not yet committed, never an ignored one)
    into ``dest``, and return ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not copied
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def new_venv(path):
    # A current pip: the one bundled with Python 3.11 cannot meet a package's requirement
    # on istok-core with the istok-core wheel named as a file with an extra ("...whl[api]").
    venv.create(path, with_pip=True, upgrade_deps=True)
    return path / "bin" / "python"


def istok_extras(package):
    """{extra: [istok distribution, ...]} of the extras of ``package`` that bring other
    istok packages (istok-orders' ``[catalog]``)."""
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    found = {}
    for extra, requirements in project.get("optional-dependencies", {}).items():
        names = [re.split(r"[<>=!~\[ ]", r, maxsplit=1)[0] for r in requirements]
        if names and all(name.startswith("istok-") for name in names):
            found[extra] = names
    return found


def test_wheel_alone(package, wheel, wheels, dist, constraints, env):
    """Install ``wheel`` alone (with the istok-core wheel, which it requires, and those of
    its istok extras) in a new venv, run the package's tests against it and follow its
    README in a new project."""
    work = dist / f"alone-{package.name}"
    extras = istok_extras(package)
    # Named as files, the istok requirements are met by this build, never by an index.
    needed = {CORE, *(name for names in extras.values() for name in names)} - {package.name}
    beside = [f"{wheels[name]}[api]" for name in sorted(needed)]
    # Every extra of the package (istok-support's [realtime] too): its tests cover them all.
    all_extras = tomllib.loads((package / "pyproject.toml").read_text())["project"].get(
        "optional-dependencies", {}
    )
    wheel = f"{wheel}[{','.join(sorted({'api', *all_extras}))}]"
    env_python = new_venv(work / "venv")
    code = run(
        [
            env_python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            constraints,
            wheel,
            *beside,
            "-r",
            ROOT / "requirements" / "test.txt",
        ]
    )
    if code:
        return code
    # The tests and the pytest configuration, without src/: imports come from the wheel.
    shutil.copytree(package / "tests", work / "tests")
    shutil.copy(package / "pyproject.toml", work / "pyproject.toml")
    code = run([env_python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=work, env=env)
    return code or check_readmes.follow(package, env_python, work, env)


def main():
    # No `make messages` first: the wheels must carry the committed catalogues on their own.
    dist = Path(tempfile.mkdtemp(prefix="istok-dist-"))
    source = clean_copy(dist / "source")
    failed = False
    wheels = []
    for package in packages():
        if run([python(), "-m", "build", "--outdir", dist, source / package.relative_to(ROOT)]):
            return 1
        wheel = next(dist.glob(f"{module_dir(package).name}-*.whl"))
        wheels.append(wheel)
        names = set(zipfile.ZipFile(wheel).namelist())
        missing = [m for m in required_members(package) if m not in names]
        if missing:
            failed = True
            print(f"{wheel.name} lacks: {', '.join(missing)}")
        else:
            print(f"{wheel.name}: has {', '.join(required_members(package))}")
        sdist = next(dist.glob(f"{module_dir(package).name}-*.tar.gz"))
        if problems := distribution_problems(wheel, sdist):
            failed = True
            print(f"{package.name}: {'; '.join(problems)}")
        else:
            print(f"{package.name}: Project-URLs and LICENSE in the metadata, no .gitignore")
    if run(
        [python(), "-m", "twine", "check", "--strict", *dist.glob("*.whl"), *dist.glob("*.tar.gz")]
    ):
        failed = True
    if failed:
        return 1
    if "--quick" in sys.argv[1:]:
        shutil.rmtree(dist, ignore_errors=True)
        return 0

    constraints = ROOT / "requirements" / "constraints.txt"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL")}
    by_name = {p.name: w for p, w in zip(packages(), wheels, strict=True)}
    for package, wheel in zip(packages(), wheels, strict=True):
        # Its tests and README as built, from the clean copy.
        copied = source / package.relative_to(ROOT)
        if test_wheel_alone(copied, wheel, by_name, dist, constraints, clean_env):
            print(f"{wheel.name}: its tests or its README's set-up FAILED when installed alone")
            return 1
        print(f"{wheel.name}: its tests pass and its README's set-up works when installed alone")

    env_python = new_venv(dist / "venv")
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
    env = {**clean_env}
    env["DATABASE_URL"] = f"sqlite:///{dist / 'wheels.sqlite3'}"
    for args in (["check", "--fail-level", "WARNING"], ["migrate", "--noinput"], ["load_demo"]):
        if run([env_python, "manage.py", *args], cwd=project, env=env):
            return 1
    print("the example project runs from the wheels")
    shutil.rmtree(dist, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
