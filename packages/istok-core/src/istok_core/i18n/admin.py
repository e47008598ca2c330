"""The admin side of :mod:`istok_core.i18n`: a form field per translated field and
language, read from and written to the row's ``translations``.

::

    @admin.register(Category)
    class CategoryAdmin(TranslationsAdminMixin, admin.ModelAdmin):
        ...

The fields are made when the form is (from ``LANGUAGES`` then), named
``<field>__<language>`` (``name__en``), labelled "name (English)", and shown in a
"Translations" section after the declared fieldsets. An empty field removes that
translation; the page then shows the site language's text.
"""

from django.contrib.admin.utils import flatten_fieldsets
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import content_languages


def translation_field_name(field, language):
    return f"{field}__{language.replace('-', '_')}"


def translation_fields(model):
    """``[(form field name, model field name, language code, language name)]``."""
    return [
        (translation_field_name(field, code), field, code, name)
        for code, name in content_languages()
        for field in model.translated_fields
    ]


class TranslationsFormMixin:
    """For a ``ModelForm`` of a :class:`~istok_core.i18n.Translatable` model whose
    translation fields :func:`translations_form` declared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field, code, _language in translation_fields(self._meta.model):
            if name in self.fields and name not in self.initial:
                self.initial[name] = self.instance.get_translation(field, code)

    def _post_clean(self):
        for name, field, code, _language in translation_fields(self._meta.model):
            if name in self.cleaned_data:
                self.instance.set_translation(code, **{field: self.cleaned_data[name]})
        super()._post_clean()


def translations_form(form_class, model):
    """``form_class`` with a field per translated field and content language."""
    attrs = {}
    for name, field, _code, language in translation_fields(model):
        model_field = model._meta.get_field(field)
        form_field = model_field.formfield(required=False)
        form_field.label = f"{capfirst(model_field.verbose_name)} ({language})"
        form_field.help_text = ""
        attrs[name] = form_field
    bases = (form_class,)
    if not issubclass(form_class, TranslationsFormMixin):
        bases = (TranslationsFormMixin, form_class)
    return type(form_class.__name__, bases, attrs)


class TranslationsAdminMixin:
    """For a ``ModelAdmin`` of a :class:`~istok_core.i18n.Translatable` model."""

    translations_fieldset_name = _("Translations")

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = translations_form(kwargs.get("form", self.form), self.model)
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        names = [row[0] for row in translation_fields(self.model)]
        present = set(flatten_fieldsets(fieldsets))
        if self.fieldsets:
            missing = [name for name in names if name not in present]
            if missing:
                fieldsets.append((self.translations_fieldset_name, {"fields": missing}))
            return fieldsets
        # Without declared fieldsets Django lists every form field in one section: move
        # the translations to their own.
        first = [name for name in fieldsets[0][1]["fields"] if name not in names]
        return [
            (None, {**fieldsets[0][1], "fields": first}),
            *fieldsets[1:],
            *([(self.translations_fieldset_name, {"fields": names})] if names else []),
        ]


__all__ = [
    "TranslationsAdminMixin",
    "TranslationsFormMixin",
    "translation_fields",
    "translations_form",
]
