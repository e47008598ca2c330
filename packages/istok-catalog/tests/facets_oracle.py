"""The catalog's facets as istok-catalog 0.2 computed them: the oracle the facet table's
answers are compared with.

Kept as it was (one ORM query per dimension on the normalised product tables, filtering
through ``furnitureproduct__...`` and an ``EXISTS`` on the purposes), except that it reads
the FilterSet's cleaned values instead of the FilterSet's own (now facet-table) filters.
"""

from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef

from istok_catalog.filters import TAXONOMY_FILTERS, search
from istok_catalog.models import FurnitureProduct, Product
from istok_catalog.selectors import DIMENSIONS, product_kinds

OLD_PATHS = {
    "kind": "kind",
    "category": "furnitureproduct__category",
    "purpose": "furnitureproduct__purposes",
    "shape": "furnitureproduct__shape",
    "facade_material": "furnitureproduct__facade_material",
    "countertop_material": "furnitureproduct__countertop_material",
}
CENT = Decimal("0.01")


def old_queryset(filterset, *without):
    """The published products under every valid filter but ``without``, unordered."""
    filterset.errors  # noqa: B018
    queryset = Product.objects.non_polymorphic().filter(is_published=True)
    for name, value in filterset.form.cleaned_data.items():
        if name in without or name == "ordering" or value in (None, "", [], ()):
            continue
        if name in TAXONOMY_FILTERS:
            ids = [term.pk for term in value]
            if not ids:
                continue
            if name == "purpose":
                through = FurnitureProduct.purposes.through
                queryset = queryset.filter(
                    Exists(
                        through.objects.filter(
                            furnitureproduct_id=OuterRef("pk"), purpose_id__in=ids
                        )
                    )
                )
            else:
                queryset = queryset.filter(**{f"{OLD_PATHS[name]}__in": ids})
        elif name == "kind":
            queryset = queryset.filter(kind__in=value)
        elif name == "price_min":
            queryset = queryset.filter(price__gte=value)
        elif name == "price_max":
            queryset = queryset.filter(price__lte=value)
        elif name == "q":
            queryset = search(queryset, value)
    return queryset.order_by()


def _money(value):
    return None if value is None else Decimal(value).quantize(CENT)


def _taxonomy_options():
    options = {}
    for name, (model, _column) in TAXONOMY_FILTERS.items():
        options[name] = [
            (term.pk, term.slug, term.name)
            for term in model.objects.filter(is_active=True).order_by("position", "name", "pk")
        ]
    return options


def old_facets(filterset):
    totals = old_queryset(filterset).aggregate(
        count=Count("pk"), price_min=Min("price"), price_max=Max("price")
    )
    terms = _taxonomy_options()
    kinds = product_kinds()
    dimensions = []
    for dimension in DIMENSIONS:
        path = OLD_PATHS[dimension.name]
        counts = dict(
            old_queryset(filterset, dimension.name)
            .filter(**{f"{path}__isnull": False})
            .values_list(path)
            .annotate(n=Count("pk"))
            .values_list(path, "n")
        )
        selected = filterset.selected(dimension.name)
        if dimension.name == "kind":
            choices = [(kind, kind, model.KIND_LABEL) for kind, model in kinds.items()]
        else:
            choices = list(terms[dimension.name])
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


def old_page(filterset, size=24):
    """The primary keys of the first page in the old order (position, then pk)."""
    ordering = filterset.form.cleaned_data.get("ordering") or "position"
    order = {
        "position": ("position", "pk"),
        "price": ("price", "pk"),
        "-price": ("-price", "-pk"),
        "newest": ("-created", "-pk"),
    }[ordering]
    return list(old_queryset(filterset).order_by(*order).values_list("pk", flat=True)[:size])
