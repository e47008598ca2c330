"""Print a pip constraints file that pins every dependency of the istok packages to its floor.

Each ``name>=X`` in a package's ``dependencies`` or optional extras becomes ``name==X`` (the
highest floor when two packages declare different ones: all the packages are installed
together). ``tox -e lowest`` installs the packages under these constraints, so a floor that
does not exist or does not work fails CI instead of an integrator's first install. Any other
line of ``requirements/constraints.txt`` (the test tools) is kept, so only the packages'
dependencies move.
"""

import re
import sys
import tomllib

from _common import ROOT, packages

FLOOR = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9.]*)")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def floors():
    """{canonical name: floor version} of every third-party requirement of every package."""
    found = {}
    for package in packages():
        project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
        requirements = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            requirements += extra
        for requirement in requirements:
            match = FLOOR.match(requirement)
            if not match or canonical(match[1]).startswith("istok-"):
                continue
            name, version = canonical(match[1]), match[2]
            if name not in found or version_key(version) > version_key(found[name]):
                found[name] = version
    return found


def main():
    pinned = floors()
    lines = [f"{name}=={version}" for name, version in sorted(pinned.items())]
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        name = re.split(r"[=<>!~\[ ]", line.strip(), maxsplit=1)[0]
        if line.strip() and not line.startswith("#") and canonical(name) not in pinned:
            lines.append(line.strip())
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
