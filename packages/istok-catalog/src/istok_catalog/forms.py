"""Forms of istok_catalog that are not the FilterSet (see ``filters.py``)."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _


class PageForm(forms.Form):
    """The ``page`` and ``page_size`` query parameters of the product list (page and API)."""

    page = forms.IntegerField(label=_("Page"), min_value=1, required=False)
    page_size = forms.IntegerField(label=_("Products per page"), min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        maximum = settings.ISTOK_CATALOG_MAX_PAGE_SIZE
        field = self.fields["page_size"]
        field.max_value = maximum
        field.validators.append(MaxValueValidator(maximum))
        field.widget.attrs["max"] = maximum

    def get_page_number(self):
        """The valid page asked for, else 1."""
        self.is_valid()
        return self.cleaned_data.get("page") or 1

    def get_page_size(self):
        """The valid page size asked for, else ``ISTOK_CATALOG_PAGE_SIZE``."""
        self.is_valid()
        return self.cleaned_data.get("page_size") or settings.ISTOK_CATALOG_PAGE_SIZE
