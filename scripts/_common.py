"""Helpers shared by the scripts: where the packages are, and how to run a command."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES_DIR = ROOT / "packages"
EXAMPLE_DIR = ROOT / "example_project"


def packages():
    """Every package directory (packages/istok-*), in a stable order."""
    return sorted(p for p in PACKAGES_DIR.glob("istok-*") if (p / "pyproject.toml").exists())


def module_dir(package):
    """The importable module of a package: packages/istok-x/src/istok_x."""
    return package / "src" / package.name.replace("-", "_")


def translated_dirs():
    """(name, directory) of everything that has its own ``locale/`` catalogue: each
    package's module and the example project."""
    dirs = [(package.name, module_dir(package)) for package in packages()]
    return [*dirs, ("example_project", EXAMPLE_DIR)]


def run(cmd, **kwargs):
    """Run ``cmd`` (echoed), returning its exit code."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], **kwargs)


def python():
    return sys.executable
