"""Sphinx helpers for the ISTOK docs.

- The roles Django's own docs use (``:setting:``, ``:ttag:``, ``:djadmin:``), so that
  ``:setting:`AUTH_USER_MODEL``` links into Django's docs through intersphinx and
  ``:setting:`ISTOK_ACCOUNTS_POLICY_VERSION``` links to our settings tables.
- ``.. istok-settings:: istok_accounts.conf.IstokAccountsConf``: the settings table of an
  app, read from its ``conf.py`` (names, defaults, and the ``#:`` comment above each one),
  so the table cannot drift from the code. A default that is a list, tuple or dict named
  by a module-level constant of that ``conf.py`` (``DEFAULT_PIPELINE``) is shown by that
  name: its value is documented where the page explains it.
- Model classes under autodoc: no constructor signature, and a list of the fields the class
  declares (type, label, help text, choices).
- Base classes from packages without an inventory (django-polymorphic, django-filter) are
  shown by their dotted name, unlinked.
- ``.. readme-snippet:: istok-accounts settings.py``: a snippet a package's README marks
  (``<!-- snippet: settings.py -->``; ``:variant:`` for a variant's), shown as Python. The
  README is the one source: ``scripts/check_readmes.py`` runs the same snippets.
"""

import importlib
import json
import sys
from pathlib import Path

from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from check_readmes import snippets as readme_snippets  # noqa: E402


class ReadmeSnippet(SphinxDirective):
    """The code of one snippet a package's README marks, as a Python block."""

    required_arguments = 2
    has_content = False
    option_spec = {"variant": directives.unchanged}

    def run(self):
        package, target = self.arguments
        readme = ROOT / "packages" / package / "README.md"
        self.env.note_dependency(str(readme))
        found = [
            code
            for name, code in readme_snippets(readme).get(self.options.get("variant", ""), [])
            if name == target
        ]
        if not found:
            raise self.error(f"{readme} marks no snippet {target!r}")
        code = "\n".join(found)
        block = nodes.literal_block(code, code, language="python")
        return [block]


def format_default(value):
    """A default as Python source, with double-quoted strings."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(format_default(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return repr(value)


class IstokSettings(SphinxDirective):
    """A table of every setting an ``AppConf`` class declares."""

    required_arguments = 1
    has_content = False
    option_spec = {"class": directives.class_option}

    def run(self):
        path = self.arguments[0]
        module_name, _, class_name = path.rpartition(".")
        module = importlib.import_module(module_name)
        conf = getattr(module, class_name)
        constants = {
            id(value): f"{module_name}.{name}"
            for name, value in vars(module).items()
            if name.isupper() and isinstance(value, (list, tuple, dict))
        }
        analyzer = ModuleAnalyzer.for_module(module_name)
        analyzer.analyze()
        attr_docs = analyzer.find_attr_docs()
        self.env.note_dependency(analyzer.srcname)

        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 30 25 45",
            "",
            "   * - Setting",
            "     - Default",
            "     - Meaning",
        ]
        for name, prefixed in conf._meta.names.items():
            default = conf._meta.defaults[prefixed]
            shown = constants.get(id(default)) or format_default(default)
            doc = attr_docs.get((class_name, name))
            if not doc or not "".join(doc).strip():
                raise self.error(f"{path}.{name} has no #: comment to document it")
            lines += [
                f"   * - .. setting:: {prefixed}",
                "",
                f"       ``{prefixed}``",
                f"     - ``{shown}``",
            ]
            doc_lines = list(doc)
            while doc_lines and not doc_lines[-1].strip():
                doc_lines.pop()
            lines.append(f"     - {doc_lines[0]}")
            lines += [f"       {line}" if line.strip() else "" for line in doc_lines[1:]]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=path), self.content_offset, container)
        return container.children


def _declared_fields(model):
    """The fields ``model`` declares itself, not the ones an abstract parent gives it."""
    opts = model._meta
    own = [f for f in [*opts.local_fields, *opts.local_many_to_many] if not f.auto_created]
    inherited = {}
    for base in model.__mro__[1:]:
        if issubclass(base, models.Model) and base is not models.Model and base._meta.abstract:
            for field in [*base._meta.local_fields, *base._meta.local_many_to_many]:
                inherited.setdefault(field.name, field.deconstruct()[1:])
    return [f for f in own if inherited.get(f.name) != f.deconstruct()[1:]]


def _field_type(field):
    cls = type(field)
    if cls.__module__.startswith("django.db.models") and hasattr(models, cls.__name__):
        return f":class:`~django.db.models.{cls.__name__}`"
    return f"``{cls.__module__}.{cls.__name__}``"


def _field_line(field):
    parts = [f"``{field.name}`` ({_field_type(field)}"]
    if field.is_relation:
        setting = getattr(field, "swappable_setting", None)
        if setting:
            parts.append(f" to :setting:`{setting}`")
        else:
            target = field.related_model
            parts.append(f" to :class:`~{target.__module__}.{target.__qualname__}`")
    parts.append(f"): {field.verbose_name}.")
    if field.help_text:
        parts.append(f" {field.help_text}")
    if getattr(field, "unique", False) and not field.primary_key:
        parts.append(" Unique.")
    if field.choices:
        choices = ", ".join(
            f"``{format_default(value)}`` ({label})" for value, label in field.choices
        )
        parts.append(f" One of {choices}.")
    return "- " + "".join(str(part) for part in parts)


def model_fields_docstring(app, what, name, obj, options, lines):
    if what != "class" or not isinstance(obj, type) or not issubclass(obj, models.Model):
        return
    fields = _declared_fields(obj)
    parents = [
        base
        for base in obj.__bases__
        if issubclass(base, models.Model) and base is not models.Model
    ]
    lines.append("")
    if fields:
        lines += ["**Fields**", ""]
        lines += [_field_line(field) for field in fields]
        lines.append("")
    for parent in parents:
        if parent.__module__ == obj.__module__:
            lines += [f"Has every field of :class:`{parent.__qualname__}`.", ""]
        else:
            lines += [f"Also has the fields of {class_reference(parent)}.", ""]


def model_signature(app, what, name, obj, options, signature, return_annotation):
    # A model's constructor takes the fields as keywords; the field list says the rest.
    if what == "class" and isinstance(obj, type) and issubclass(obj, models.Model):
        return "", None
    return None


# Classes whose defining module is private: show them under the name Django documents.
PUBLIC_NAMES = {
    models.Model: "django.db.models.Model",
    FileSystemStorage: "django.core.files.storage.FileSystemStorage",
    Storage: "django.core.files.storage.Storage",
}

# Packages whose classes have an inventory to link to: Django and ours.
LINKED_PACKAGES = {"builtins", "django"}
LINKED_PREFIX = "istok_"


def class_reference(cls):
    """A link to ``cls``, or its dotted name as a literal when no inventory documents it.

    Third-party bases (``polymorphic.models.PolymorphicModel``,
    ``django_filters.FilterSet``) have no inventory in this offline build: a link to them
    would be a nitpicky warning.
    """
    if cls in PUBLIC_NAMES:
        return f":py:class:`~{PUBLIC_NAMES[cls]}`"
    if _is_unlinked(cls):
        return f"``{cls.__module__}.{cls.__qualname__}``"
    return f":py:class:`~{cls.__module__}.{cls.__qualname__}`"


def _is_unlinked(cls):
    package = cls.__module__.partition(".")[0]
    return package not in LINKED_PACKAGES and not package.startswith(LINKED_PREFIX)


def public_bases(app, name, obj, options, bases):
    for index, base in enumerate(bases):
        if base in PUBLIC_NAMES or (isinstance(base, type) and _is_unlinked(base)):
            bases[index] = class_reference(base)


def setup(app):
    app.add_crossref_type("setting", "setting", indextemplate="pair: %s; setting")
    app.add_crossref_type("templatetag", "ttag", indextemplate="pair: %s; template tag")
    app.add_object_type("django-admin", "djadmin", indextemplate="pair: %s; django-admin command")
    app.add_directive("istok-settings", IstokSettings)
    app.add_directive("readme-snippet", ReadmeSnippet)
    app.connect("autodoc-process-docstring", model_fields_docstring)
    app.connect("autodoc-process-signature", model_signature)
    app.connect("autodoc-process-bases", public_bases)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
