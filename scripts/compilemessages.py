"""Compile every package's (and the example project's) .po catalogues into .mo, in pure Python (babel).

The packages' .mo files are committed, as Django commits its own: a wheel built from a clean
clone by any front end (``python -m build``, ``pip install ./packages/istok-x``, a git URL)
carries them. ``scripts/check_translations.py`` fails when a committed .mo differs from a
fresh compile of its .po. The example project's .mo files are not committed (``make demo``
compiles them). Babel is used instead of GNU msgfmt so `make demo` works with only Python
installed.
"""

import io
import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from _common import translated_dirs


def po_paths():
    return sorted(p for _name, d in translated_dirs() for p in d.glob("locale/*/LC_MESSAGES/*.po"))


def compile_po(po_path):
    """The .mo bytes of the catalogue at ``po_path`` (fuzzy entries left out)."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main():
    count = 0
    for po_path in po_paths():
        mo_path = po_path.with_suffix(".mo")
        compiled = compile_po(po_path)
        # Unchanged files are not rewritten, so git sees no change and mtimes stay put.
        if not mo_path.exists() or mo_path.read_bytes() != compiled:
            mo_path.write_bytes(compiled)
        count += 1
    print(f"compiled {count} catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
