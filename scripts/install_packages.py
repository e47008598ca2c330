"""pip install every istok package (editable, with the [api] extra) into this Python.

``--lowest``: every package with all its extras, each third-party dependency at the floor
its metadata declares (``scripts/floors.py``), and not the example project's requirements
(``tox -e lowest`` runs only the packages' tests).
"""

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from _common import ROOT, packages, python, run


def extras(package):
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    return ",".join(sorted(project.get("optional-dependencies", {})))


def main():
    lowest = "--lowest" in sys.argv[1:]
    constraints = ROOT / "requirements" / "constraints.txt"
    if lowest:
        floors = subprocess.run(
            [python(), ROOT / "scripts" / "floors.py"], check=True, capture_output=True, text=True
        ).stdout
        print(floors)
        constraints = Path(tempfile.mkdtemp()) / "floors.txt"
        constraints.write_text(floors)
    cmd = [python(), "-m", "pip", "install", "--quiet", "-c", constraints]
    # istok-core among them: every other package's requirement on it is met by this tree,
    # in the same pip run, never by an index.
    for package in packages():
        cmd += ["-e", f"{package}[{extras(package) if lowest else 'api'}]"]
    if lowest:  # the test tools, pinned as usual
        cmd += ["-r", ROOT / "requirements" / "test.txt"]
    else:
        cmd += ["-r", ROOT / "example_project" / "requirements.txt"]
    return run(cmd)


if __name__ == "__main__":
    sys.exit(main())
