"""The one FilterSet of the catalog, shared by the product list page and the API.

Query parameters: ``category``, ``purpose``, ``shape``, ``facade_material``,
``countertop_material`` (each repeatable, by slug: any of the values matches), ``kind``
(repeatable: ``furniture``, ``service``), ``price_min``, ``price_max``, ``q`` (text
search) and ``ordering`` (``position``, ``price``, ``-price``, ``newest``).

Values are read without the spaces around them, and an empty (or blank) value means no
filter, as django-filter treats an empty single value: ``?category=`` is what a form's
empty choice sends. Among repeated values, the empty ones are left out.
"""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import F, Func, Q, QuerySet, TextField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import fields as filter_fields

from .models import (
    Category,
    CountertopMaterial,
    FacadeMaterial,
    Product,
    Purpose,
    Shape,
)

#: ``ordering`` values and the columns each sorts by (the primary key keeps pages stable).
#: Position and price are read from the facet table, whose indexes serve these orders.
ORDERINGS = {
    "position": ("facet__position", "facet__product_id"),
    "price": ("facet__price", "facet__product_id"),
    "-price": ("-facet__price", "-facet__product_id"),
    "newest": ("-created", "-pk"),
}
ORDERING_CHOICES = [
    ("position", _("Recommended")),
    ("price", _("Price: low to high")),
    ("-price", _("Price: high to low")),
    ("newest", _("Newest first")),
]

#: Filters that narrow by a taxonomy table: name -> (model, the facet table's column).
#: "Purpose" of a piece of furniture ("Назначение"), one name on the page, in the API and
#: the admin; the context keeps another app's "Purpose" (of a consent) from taking it.
FACET_PURPOSE_LABEL = pgettext_lazy("furniture", "Purpose")

#: Purposes are the bit mask ``purposes`` (bit ``Purpose.bit`` of each).
TAXONOMY_FILTERS = {
    "category": (Category, "category_id"),
    "purpose": (Purpose, "purposes"),
    "shape": (Shape, "shape_id"),
    "facade_material": (FacadeMaterial, "facade_material_id"),
    "countertop_material": (CountertopMaterial, "countertop_material_id"),
}


def purpose_mask(purposes):
    """The facet bit mask of ``purposes`` (terms): a product with any of them matches."""
    mask = 0
    for purpose in purposes:
        if purpose.bit is not None:
            mask |= 1 << purpose.bit
    return mask


class CaseFold(Func):
    """The text in lower case, Cyrillic included: SQLite's own ``lower()`` and ``LIKE``
    fold ASCII letters only, so there it calls Python's ``str.casefold`` (registered on
    each connection by the catalog's receivers)."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="ISTOK_CASEFOLD", **extra_context)


def register_casefold(sender, connection, **kwargs):
    """``connection_created`` receiver: SQLite gets the function :class:`CaseFold` calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "ISTOK_CASEFOLD",
            1,
            lambda value: value.casefold() if isinstance(value, str) else value,
            deterministic=True,
        )


def kind_choices():
    from .selectors import product_kinds

    return [(kind, model.KIND_LABEL) for kind, model in product_kinds().items()]


#: Django's message, with the value quoted: an unknown value stands out even when it is odd.
INVALID_CHOICE = _("Select a valid choice. “%(value)s” is not one of the available choices.")


def _stripped(value):
    """``value`` without the spaces around it; a list without its empty values."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return [item for item in map(_stripped, value) if item != ""]
    return value


class _StrippedMixin:
    """A filter field that reads its value through :func:`_stripped`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = INVALID_CHOICE

    def clean(self, value):
        return super().clean(_stripped(value))


class TermsField(_StrippedMixin, filter_fields.ModelMultipleChoiceField):
    pass


class ChoicesField(_StrippedMixin, filter_fields.MultipleChoiceField):
    pass


class ChoiceField(_StrippedMixin, filter_fields.ChoiceField):
    pass


class PriceField(_StrippedMixin, forms.DecimalField):
    pass


class TaxonomyFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = TermsField


class KindFilter(django_filters.MultipleChoiceFilter):
    field_class = ChoicesField


class OrderingFilter(django_filters.ChoiceFilter):
    field_class = ChoiceField


class PriceFilter(django_filters.NumberFilter):
    field_class = PriceField

    def get_max_validator(self):
        # ``max_digits`` already bounds the value; django-filter's 1e50 would only add a
        # second, puzzling message ("less than or equal to 1e+50") to a long number.
        return None


class ProductFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("price_min"), cleaned_data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "price_max", _("The highest price must not be lower than the lowest price.")
            )
        return cleaned_data


def _taxonomy_filter(name, label):
    model, path = TAXONOMY_FILTERS[name]
    return TaxonomyFilter(
        queryset=model.objects.all(),
        to_field_name="slug",
        field_name=path,
        method="filter_taxonomy",
        label=label,
    )


class ProductFilterSet(django_filters.FilterSet):
    """Filters published products; built by ``selectors.filter_products``.

    Invalid values make the form invalid: the API answers 400 with the field errors, the
    page ignores the faulty parameter and says so.
    """

    kind = KindFilter(choices=kind_choices, method="filter_kind", label=_("Kind"))
    category = _taxonomy_filter("category", _("Category"))
    purpose = _taxonomy_filter("purpose", FACET_PURPOSE_LABEL)
    shape = _taxonomy_filter("shape", _("Shape"))
    facade_material = _taxonomy_filter("facade_material", _("Facade material"))
    countertop_material = _taxonomy_filter("countertop_material", _("Countertop material"))
    price_min = PriceFilter(
        field_name="facet__price",
        lookup_expr="gte",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label=_("Price from"),
    )
    price_max = PriceFilter(
        field_name="facet__price",
        lookup_expr="lte",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label=_("Price to"),
    )
    q = django_filters.CharFilter(method="filter_search", max_length=200, label=_("Search"))
    ordering = OrderingFilter(
        choices=ORDERING_CHOICES, method="filter_ordering", label=_("Sort by")
    )

    class Meta:
        model = Product
        fields = []
        form = ProductFilterForm

    # The filters read the facet table (``facet__``); the search reads the product's text.
    # The value hints also tell drf-spectacular the parameters are plain strings.
    def filter_taxonomy(self, queryset, column, value: QuerySet):
        terms = list(value)
        if not terms:
            return queryset
        if column == TAXONOMY_FILTERS["purpose"][1]:
            # Any of the purposes: one test on the mask, and each product comes once.
            return queryset.alias(
                facet_purposes_chosen=F("facet__purposes").bitand(purpose_mask(terms))
            ).exclude(facet_purposes_chosen=0)
        return queryset.filter(**{f"facet__{column}__in": [term.pk for term in terms]})

    def filter_kind(self, queryset, name, value: list):
        return queryset.filter(facet__kind__in=value) if value else queryset

    def filter_search(self, queryset, name, value: str):
        return search(queryset, value)

    def filter_ordering(self, queryset, name, value: str):
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["position"]))

    def filter_queryset(self, queryset, exclude=()):
        """Apply every valid filter except those named in ``exclude``."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def queryset_without(self, *names):
        """The result under every active filter except ``names``, unordered (for facets)."""
        self.errors  # noqa: B018  (validates the form, as ``qs`` does)
        return self.filter_queryset(self.queryset.all(), exclude={*names, "ordering"}).order_by()

    def selected(self, name):
        """The values of filter ``name`` the request chose and that are valid, as strings."""
        self.errors  # noqa: B018
        value = self.form.cleaned_data.get(name)
        if not value:
            return set()
        if name in TAXONOMY_FILTERS:
            return {term.slug for term in value}
        return set(value) if isinstance(value, (list, tuple, set)) else {str(value)}


def search(queryset, value):
    """Products of ``queryset`` whose name or description match ``value``.

    PostgreSQL: full-text search (``ISTOK_CATALOG_SEARCH_CONFIG``, indexed by migration
    0003). Other databases: the words as typed, in any case (Cyrillic too).
    """
    value = value.strip()
    if not value:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        config = settings.ISTOK_CATALOG_SEARCH_CONFIG
        return queryset.alias(
            search_document=SearchVector("name", "description", config=config)
        ).filter(search_document=SearchQuery(value, config=config, search_type="websearch"))
    if vendor == "sqlite":
        folded = value.casefold()
        return queryset.alias(
            search_name=CaseFold("name"), search_description=CaseFold("description")
        ).filter(Q(search_name__contains=folded) | Q(search_description__contains=folded))
    return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
