"""Lookup values and editorial texts read in the active language, edited per language in
the admin, and stored in one JSON column (istok_core.i18n)."""

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from istok_core.i18n import content_languages, translate
from istok_core.i18n.admin import TranslationsAdminMixin

from .i18napp.models import Colour

pytestmark = pytest.mark.django_db

LANGUAGES = [("ru", "Russian"), ("en", "English"), ("de", "German")]


@pytest.fixture
def colour():
    colour = Colour(slug="oak", name="Дуб", description="Натуральный шпон")
    colour.set_translation("en", name="Oak", description="Natural veneer")
    colour.save()
    return colour


@override_settings(LANGUAGE_CODE="ru", LANGUAGES=LANGUAGES)
def test_a_value_reads_in_the_active_language_and_falls_back_to_the_site_language(colour):
    colour = Colour.objects.get(pk=colour.pk)
    with translation.override("en"):
        assert colour.translated.name == "Oak"
        assert str(colour) == "Oak"
    with translation.override("en-gb"):
        assert colour.translated.description == "Natural veneer"
    with translation.override("ru"):
        assert colour.translated.name == "Дуб"
    with translation.override("de"):  # no German text: the site's own
        assert colour.translated.name == "Дуб"


@override_settings(LANGUAGE_CODE="ru", LANGUAGES=LANGUAGES)
def test_templates_read_the_translation(colour):
    template = Template("{{ colour.translated.name }} / {{ colour.translated }}")
    with translation.override("en"):
        assert template.render(Context({"colour": colour})) == "Oak / Oak"


def test_only_translated_fields_are_offered(colour):
    with pytest.raises(AttributeError):
        colour.translated.slug  # noqa: B018


def test_an_empty_text_removes_the_translation(colour):
    colour.set_translation("en", name="")
    assert colour.translations == {"en": {"description": "Natural veneer"}}
    colour.set_translation("en", description=" ")
    assert colour.translations == {}
    with pytest.raises(ValueError):
        colour.set_translation("en", slug="oak")


def test_rows_read_with_values_translate_too(colour):
    row = Colour.objects.values("name", "translations").get(pk=colour.pk)
    assert translate(row["translations"], "name", row["name"], "en") == "Oak"
    assert translate(None, "name", row["name"], "en") == "Дуб"


def test_a_malformed_translations_value_is_a_validation_error(colour):
    colour.translations = {"en": {"name": 5}}
    with pytest.raises(ValidationError) as error:
        colour.full_clean()
    assert "translations" in error.value.message_dict


@override_settings(LANGUAGE_CODE="ru", LANGUAGES=LANGUAGES)
def test_the_content_languages_are_the_others():
    assert [code for code, _name in content_languages()] == ["en", "de"]


def test_a_project_that_names_no_languages_has_none_to_translate_to(monkeypatch):
    from types import SimpleNamespace

    from django.conf import global_settings

    # Django's default LANGUAGES, every language it knows, that the project did not set.
    not_set = SimpleNamespace(
        LANGUAGES=global_settings.LANGUAGES, LANGUAGE_CODE="ru", is_overridden=lambda name: False
    )
    monkeypatch.setattr("istok_core.i18n.settings", not_set)
    assert content_languages() == []


class ColourAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    fields = ["slug", "name", "description"]


class PlainColourAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    pass


@override_settings(LANGUAGE_CODE="ru", LANGUAGES=LANGUAGES)
@pytest.mark.parametrize("admin_class", [ColourAdmin, PlainColourAdmin])
def test_the_admin_form_edits_each_language(rf, colour, admin_class):
    model_admin = admin_class(Colour, admin.AdminSite())
    request = rf.get("/")
    fieldsets = model_admin.get_fieldsets(request, colour)
    assert fieldsets[-1][1]["fields"] == [
        "name__en",
        "description__en",
        "name__de",
        "description__de",
    ]
    assert "name__en" not in fieldsets[0][1]["fields"]
    form_class = model_admin.get_form(request, colour)
    form = form_class(instance=colour)
    assert form.initial["name__en"] == "Oak"
    assert str(form.fields["name__de"].label) == "Name (German)"
    assert isinstance(form.fields["description__en"].widget, forms.Textarea)

    data = {
        "slug": "oak",
        "name": "Дуб",
        "description": "",
        "name__en": "Oak tree",
        "description__en": "",
        "name__de": "Eiche",
        "description__de": "",
    }
    form = form_class(data, instance=colour)
    assert form.is_valid(), form.errors
    form.save()
    colour.refresh_from_db()
    assert colour.translations == {"en": {"name": "Oak tree"}, "de": {"name": "Eiche"}}
    with translation.override("de"):
        assert colour.translated.name == "Eiche"


@override_settings(LANGUAGE_CODE="ru", LANGUAGES=LANGUAGES)
def test_seeded_rows_get_the_seeds_text_in_each_language_unless_renamed():
    from django.utils.translation import gettext_lazy

    from istok_core.i18n import fill_seed_translations

    # "Yes" and "No": msgids Django's own catalogues translate ("Да", "Ja").
    seeds = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
    with translation.override("ru"):
        Colour.objects.create(slug="yes", name=str(seeds[0][1]))
    Colour.objects.create(slug="no", name="Нет, спасибо")  # renamed by the business
    fill_seed_translations(Colour.objects.all(), seeds)
    yes, no = Colour.objects.get(slug="yes"), Colour.objects.get(slug="no")
    assert yes.translations == {"en": {"name": "Yes"}, "de": {"name": "Ja"}}
    assert no.translations == {}
    fill_seed_translations(Colour.objects.all(), seeds)  # again: nothing changes
    assert Colour.objects.get(slug="yes").translations == yes.translations
