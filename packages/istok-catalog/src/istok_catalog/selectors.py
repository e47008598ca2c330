"""Read queries of istok_catalog, shared by the pages, the API and other apps."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Max, Min, Value
from django.utils.translation import gettext_lazy as _

from .filters import TAXONOMY_FILTERS, ProductFilterSet
from .models import Category, FurnitureProduct, Product

CENT = Decimal("0.01")


def product_kinds():
    """Map each product kind to the model that declares it: ``{"furniture": ..., ...}``.

    A project's subclass of ``FurnitureProduct`` that keeps its ``KIND`` is still
    furniture; one that sets its own ``KIND`` becomes a new kind in the filters.
    """
    kinds = {}
    for model in apps.get_models():
        if issubclass(model, Product) and model is not Product and "KIND" in vars(model):
            kinds.setdefault(model.KIND, model)
    return kinds


def published_products():
    """Published products as rows of the base table (one query, whatever their kind)."""
    return Product.objects.non_polymorphic().filter(is_published=True)


def filter_products(data, *, request=None):
    """The catalog FilterSet bound to ``data`` (a QueryDict) over the published products."""
    return ProductFilterSet(data=data, queryset=published_products(), request=request)


def get_published_product(slug):
    """The published product ``slug`` as an instance of its own kind, with its relations.

    Raises ``Product.DoesNotExist`` when there is none.
    """
    row = published_products().filter(slug=slug).values_list("pk", "kind").first()
    if row is None:
        raise Product.DoesNotExist(f"No published product {slug!r}.")
    pk, kind = row
    model = product_kinds().get(kind, Product)
    queryset = model.objects.prefetch_related("images")
    if issubclass(model, FurnitureProduct):
        queryset = queryset.select_related(
            "category", "shape", "facade_material", "countertop_material"
        ).prefetch_related("purposes")
    return queryset.get(pk=pk)


class CountedPaginator(Paginator):
    """A paginator told the number of objects, so it does not count them again."""

    def __init__(self, object_list, per_page, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        if self._known_count is not None:
            return self._known_count
        return super().count


def product_paginator(filterset, page_size=None, *, count=None):
    """A paginator over the filtered products; ``count`` from :func:`facets` saves a query."""
    queryset = filterset.qs.defer("description")
    return CountedPaginator(queryset, page_size or settings.ISTOK_CATALOG_PAGE_SIZE, count=count)


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    path: str


DIMENSIONS = (
    Dimension("kind", _("Kind"), "kind"),
    Dimension("category", _("Category"), TAXONOMY_FILTERS["category"][1]),
    Dimension("purpose", _("Purpose"), TAXONOMY_FILTERS["purpose"][1]),
    Dimension("shape", _("Shape"), TAXONOMY_FILTERS["shape"][1]),
    Dimension("facade_material", _("Facade material"), TAXONOMY_FILTERS["facade_material"][1]),
    Dimension(
        "countertop_material",
        _("Countertop material"),
        TAXONOMY_FILTERS["countertop_material"][1],
    ),
)


def _taxonomy_options():
    """Every active term of every taxonomy table, in one query: {filter name: [(slug, name)]}."""
    parts = [
        model.objects.filter(is_active=True)
        .order_by()
        .values("slug", "name", "position", "pk", dimension=Value(name, output_field=CharField()))
        for name, (model, _path) in TAXONOMY_FILTERS.items()
    ]
    rows = sorted(
        parts[0].union(*parts[1:], all=True), key=lambda r: (r["position"], r["name"], r["pk"])
    )
    options = {name: [] for name in TAXONOMY_FILTERS}
    for row in rows:
        options[row["dimension"]].append((row["pk"], row["slug"], row["name"]))
    return options


def _money(value):
    # SQLite gives back 50000 for 50000.00: keep two places whatever the database.
    return None if value is None else Decimal(value).quantize(CENT)


def facets(filterset):
    """Counts for the filter sidebar, computed under the filterset's valid filters.

    Returns ``{"count": n, "price": {"min": ..., "max": ...}, "dimensions": [...]}``:
    ``count`` and ``price`` describe the current result; each dimension lists every
    option with the number of products it would give combined with the *other* active
    filters (zero counts included, so a page can show them disabled) and whether it is
    selected. One query for the options, one per dimension, one for count and prices.
    """
    totals = filterset.queryset_without().aggregate(
        count=Count("pk"), price_min=Min("price"), price_max=Max("price")
    )
    terms = _taxonomy_options()
    kinds = product_kinds()
    dimensions = []
    for dimension in DIMENSIONS:
        queryset = filterset.queryset_without(dimension.name)
        counts = dict(
            queryset.filter(**{f"{dimension.path}__isnull": False})
            .values_list(dimension.path)
            .annotate(n=Count("pk"))
            .values_list(dimension.path, "n")
        )
        selected = filterset.selected(dimension.name)
        if dimension.name == "kind":
            choices = [(kind, kind, model.KIND_LABEL) for kind, model in kinds.items()]
        else:
            choices = list(terms[dimension.name])
            # A chosen term that is no longer active stays visible so it can be unticked.
            shown = {slug for _pk, slug, _name in choices}
            value = filterset.form.cleaned_data.get(dimension.name) or ()
            choices += [(t.pk, t.slug, t.name) for t in value if t.slug not in shown]
        options = [
            {
                "value": slug,
                "label": label,
                "count": counts.get(key, 0),
                "selected": slug in selected,
            }
            for key, slug, label in choices
        ]
        dimensions.append({"name": dimension.name, "label": dimension.label, "options": options})
    return {
        "count": totals["count"],
        "price": {"min": _money(totals["price_min"]), "max": _money(totals["price_max"])},
        "dimensions": dimensions,
    }


def categories():
    """The active categories, in their order: what another app offers to choose from (a
    promotion's categories in istok-loyalty)."""
    return Category.objects.filter(is_active=True)


def product_category_slugs(product_ids):
    """The codes of the categories of the products ``product_ids`` (one query; services
    and products without a category add none)."""
    return set(
        FurnitureProduct.objects.non_polymorphic()
        .filter(pk__in=[pk for pk in product_ids if pk is not None], category__isnull=False)
        .values_list("category__slug", flat=True)
    )
