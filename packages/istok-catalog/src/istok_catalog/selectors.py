"""Read queries of istok_catalog, shared by the pages, the API and other apps."""

import hashlib
import json
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import CharField, F, Value
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from istok_core.i18n import translate

from .filters import (
    FACET_PURPOSE_LABEL,
    ORDERINGS,
    TAXONOMY_FILTERS,
    ProductFilterSet,
    purpose_mask,
    search,
)
from .models import Category, FurnitureProduct, Product, ProductFacet

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


def listed_products():
    """What the catalog lists: published products, read through their facet row (the
    filters, the counts and the page order all use the facet table)."""
    return (
        Product.objects.non_polymorphic()
        .filter(facet__is_published=True)
        .order_by(*ORDERINGS["position"])
    )


def filter_products(data, *, request=None):
    """The catalog FilterSet bound to ``data`` (a QueryDict) over the listed products."""
    return ProductFilterSet(data=data, queryset=listed_products(), request=request)


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
    """A paginator over the filtered products; ``count`` (from :func:`facets` or
    :func:`product_count`) saves a query. A page reads its product rows in the facet
    table's order: one query, whatever its size."""
    queryset = filterset.qs.defer("description")
    return CountedPaginator(queryset, page_size or settings.ISTOK_CATALOG_PAGE_SIZE, count=count)


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    column: str


#: The facet dimensions, in the order the sidebar and the API list them; ``column`` is the
#: facet table's (``purposes`` is a bit mask: its counts are summed per bit).
DIMENSIONS = (
    Dimension("kind", _("Kind"), "kind"),
    Dimension("category", _("Category"), TAXONOMY_FILTERS["category"][1]),
    Dimension("purpose", FACET_PURPOSE_LABEL, TAXONOMY_FILTERS["purpose"][1]),
    Dimension("shape", _("Shape"), TAXONOMY_FILTERS["shape"][1]),
    Dimension("facade_material", _("Facade material"), TAXONOMY_FILTERS["facade_material"][1]),
    Dimension(
        "countertop_material",
        _("Countertop material"),
        TAXONOMY_FILTERS["countertop_material"][1],
    ),
)
FACET_TABLE = ProductFacet._meta.db_table


def _money(value):
    # SQLite gives back 50000 (or a float) for 50000.00: keep two places whatever the database.
    return None if value is None else Decimal(str(value)).quantize(CENT)


# -- the facet statement ----------------------------------------------------------------------


class FacetConditions:
    """The valid filters of a FilterSet as SQL conditions on the facet table (alias ``f``).

    ``common`` holds what every count shares (published, price bounds, the search);
    ``dimensions`` the condition of each facet dimension with an active filter: a facet's
    options are counted under every condition but its own dimension's.
    """

    def __init__(self, filterset, using):
        filterset.errors  # noqa: B018  (validates the form)
        data = filterset.form.cleaned_data
        connection = connections[using]
        self.common = [("f.is_published = %s", [True])]
        self.dimensions = {}
        kinds = sorted(data.get("kind") or ())
        if kinds:
            self.dimensions["kind"] = (f"f.kind IN ({_marks(kinds)})", kinds)
        for name, (_model, column) in TAXONOMY_FILTERS.items():
            terms = list(data.get(name) or ())
            if not terms:
                continue
            if name == "purpose":
                self.dimensions[name] = ("(f.purposes & %s) <> 0", [purpose_mask(terms)])
            else:
                ids = sorted(term.pk for term in terms)
                self.dimensions[name] = (f"f.{column} IN ({_marks(ids)})", ids)
        for name, operator in (("price_min", ">="), ("price_max", "<=")):
            if data.get(name) is not None:
                value = connection.ops.adapt_decimalfield_value(data[name], 12, 2)
                self.common.append((f"f.price {operator} %s", [value]))
        query = (data.get("q") or "").strip()
        if query:
            found = search(Product.objects.using(using).order_by(), query).values("pk")
            sql, params = found.query.get_compiler(using=using).as_sql()
            self.common.append((f"f.product_id IN ({sql})", list(params)))
        self.key_data = {
            **{name: params for name, (_sql, params) in self.dimensions.items()},
            "price_min": str(data.get("price_min")),
            "price_max": str(data.get("price_max")),
            "q": query,
        }

    def where(self, *, without=None, common=True):
        """``(sql, params)``: the conditions ANDed, leaving out dimension ``without``."""
        parts = list(self.common) if common else []
        parts += [part for name, part in self.dimensions.items() if name != without]
        if not parts:
            return "TRUE", []
        return " AND ".join(sql for sql, _params in parts), [p for _sql, ps in parts for p in ps]

    def cache_key(self):
        text = json.dumps(self.key_data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _marks(values):
    return ", ".join(["%s"] * len(values))


def _grouping_sets_statement(conditions):
    """PostgreSQL: every count, the result's count and its price range in one statement.

    One scan of the facet table under the conditions every count shares, grouped by the
    combination of dimension values (a few thousand groups, whatever the catalogue's size);
    then ``GROUP BY GROUPING SETS`` (one set per dimension and the total) over those groups,
    with a ``FILTER`` per active dimension: the groups that fail only that dimension's
    condition still count for its options. Groups failing two active dimensions count
    nowhere and are left out. The kind is grouped as its number in ``kinds`` (0 for a kind
    no installed class declares, which no option shows): hashing integers costs a row
    less than hashing text.
    """
    kinds = list(product_kinds())
    number = {kind: index for index, kind in enumerate(kinds, start=1)}
    kind_sql = "CASE f.kind {} ELSE 0 END".format(" ".join("WHEN %s THEN %s" for _kind in kinds))
    kind_params = [p for kind in kinds for p in (kind, number[kind])]
    # Over the groups, the kind condition compares numbers.
    dimensions = dict(conditions.dimensions)
    if "kind" in dimensions:
        chosen = [number[kind] for kind in dimensions["kind"][1] if kind in number] or [-1]
        dimensions["kind"] = (f"f.kind IN ({_marks(chosen)})", chosen)

    def where(without=None):
        parts = [part for name, part in dimensions.items() if name != without]
        if not parts:
            return "TRUE", []
        return " AND ".join(sql for sql, _p in parts), [p for _sql, ps in parts for p in ps]

    others = ", ".join(f"f.{dimension.column}" for dimension in DIMENSIONS[1:])
    columns = f"f.kind, {others}"
    common_sql = " AND ".join(sql for sql, _params in conditions.common)
    common_params = [p for _sql, ps in conditions.common for p in ps]
    select, params = [f"GROUPING({columns})", columns], []
    active = list(dimensions)
    if active:
        all_sql, all_params = where()
        select.append(f"sum(f.n) FILTER (WHERE {all_sql})")
        params += all_params
        for name in active:
            sql, dimension_params = where(without=name)
            select.append(f"sum(f.n) FILTER (WHERE {sql})")
            params += dimension_params
        select.append(f"min(f.low) FILTER (WHERE {all_sql})")
        select.append(f"max(f.high) FILTER (WHERE {all_sql})")
        params += all_params + all_params
    else:
        select += ["sum(f.n)", "min(f.low)", "max(f.high)"]
    misses = ""
    if len(active) >= 2:
        misses = " WHERE {} <= 1".format(
            " + ".join(f"(CASE WHEN {sql} THEN 0 ELSE 1 END)" for sql, _p in dimensions.values())
        )
        params += [p for _sql, ps in dimensions.values() for p in ps]
    sets = ", ".join([*(f"(f.{dimension.column})" for dimension in DIMENSIONS), "()"])
    sql = (
        f"WITH combinations AS (SELECT {kind_sql} AS kind, {others}, count(*) AS n, "
        f"min(f.price) AS low, max(f.price) AS high FROM {FACET_TABLE} f "
        f"WHERE {common_sql} GROUP BY 1, {others}) "
        f"SELECT {', '.join(select)} FROM combinations f{misses} GROUP BY GROUPING SETS ({sets})"
    )
    return sql, kind_params + common_params + params, kinds


def _read_grouping_sets(rows, conditions, kinds):
    width = len(DIMENSIONS)
    full = (1 << width) - 1
    active = list(conditions.dimensions)
    set_of = {full ^ (1 << (width - 1 - i)): i for i in range(width)}
    counts = {dimension.name: {} for dimension in DIMENSIONS}
    totals = {"count": 0, "price_min": None, "price_max": None}
    for row in rows:
        grouping, keys, numbers = row[0], row[1 : 1 + width], row[1 + width :]
        count_all = int(numbers[0] or 0)
        if grouping == full:
            totals = {"count": count_all, "price_min": numbers[-2], "price_max": numbers[-1]}
            continue
        index = set_of[grouping]
        name = DIMENSIONS[index].name
        count = int(numbers[1 + active.index(name)] or 0) if name in active else count_all
        key = keys[index]
        if name == "kind":
            key = kinds[key - 1] if key else None
        if key is not None and count:
            counts[name][key] = count
    return totals, counts


def _union_statement(conditions):
    """Any database: the same numbers as :func:`_grouping_sets_statement`, one statement of
    a ``GROUP BY`` per dimension joined by ``UNION ALL`` (a scan each)."""
    where, params = conditions.where()
    parts = [
        f"SELECT -1, CAST(NULL AS TEXT), count(*), min(f.price), max(f.price) "
        f"FROM {FACET_TABLE} f WHERE {where}"
    ]
    for index, dimension in enumerate(DIMENSIONS):
        sql, dimension_params = conditions.where(without=dimension.name)
        column = f"f.{dimension.column}"
        parts.append(
            f"SELECT {index}, CAST({column} AS TEXT), count(*), NULL, NULL "
            f"FROM {FACET_TABLE} f WHERE {sql} AND {column} IS NOT NULL GROUP BY {column}"
        )
        params += dimension_params
    return " UNION ALL ".join(parts), params


def _read_union(rows):
    counts = {dimension.name: {} for dimension in DIMENSIONS}
    totals = {"count": 0, "price_min": None, "price_max": None}
    for index, key, count, price_min, price_max in rows:
        if index == -1:
            totals = {"count": count, "price_min": price_min, "price_max": price_max}
            continue
        dimension = DIMENSIONS[index]
        if count:
            counts[dimension.name][key if dimension.name == "kind" else int(key)] = count
    return totals, counts


def _count_facets(conditions, using, *, portable=None):
    connection = connections[using]
    if portable is None:
        portable = connection.vendor != "postgresql"
    if portable:
        sql, params = _union_statement(conditions)
    else:
        sql, params, kinds = _grouping_sets_statement(conditions)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if portable:
        totals, counts = _read_union(rows)
    else:
        totals, counts = _read_grouping_sets(rows, conditions, kinds)
    # A product counts once for each of its purposes: the mask counts, summed per bit.
    per_bit = {}
    for mask, count in counts["purpose"].items():
        mask = int(mask)
        for bit in range(mask.bit_length()):
            if mask >> bit & 1:
                per_bit[bit] = per_bit.get(bit, 0) + count
    counts["purpose"] = per_bit
    return {
        "count": totals["count"],
        "price_min": _money(totals["price_min"]),
        "price_max": _money(totals["price_max"]),
        "counts": counts,
    }


# -- the cache --------------------------------------------------------------------------------

VERSION_KEY = "istok_catalog:version"


def facets_cache():
    """The cache of ``ISTOK_CATALOG_FACETS_CACHE``, or ``None`` (not cached)."""
    alias = settings.ISTOK_CATALOG_FACETS_CACHE
    return caches[alias] if alias else None


def catalog_version(cache):
    """The catalogue's version in ``cache``: part of every key, so a bump retires them all."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Lost (evicted, flushed): a new start no earlier key can have used.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_catalog_version():
    """Retire every cached count (``services.catalog_changed`` calls it after commits)."""
    cache = facets_cache()
    if cache is None:
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


class _Cached:
    """The cache entries of one request, read in one round trip with the catalogue's
    version: an entry stored under another version is not used."""

    def __init__(self, conditions, *, use_cache=True):
        self.cache = facets_cache() if use_cache else None
        self.entries = {}
        if self.cache is None:
            return
        key = conditions.cache_key()
        self.keys = {
            "counts": f"istok_catalog:facets:{key}",
            "count": f"istok_catalog:count:{key}",
            "options": f"istok_catalog:options:{get_language() or ''}",
        }
        found = self.cache.get_many([VERSION_KEY, *self.keys.values()])
        self.version = found.get(VERSION_KEY)
        if self.version is None:
            self.version = catalog_version(self.cache)
        for name, key in self.keys.items():
            stamped = found.get(key)
            if stamped is not None and stamped[0] == self.version:
                self.entries[name] = stamped[1]

    def get(self, name, compute):
        if name not in self.entries:
            # Stamped with the version read before computing: a write committed meanwhile
            # has bumped it, so this entry is never used after that write.
            self.entries[name] = compute()
            if self.cache is not None:
                timeout = settings.ISTOK_CATALOG_FACETS_CACHE_TIMEOUT
                self.cache.set(self.keys[name], (self.version, self.entries[name]), timeout)
        return self.entries[name]


# -- what the pages and the API read ----------------------------------------------------------


def _taxonomy_options():
    """Every active term of every taxonomy table, in one query: {filter name: [(key, slug,
    name)]}, the key being what the counts are keyed by (the purpose's bit, else the pk)."""
    parts = [
        model.objects.filter(is_active=True)
        .order_by()
        .values(
            "slug",
            "name",
            "translations",
            "position",
            "pk",
            key=F("bit") if name == "purpose" else F("pk"),
            dimension=Value(name, output_field=CharField()),
        )
        for name, (model, _column) in TAXONOMY_FILTERS.items()
    ]
    rows = list(parts[0].union(*parts[1:], all=True))
    for row in rows:
        # The name in the active language (the cache keeps options per language).
        row["name"] = translate(_json(row["translations"]), "name", row["name"])
    rows.sort(key=lambda r: (r["position"], r["name"], r["pk"]))
    options = {name: [] for name in TAXONOMY_FILTERS}
    for row in rows:
        options[row["dimension"]].append((row["key"], row["slug"], row["name"]))
    return options


def _json(value):
    # A JSON column read through a UNION comes back as text on some databases.
    return json.loads(value) if isinstance(value, str) else value


def _option_key(name, term):
    return term.bit if name == "purpose" else term.pk


def _counts(filterset, *, portable=None):
    """``(conditions, cached entries)`` of a FilterSet; the counts are computed on demand."""
    using = filterset.queryset.db
    conditions = FacetConditions(filterset, using)
    return conditions, _Cached(conditions, use_cache=portable is None), using


def facet_counts(filterset, *, portable=None):
    """The numbers behind :func:`facets`: ``{"count", "price_min", "price_max", "counts":
    {dimension: {key: n}}}``, from the cache or from one statement on the facet table.

    ``portable`` (tests) forces the statement: ``True`` the ``UNION ALL`` one any database
    runs, ``False`` PostgreSQL's ``GROUPING SETS``; either skips the cache.
    """
    conditions, cached, using = _counts(filterset, portable=portable)
    return cached.get("counts", lambda: _count_facets(conditions, using, portable=portable))


def product_count(filterset):
    """The number of products the filters give (for a list without facets): reused from the
    cached facets or a cached count when there is one, else one ``count(*)``."""
    conditions, cached, using = _counts(filterset)
    if "counts" in cached.entries:
        return cached.entries["counts"]["count"]

    def count():
        where, params = conditions.where()
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FACET_TABLE} f WHERE {where}", params)
            return cursor.fetchone()[0]

    return cached.get("count", count)


def facets(filterset, *, portable=None):
    """Counts for the filter sidebar, computed under the filterset's valid filters.

    Returns ``{"count": n, "price": {"min": ..., "max": ...}, "dimensions": [...]}``:
    ``count`` and ``price`` describe the current result; each dimension lists every
    option with the number of products it would give combined with the *other* active
    filters (zero counts included, so a page can show them disabled) and whether it is
    selected. One statement on the facet table (and one for the options), or none when
    ``ISTOK_CATALOG_FACETS_CACHE`` has them.
    """
    conditions, cached, using = _counts(filterset, portable=portable)
    numbers = cached.get("counts", lambda: _count_facets(conditions, using, portable=portable))
    terms = cached.get("options", _taxonomy_options)
    kinds = product_kinds()
    dimensions = []
    for dimension in DIMENSIONS:
        counts = numbers["counts"][dimension.name]
        selected = filterset.selected(dimension.name)
        if dimension.name == "kind":
            choices = [(kind, kind, model.KIND_LABEL) for kind, model in kinds.items()]
        else:
            choices = list(terms[dimension.name])
            # A chosen term that is no longer active stays visible so it can be unticked.
            shown = {slug for _key, slug, _name in choices}
            value = filterset.form.cleaned_data.get(dimension.name) or ()
            choices += [
                (_option_key(dimension.name, t), t.slug, t.translated.name)
                for t in value
                if t.slug not in shown
            ]
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
        "count": numbers["count"],
        "price": {"min": numbers["price_min"], "max": numbers["price_max"]},
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
