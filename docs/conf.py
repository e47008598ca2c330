"""Sphinx configuration of the ISTOK documentation.

Build: ``make docs`` or ``sphinx-build -W --keep-going -n -b html docs docs/_build/html``.
The build needs no network: intersphinx reads Django's inventory from
``_intersphinx/django.inv`` (see ``_intersphinx/make_django_inv.py``).
"""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# The packages' sources, so autodoc imports them even without an editable install.
for src in sorted(ROOT.glob("packages/*/src")):
    sys.path.insert(0, str(src))
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS))

os.environ["DJANGO_SETTINGS_MODULE"] = "django_settings"

import django  # noqa: E402

django.setup()

project = "ISTOK"
author = "ISTOK contributors"
copyright = "ISTOK contributors"
language = "en"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "istok_docs",
]

exclude_patterns = ["_build", "_intersphinx", "_ext"]
templates_path = []
html_static_path = []
html_theme = "furo"
html_title = "ISTOK"

nitpicky = True

autodoc_member_order = "bysource"
autodoc_typehints = "description"

# Offline: a local inventory stands in for https://docs.djangoproject.com/en/5.2/objects.inv.
# Python's own objects (str, int, list, None) need no inventory: Sphinx resolves builtins.
intersphinx_mapping = {
    "django": ("https://docs.djangoproject.com/en/5.2/", "_intersphinx/django.inv"),
}
# Only explicit ``:doc:`django:...``` links go to Django's pages; a bare ``:doc:`` stays local.
intersphinx_disabled_reftypes = ["std:doc"]
