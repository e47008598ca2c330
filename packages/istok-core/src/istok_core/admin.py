"""The admin's form controls, each with a name that a screen reader reads out.

Django's admin leaves some controls without an accessible name: a tabular inline shows
its labels as column headers, not ``<label>`` elements, and a split date-and-time field
labels only the pair. :class:`LabelledWidgetsMixin` names them (``aria-label``) after their
field: mix it into an ``InlineModelAdmin`` or a ``ModelAdmin`` (its changelist's
``list_editable`` controls, one per row under a column header, are named too)::

    from istok_core.admin import LabelledWidgetsMixin

    class LineInline(LabelledWidgetsMixin, admin.TabularInline):
        model = Line

The admin is otherwise unchanged: the visible labels stay as they are. The mixin also
loads ``istok_core/admin/accessible.js`` (an inline table that scrolls sideways on a
narrow screen becomes a named region reachable with the keyboard) and
``istok_core/admin/accessible.css`` (links inside text are underlined, not told apart by
their colour alone).
"""

from django import forms
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms import MultiWidget, SplitDateTimeWidget
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy

__all__ = ["AllValuesFieldListFilter", "LabelledWidgetsMixin", "label_widget", "permission_label"]


def _part_names(widget):
    if isinstance(widget, SplitDateTimeWidget):
        return [gettext("date"), gettext("time")]
    return [str(number) for number in range(1, len(widget.widgets) + 1)]


def label_widget(widget, label, *, whole=True):
    """Give ``widget`` the accessible name ``label`` (``aria-label``, unless it has one).

    The parts of a multi-widget get ``"<label>: <part>"`` ("Published: date"); with
    ``whole=False`` a plain widget is left alone (it has a visible ``<label>``).
    """
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    label = capfirst(str(label))
    if isinstance(widget, MultiWidget):
        for part, name in zip(widget.widgets, _part_names(widget), strict=True):
            part.attrs.setdefault("aria-label", f"{label}: {name}")
    elif whole:
        widget.attrs.setdefault("aria-label", label)


#: What Django's default permissions allow, in the active language (Django stores their
#: names in English: "Can add room").
PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "add"),
    "change": pgettext_lazy("permission", "change"),
    "delete": pgettext_lazy("permission", "delete"),
    "view": pgettext_lazy("permission", "view"),
}


def permission_label(permission):
    """A permission as "<app> | <model>: <action>" in the active language ("Заказы |
    Заказ: изменение"); a permission of its own (not add/change/delete/view) by its name,
    translated when a catalogue knows it."""
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.partition("_")[0]
    if model is not None and permission.codename == f"{action}_{model._meta.model_name}":
        name = f"{capfirst(model._meta.verbose_name)}: {PERMISSION_ACTIONS.get(action, action)}"
    else:
        name = gettext(permission.name)
    try:
        app = django_apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:  # a content type left by an app since removed
        app = content_type.app_label
    return f"{app} | {name}"


def _label_fields(formset):
    for formfield in formset.form.base_fields.values():
        if formfield.label is not None:
            label_widget(formfield.widget, formfield.label)
    return formset


def _label_row_controls(formset):
    """``formset`` whose forms also name the controls the formset adds to each row (the
    "Delete" checkbox, the order), which no form field class declares."""

    class LabelledFormSet(formset):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            for name in (DELETION_FIELD_NAME, ORDERING_FIELD_NAME):
                if name in form.fields:
                    label_widget(form.fields[name].widget, form.fields[name].label)

    LabelledFormSet.__name__ = LabelledFormSet.__qualname__ = formset.__name__
    return LabelledFormSet


class AllValuesFieldListFilter(admin.AllValuesFieldListFilter):
    """Django's filter by each value of a field, with a name for the blank value (Django's
    link for it has no text, which a screen reader cannot read out)::

        list_filter = [("topic", AllValuesFieldListFilter)]
    """

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": gettext("(blank)")}
            yield choice


class LabelledWidgetsMixin:
    """Name every form control of an admin class after its field (see the module)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and formfield.label is not None:
            # An inline's row has no <label> per control; a change form has one, which only
            # a multi-widget's parts lack.
            whole = isinstance(self, admin.options.InlineModelAdmin)
            label_widget(formfield.widget, formfield.label, whole=whole)
        related = getattr(db_field.remote_field, "model", None)
        if (
            formfield is not None
            and getattr(related, "_meta", None)
            and (
                related._meta.label == "auth.Permission"  # Django's names are English
            )
        ):
            formfield.label_from_instance = permission_label
        return formfield

    def get_changelist_formset(self, request, **kwargs):
        # A list_editable control sits in a table cell under its column's header: no <label>.
        return _label_fields(super().get_changelist_formset(request, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        # An inline's own form may declare fields that formfield_for_dbfield never sees.
        return _label_row_controls(_label_fields(super().get_formset(request, obj, **kwargs)))

    @property
    def media(self):
        return super().media + forms.Media(
            js=["istok_core/admin/accessible.js"],
            css={"all": ["istok_core/admin/accessible.css"]},
        )
