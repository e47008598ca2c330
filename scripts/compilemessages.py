"""Compile every package's (and the example project's) .po catalogues into .mo, in pure Python (babel).

The .mo files are not in git: `make messages` (and the packaging steps) produce them, and
hatchling ships them in the wheel as `artifacts`. Babel is used instead of GNU msgfmt so
`make demo` works with only Python installed.
"""

import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from _common import translated_dirs


def main():
    count = 0
    po_paths = [p for _name, d in translated_dirs() for p in d.glob("locale/*/LC_MESSAGES/*.po")]
    for po_path in sorted(po_paths):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        count += 1
    print(f"compiled {count} catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
