"""The demo's admin: Django's Group admin with controls a screen reader can name.

Django's ``GroupAdmin`` shows the permissions with ``filter_horizontal``, whose script puts
ARIA attributes on a ``<span>`` (which screen readers reject); here they are checkboxes,
each named by its own label, like the istok packages' many-to-many fields.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.db import models

from istok_core.admin import LabelledWidgetsMixin


class AccessibleGroupAdmin(LabelledWidgetsMixin, GroupAdmin):
    filter_horizontal = ()
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, AccessibleGroupAdmin)
