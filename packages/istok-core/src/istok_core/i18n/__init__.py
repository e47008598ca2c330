"""Content in every language of the site: lookup values and editorial texts that a
manager writes in the admin (a category's name, a promotion's title, a news item).

A model keeps its text columns in the site's own language (``LANGUAGE_CODE``) and the
other languages of ``LANGUAGES`` in one JSON column, ``translations``::

    {"en": {"name": "Kitchen"}, "de": {"name": "Küche"}}

So one migration adds it, whatever languages a project runs in, and a page reads a value
and its translations in the same query. A missing or empty translation shows the text of
the site's own language.

Use it in three places:

- the model: inherit :class:`Translatable` and name the fields,
  ``translated_fields = ("name",)``;
- pages and serializers: ``{{ category.translated.name }}`` and
  ``serializers.CharField(source="translated.name")`` give the value in the active
  language (:class:`Translated`);
- the admin: :class:`istok_core.i18n.admin.TranslationsAdminMixin` adds one form field
  per translated field and language.

Rows read with ``.values()`` translate with :func:`translate`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Translatable",
    "Translated",
    "TranslationsField",
    "content_languages",
    "fill_seed_translations",
    "site_language",
    "translate",
]


def _code(language):
    return (language or "").lower().replace("_", "-")


def site_language():
    """The language of the model's own text columns: ``LANGUAGE_CODE``."""
    return _code(settings.LANGUAGE_CODE)


def content_languages():
    """``(code, name)`` of every language in ``LANGUAGES`` but the site's own: the
    languages a translation is written for. None when the project does not set
    ``LANGUAGES`` (Django's default lists every language it has: a site that names no
    languages is taken to run in one)."""
    if not settings.is_overridden("LANGUAGES"):
        return []
    own = site_language()
    return [
        (_code(code), name)
        for code, name in settings.LANGUAGES
        if _code(code) != own and _code(code).split("-")[0] != own
    ]


def _candidates(language):
    language = _code(language or get_language() or settings.LANGUAGE_CODE)
    yield language
    if "-" in language:
        yield language.split("-")[0]


def translate(translations, field, default, language=None):
    """``field``'s text in ``language`` (default: the active one) from a ``translations``
    value, or ``default`` (the site language's text) when there is none."""
    if translations and isinstance(translations, dict):
        for code in _candidates(language):
            values = translations.get(code)
            if isinstance(values, dict) and values.get(field):
                return values[field]
    return default


@deconstructible
class TranslationsValidator:
    """A ``translations`` value is ``{language: {field: text}}``, texts only."""

    def __call__(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(language, str)
            and isinstance(values, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in values.items())
            for language, values in value.items()
        ):
            raise ValidationError(
                _("Translations are texts by language and field."), code="invalid_translations"
            )

    def __eq__(self, other):
        return isinstance(other, TranslationsValidator)


class TranslationsField(models.JSONField):
    """``{language: {field: text}}``: the translations of a row's text fields. Not edited
    as JSON: the admin shows a field per language (see :mod:`istok_core.i18n.admin`)."""

    default_validators = [TranslationsValidator()]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("translations"))
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


class Translated:
    """``obj.translated.<field>``: the field's text in the active language (or in
    ``language``), falling back to the row's own column."""

    __slots__ = ("_obj", "_language")

    def __init__(self, obj, language=None):
        self._obj = obj
        self._language = language

    def __getattr__(self, name):
        obj = self._obj
        if name not in obj.translated_fields:
            raise AttributeError(f"{type(obj).__name__}.{name} is not translated")
        return translate(obj.translations, name, getattr(obj, name), self._language)

    def __str__(self):
        return str(getattr(self, self._obj.translated_fields[0]))


class Translatable(models.Model):
    """A model whose ``translated_fields`` (text fields in the site's language) have a
    translation per language in ``translations``."""

    #: The names of the text fields translated (the first one is the row's name).
    translated_fields = ()

    translations = TranslationsField()

    class Meta:
        abstract = True

    @property
    def translated(self):
        return Translated(self)

    def get_translation(self, field, language):
        """The stored translation of ``field`` in ``language`` (``""`` when none)."""
        return (self.translations or {}).get(_code(language), {}).get(field, "")

    def set_translation(self, language, **values):
        """Store the texts of ``values`` (field name → text) for ``language``; an empty
        text removes that translation. Does not save."""
        unknown = set(values) - set(self.translated_fields)
        if unknown:
            raise ValueError(f"Not translated fields: {', '.join(sorted(unknown))}")
        language = _code(language)
        translations = {code: dict(texts) for code, texts in (self.translations or {}).items()}
        texts = translations.setdefault(language, {})
        for field, text in values.items():
            text = (text or "").strip()
            if text:
                texts[field] = text
            else:
                texts.pop(field, None)
        if not texts:
            del translations[language]
        self.translations = translations


def fill_seed_translations(queryset, seeds, *, field="name", key="slug"):
    """For a data migration that seeded a lookup table with translatable texts: give
    each seeded row the text of every content language, where the row still has the
    seed's text in the site language (a value the business renamed is left alone) and has
    no translation for that language yet.

    ``seeds``: ``[(key, lazy text)]``, as the seeding migration wrote them (English
    msgids, so English needs no catalogue). Works on historical models: it writes the
    ``translations`` value itself.
    """
    seeds = dict(seeds)
    with translation.override(site_language()):
        own = {value: str(text) for value, text in seeds.items()}
    texts = {}
    for code, _name in content_languages():
        with translation.override(code):
            texts[code] = {value: str(text) for value, text in seeds.items()}
    for row in queryset.filter(**{f"{key}__in": list(seeds)}):
        value = getattr(row, key)
        if getattr(row, field) != own[value]:
            continue
        translations = {lang: dict(t) for lang, t in (row.translations or {}).items()}
        for code, by_value in texts.items():
            text = by_value[value]
            if text and text != own[value] and not translations.get(code, {}).get(field):
                translations.setdefault(code, {})[field] = text
        if translations != (row.translations or {}):
            row.translations = translations
            row.save(update_fields=["translations"])
