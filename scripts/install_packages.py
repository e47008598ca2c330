"""pip install every istok package (editable, with the [api] extra) into this Python."""

import sys

from _common import ROOT, packages, python, run


def main():
    cmd = [
        python(),
        "-m",
        "pip",
        "install",
        "--quiet",
        "-c",
        ROOT / "requirements" / "constraints.txt",
    ]
    # istok-core among them: every other package's requirement on it is met by this tree,
    # in the same pip run, never by an index.
    for package in packages():
        cmd += ["-e", f"{package}[api]"]
    cmd += ["-r", ROOT / "example_project" / "requirements.txt"]
    return run(cmd)


if __name__ == "__main__":
    sys.exit(main())
