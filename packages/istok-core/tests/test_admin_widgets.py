"""Every admin form control has a name a screen reader reads out (istok_core.admin)."""

import pytest
from django import forms
from django.contrib import admin
from django.db import models
from django.utils import translation

from istok_core.admin import AllValuesFieldListFilter, LabelledWidgetsMixin, label_widget

from .i18napp.models import Colour

site = admin.AdminSite()


def field(field_class, name, **kwargs):
    db_field = field_class(**kwargs)
    db_field.set_attributes_from_name(name)
    return db_field


class ColourInline(LabelledWidgetsMixin, admin.TabularInline):
    model = Colour


class ColourAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    pass


def test_an_inline_names_each_control_after_its_field():
    inline = ColourInline(Colour, site)
    formfield = inline.formfield_for_dbfield(
        field(models.CharField, "product_name", verbose_name="product name", max_length=9), None
    )
    assert formfield.widget.attrs["aria-label"] == "Product name"
    assert 'aria-label="Product name"' in formfield.widget.render("lines-0-product_name", "")


def test_a_change_form_keeps_its_visible_labels_and_names_the_parts_of_a_date_and_time():
    model_admin = ColourAdmin(Colour, site)
    plain = model_admin.formfield_for_dbfield(
        field(models.CharField, "name", verbose_name="name", max_length=9), None
    )
    assert "aria-label" not in plain.widget.attrs  # its <label for=...> names it
    with translation.override("en"):
        split = model_admin.formfield_for_dbfield(
            field(models.DateTimeField, "published_at", verbose_name="published"), None
        )
    names = [part.attrs["aria-label"] for part in split.widget.widgets]
    assert names == ["Published: date", "Published: time"]


def test_a_name_given_by_the_form_is_kept():
    widget = forms.TextInput(attrs={"aria-label": "Own name"})
    label_widget(widget, "field label")
    assert widget.attrs["aria-label"] == "Own name"


class EditableColourAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    list_display = ["slug", "name", "description"]
    list_editable = ["name", "description"]


def test_a_changelist_names_each_editable_control_after_its_column(rf):
    model_admin = EditableColourAdmin(Colour, site)
    formset_class = model_admin.get_changelist_formset(rf.get("/admin/i18napp/colour/"))
    formset = formset_class(queryset=Colour.objects.none())
    html = str(formset.empty_form["name"]) + str(formset.empty_form["description"])
    assert 'aria-label="Name"' in html
    assert 'aria-label="Description"' in html


def test_an_admin_with_the_mixin_loads_the_accessibility_script_and_stylesheet():
    for admin_object in (ColourAdmin(Colour, site), ColourInline(Colour, site)):
        media = str(admin_object.media)
        assert "istok_core/admin/accessible.js" in media
        assert "istok_core/admin/accessible.css" in media


class ColourForm(forms.ModelForm):
    shade = forms.ChoiceField(label="shade", choices=[("light", "light"), ("dark", "dark")])

    class Meta:
        model = Colour
        fields = ["name"]


class FormsetFromAForm:
    """What an InlineModelAdmin's get_formset returns: a formset of its ``form``."""

    def get_formset(self, request, obj=None, **kwargs):
        return forms.modelformset_factory(
            Colour, form=ColourForm, fields=["name", "shade"], can_delete=True
        )


class LabelledFormset(LabelledWidgetsMixin, FormsetFromAForm):
    pass


def test_an_inline_names_the_fields_its_form_declares():
    form_class = LabelledFormset().get_formset(None).form
    assert form_class.base_fields["shade"].widget.attrs["aria-label"] == "Shade"
    assert form_class.base_fields["name"].widget.attrs["aria-label"] == "Name"


def test_an_inline_names_the_delete_checkbox_of_each_row():
    formset = LabelledFormset().get_formset(None)(queryset=Colour.objects.none())
    with translation.override("en"):
        assert 'aria-label="Delete"' in str(formset.empty_form["DELETE"])


class ColourFilterAdmin(admin.ModelAdmin):
    list_filter = [("description", AllValuesFieldListFilter)]


@pytest.mark.django_db
def test_a_blank_value_in_a_filter_has_a_name(rf, admin_user):
    Colour.objects.create(slug="red", name="red", description="")
    Colour.objects.create(slug="blue", name="blue", description="bright")
    request = rf.get("/")
    request.user = admin_user
    changelist = ColourFilterAdmin(Colour, site).get_changelist_instance(request)
    with translation.override("en"):
        displays = [choice["display"] for choice in changelist.filter_specs[0].choices(changelist)]
    assert "(blank)" in displays and "bright" in displays
    assert "" not in displays


@pytest.mark.django_db
def test_a_permission_is_shown_in_the_active_language():
    from django.contrib.auth.models import Group, Permission

    model_admin = ColourAdmin(Group, site)
    formfield = model_admin.formfield_for_dbfield(Group._meta.get_field("permissions"), None)
    permission = Permission.objects.get(codename="change_colour")
    with translation.override("ru"):
        label = formfield.label_from_instance(permission)
    assert label == "I18Napp | Colour: изменение"  # Django's name: "Can change colour"
