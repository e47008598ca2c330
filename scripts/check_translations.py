"""Fail when a package's (or the example project's) Russian catalogue is incomplete or out of date.

For every package: every entry of locale/ru/LC_MESSAGES/django.po is translated and not
fuzzy; and, when GNU gettext is installed, `makemessages` run on a copy of the source finds
no message that the committed catalogue lacks; and each package's committed
locale/ru/LC_MESSAGES/django.mo holds exactly what a fresh compile of its .po holds (the
wheels ship the committed .mo: a stale one would ship stale translations).
"""

import gettext
import io
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po
from compilemessages import compile_po

from _common import packages, translated_dirs

LANGUAGE = "ru"


def read_catalog(path):
    with Path(path).open("rb") as po_file:
        return read_po(po_file)


def problems_in(po_path):
    problems = []
    for message in read_catalog(po_path):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    return problems


def missing_ids(module, po_path):
    """Message ids makemessages would add to the catalogue."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / module.name
        ignore = shutil.ignore_patterns("__pycache__", "*.mo", "*.sqlite3", "tests", "media")
        shutil.copytree(module, copy, ignore=ignore)
        subprocess.run(
            # django-admin, not `python -m django`: the module's selectors.py would shadow
            # the standard library's when the current directory is on sys.path.
            [Path(sys.executable).parent / "django-admin", "makemessages", "-l", LANGUAGE],
            cwd=copy,
            check=True,
            capture_output=True,
        )
        fresh = read_catalog(copy / po_path.relative_to(module))
    committed = {m.id for m in read_catalog(po_path)}
    return sorted(str(m.id) for m in fresh if m.id and m.id not in committed)


def mo_messages(data):
    """The translations in .mo ``data``, without the header (it names the Babel version)."""
    catalog = gettext.GNUTranslations(io.BytesIO(data))._catalog
    return {key: value for key, value in catalog.items() if key != ""}


def stale_mo(po_path):
    """A problem when the committed .mo next to ``po_path`` is missing or out of date."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return f"{mo_path} is missing: run make messages and commit it"
    try:
        committed = mo_messages(mo_path.read_bytes())
    except (OSError, struct.error):  # not a .mo at all (bad magic number, truncated)
        committed = None
    if committed != mo_messages(compile_po(po_path)):
        return f"{mo_path} is out of date with its .po: run make messages and commit it"
    return None


def main():
    has_gettext = shutil.which("xgettext") is not None
    if not has_gettext:
        print(
            "xgettext not found: only checking that catalogues are complete (apt install gettext)"
        )
    failed = False
    package_names = {package.name for package in packages()}
    for name, module in translated_dirs():
        po_path = module / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            print(f"{name}: no {LANGUAGE} catalogue at {po_path}")
            failed = True
            continue
        problems = problems_in(po_path)
        if name in package_names and (stale := stale_mo(po_path)):
            problems.append(stale)
        if has_gettext:
            problems += [f"not in the catalogue: {mid!r}" for mid in missing_ids(module, po_path)]
        if problems:
            failed = True
            print(f"{name}: {len(problems)} problem(s) in {po_path.name}")
            for problem in problems[:50]:
                print("   ", problem)
        else:
            print(f"{name}: Russian catalogue complete")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
