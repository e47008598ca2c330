"""Benchmark of the catalog API: the filtered product list with facets over 100,000 products.

Creates a PostgreSQL database (``istok_bench`` by default; ``BENCH_DATABASE_URL`` names
another), migrates it, fills it with ``istok_catalog_demo`` and measures, in one run:

* django: ``GET /api/catalog/products/`` through the test Client (DRF view, the shared
  FilterSet, facets, serializers), three active filters, page 24;
* baseline: the same response built by hand, one raw SQL query per part (options, totals,
  one per facet dimension, the page) and ``orjson``.

Both answers are compared before timing, so the baseline is the same result. Prints a
table and writes ``bench/results/catalog.json`` (median_ms, baseline_median_ms, ratio).

    .venv/bin/python bench/catalog.py [--products 100000] [--runs 30] [--reuse]
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from _common import count_queries, create_database, server, summary, timed

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "catalog.json"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/istok_bench"
)
TARGET_RATIO = 2.0

#: The request measured: three active filters (two of them with two values), page 24.
PARAMS = [
    ("category", "kitchen"),
    ("category", "wardrobe"),
    ("facade_material", "mdf-enamel"),
    ("facade_material", "mdf-film"),
    ("price_max", "300000"),
    ("page", "24"),
]
PAGE, PAGE_SIZE = 24, 24
PATH = "/api/catalog/products/"
HOST = "http://testserver"

urlpatterns = []  # filled in configure(); this module is the URLconf


def configure():
    import dj_database_url
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        USE_TZ=True,
        LANGUAGE_CODE="en",
        ALLOWED_HOSTS=["testserver"],
        DATABASES={"default": {**dj_database_url.parse(DATABASE_URL), "CONN_MAX_AGE": None}},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "polymorphic",
            "django_filters",
            "rest_framework",
            "istok_catalog",
        ],
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        ROOT_URLCONF=__name__,
        MEDIA_ROOT=tempfile.mkdtemp(prefix="istok-bench-media-"),
        MEDIA_URL="/media/",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        REST_FRAMEWORK={
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_AUTHENTICATION_CLASSES": [],
            "UNAUTHENTICATED_USER": None,
        },
    )


def fill(products):
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic()
    call_command("istok_catalog_demo", products=products, seed=42)
    filled = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"migrate_s": migrated - started, "demo_s": filled - migrated}


# -- baseline: one raw SQL query per part, orjson ------------------------------------------

TAXONOMY = {
    "category": ("istok_catalog_category", "f.category_id"),
    "purpose": ("istok_catalog_purpose", "fp.purpose_id"),
    "shape": ("istok_catalog_shape", "f.shape_id"),
    "facade_material": ("istok_catalog_facadematerial", "f.facade_material_id"),
    "countertop_material": ("istok_catalog_countertopmaterial", "f.countertop_material_id"),
}
DIMENSIONS = ["kind", *TAXONOMY]
LABELS = {
    "kind": "Kind",
    "category": "Category",
    "purpose": "Purpose",
    "shape": "Shape",
    "facade_material": "Facade material",
    "countertop_material": "Countertop material",
}
KINDS = [("furniture", "Furniture"), ("service", "Service")]
FROM = (
    "FROM istok_catalog_product p "
    "LEFT JOIN istok_catalog_furnitureproduct f ON f.product_ptr_id = p.id"
)


def _clauses(params):
    """SQL condition and parameters of each active filter, by filter name."""
    values = {}
    for name, value in params:
        values.setdefault(name, []).append(value)
    clauses = {}
    for name, (table, column) in TAXONOMY.items():
        if name not in values:
            continue
        if name == "purpose":
            clauses[name] = (
                "EXISTS (SELECT 1 FROM istok_catalog_furnitureproduct_purposes x "
                "JOIN istok_catalog_purpose t ON t.id = x.purpose_id "
                "WHERE x.furnitureproduct_id = p.id AND t.slug = ANY(%s))",
                [values[name]],
            )
        else:
            clauses[name] = (
                f"{column} IN (SELECT id FROM {table} WHERE slug = ANY(%s))",
                [values[name]],
            )
    if "kind" in values:
        clauses["kind"] = ("p.kind = ANY(%s)", [values["kind"]])
    if "price_min" in values:
        clauses["price_min"] = ("p.price >= %s", [Decimal(values["price_min"][0])])
    if "price_max" in values:
        clauses["price_max"] = ("p.price <= %s", [Decimal(values["price_max"][0])])
    return clauses, values


def _where(clauses, without=()):
    parts, params = ["p.is_published"], []
    for name, (clause, clause_params) in clauses.items():
        if name not in without:
            parts.append(clause)
            params.extend(clause_params)
    return " AND ".join(parts), params


def _money(value):
    return None if value is None else f"{value:.2f}"


def _url(path, query):
    return f"{HOST}{path}?{urlencode(sorted(query))}" if query else f"{HOST}{path}"


def baseline(params):
    """The list response, built with raw SQL (one query per part) and orjson."""
    import orjson
    from django.db import connection

    clauses, values = _clauses(params)
    page = int(values.get("page", ["1"])[0])
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT '{name}', id, slug, name, position FROM {table} WHERE is_active"
                for name, (table, _column) in TAXONOMY.items()
            )
        )
        options = {name: [] for name in TAXONOMY}
        for name, pk, slug, label, _position in sorted(
            cursor.fetchall(), key=lambda r: (r[4], r[3], r[1])
        ):
            options[name].append((pk, slug, label))

        where, where_params = _where(clauses)
        cursor.execute(
            f"SELECT count(*), min(p.price), max(p.price) {FROM} WHERE {where}", where_params
        )
        count, price_min, price_max = cursor.fetchone()

        dimensions = []
        for name in DIMENSIONS:
            where, where_params = _where(clauses, without={name})
            if name == "kind":
                cursor.execute(
                    f"SELECT p.kind, count(*) {FROM} WHERE {where} GROUP BY 1", where_params
                )
                choices = [(kind, kind, label) for kind, label in KINDS]
            else:
                column = TAXONOMY[name][1]
                join = (
                    " JOIN istok_catalog_furnitureproduct_purposes fp "
                    "ON fp.furnitureproduct_id = f.product_ptr_id"
                    if name == "purpose"
                    else ""
                )
                cursor.execute(
                    f"SELECT {column}, count(*) {FROM}{join} WHERE {where} "
                    f"AND {column} IS NOT NULL GROUP BY 1",
                    where_params,
                )
                choices = options[name]
            counts = dict(cursor.fetchall())
            chosen = set(values.get(name, ()))
            dimensions.append(
                {
                    "name": name,
                    "label": LABELS[name],
                    "options": [
                        {
                            "value": slug,
                            "label": label,
                            "count": counts.get(key, 0),
                            "selected": slug in chosen,
                        }
                        for key, slug, label in choices
                    ],
                }
            )

        where, where_params = _where(clauses)
        cursor.execute(
            "SELECT p.id, p.kind, p.name, p.slug, p.price, p.price_from, p.thumbnail "
            f"{FROM} WHERE {where} ORDER BY p.position, p.id LIMIT %s OFFSET %s",
            [*where_params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
        )
        rows = cursor.fetchall()

    kind_labels = dict(KINDS)
    results = [
        {
            "id": pk,
            "kind": kind,
            "kind_label": kind_labels.get(kind, kind),
            "name": name,
            "slug": slug,
            "price": _money(price),
            "price_from": price_from,
            "thumbnail": f"{HOST}/media/{thumbnail}" if thumbnail else None,
            "url": f"{HOST}{PATH}{slug}/",
            "page_url": f"{HOST}/catalog/{slug}/",
        }
        for pk, kind, name, slug, price, price_from, thumbnail in rows
    ]
    num_pages = max(1, -(-count // PAGE_SIZE))
    others = [(k, v) for k, v in params if k != "page"]
    return orjson.dumps(
        {
            "count": count,
            "page": page,
            "page_size": PAGE_SIZE,
            "num_pages": num_pages,
            "next": _url(PATH, [*others, ("page", page + 1)]) if page < num_pages else None,
            "previous": (
                _url(PATH, [*others, ("page", page - 1)]) if page > 2 else _url(PATH, others)
            )
            if page > 1
            else None,
            "results": results,
            "facets": {
                "count": count,
                "price": {"min": _money(price_min), "max": _money(price_max)},
                "dimensions": dimensions,
            },
        }
    )


# -- measuring ----------------------------------------------------------------------------


def django_request(client):
    response = client.get(PATH, PARAMS)
    assert response.status_code == 200, response.content[:500]
    return response.content


def compare(django_body, baseline_body):
    ours, theirs = json.loads(django_body), json.loads(baseline_body)
    if ours != theirs:
        for key in ours:
            if ours[key] != theirs.get(key):
                raise SystemExit(f"the baseline differs from the API in {key!r}")
        raise SystemExit("the baseline differs from the API")
    return ours


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database if it has the products"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    configure()
    try:
        server(DATABASE_URL).close()
    except Exception as exc:  # any failure means: no server to measure on
        print(f"PostgreSQL is not reachable ({exc}); catalog benchmark skipped.")
        return 0

    import django

    timings = {}
    if not args.reuse:
        create_database(DATABASE_URL)
    django.setup()
    from django.test import Client
    from django.urls import include, path

    urlpatterns.append(path("api/catalog/", include("istok_catalog.api.urls")))
    urlpatterns.append(path("catalog/", include("istok_catalog.urls")))

    from istok_catalog.models import Product

    if not args.reuse or Product.objects.count() != args.products:
        timings = fill(args.products)

    client = Client()
    django_body = django_request(client)
    data = compare(django_body, baseline(PARAMS))
    queries = {
        "django": count_queries(lambda: django_request(client)),
        "baseline": count_queries(lambda: baseline(PARAMS)),
    }

    # Interleave the two so a noisy moment hits both alike.
    ours, theirs = [], []
    for _ in range(3):
        django_request(client)
        baseline(PARAMS)
    for _ in range(args.runs):
        ours += timed(lambda: django_request(client), 1, warmup=0)
        theirs += timed(lambda: baseline(PARAMS), 1, warmup=0)
    django_stats, baseline_stats = summary(ours), summary(theirs)
    ratio = round(django_stats["median_ms"] / baseline_stats["median_ms"], 2)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]

    result = {
        "benchmark": "catalog API list with facets",
        "products": Product.objects.count(),
        "request": f"{PATH}?{urlencode(PARAMS)}",
        "result_count": data["count"],
        "page": PAGE,
        "page_size": PAGE_SIZE,
        "runs": args.runs,
        "median_ms": django_stats["median_ms"],
        "baseline_median_ms": baseline_stats["median_ms"],
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
        "target_met": ratio <= TARGET_RATIO,
        "django": {**django_stats, "queries": queries["django"]},
        "baseline": {**baseline_stats, "queries": queries["baseline"]},
        "setup": {k: round(v, 1) for k, v in timings.items()},
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": server_version,
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    print(f"catalog: {result['products']} products, {data['count']} match, page {PAGE}")
    if timings:
        print(f"setup: migrate {timings['migrate_s']:.1f} s, demo data {timings['demo_s']:.1f} s")
    print(f"{'':10} {'median ms':>10} {'min ms':>8} {'p90 ms':>8} {'queries':>8}")
    for name, stats in (("django", django_stats), ("baseline", baseline_stats)):
        print(
            f"{name:10} {stats['median_ms']:>10.2f} {stats['min_ms']:>8.2f} "
            f"{stats['p90_ms']:>8.2f} {queries[name]:>8}"
        )
    verdict = "met" if result["target_met"] else "MISSED"
    print(f"ratio {ratio} (target <= {TARGET_RATIO}: {verdict}); written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
