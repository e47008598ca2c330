"""Benchmark of the catalog list: ISTOK against the best raw SQL on the normalised tables.

For each catalogue size (10,000, 100,000 and 300,000 products by default) a PostgreSQL
database ``<BENCH_DATABASE_URL>_<size>`` (default ``istok_bench_<size>``) is made, migrated
and filled with ``istok_catalog_demo`` once (``--reuse`` keeps one that has the products),
then, interleaved round by round so a noisy moment hits every case alike:

* ISTOK, through the test Client (DEBUG off, a persistent connection): the API list
  (``/api/catalog/products/``: cards, count and facets) and the HTML page (``/catalog/``),
  for the landing page (no filters) and the page of three filters (two categories, two
  facade materials, a top price; page 24), with the facet cache off ("cold", every count
  computed) and on ("warm", Redis at ``BENCH_REDIS_URL``, default redis://127.0.0.1:6379/0);
* strong baseline: the same JSON document as the API, built by hand from raw SQL on the
  normalised tables (product, furniture, purposes): the options, ONE statement for every
  facet count, the result count and the price range (``GROUP BY GROUPING SETS`` with a
  ``FILTER`` per active dimension, the purposes' counts in the same statement), the page's
  cards; serialised with orjson. Both formulations are run: over the rows directly and
  over the rows grouped by combination first (ISTOK's own trick); the faster one is the
  baseline. Each is checked to give the API's document before anything is timed;
* cards: the raw 24-card query alone (the page's cards and the result count, one
  statement), the floor of what any list costs.

Targets (medians, 100,000 products): cold <= 0.5x the strong baseline (landing and the
filtered page); warm <= 0.15x the strong baseline and <= 2x the cards query; at 300,000
the cold landing page under 3x its 100,000 time and the warm one flat (<= 1.5x).
Writes ``bench/results/catalog.json`` and prints a table.

    .venv/bin/python bench/catalog.py [--sizes 10000,100000,300000] [--runs 30] [--reuse]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import count_queries, create_database, server, summary  # noqa: E402

RESULTS = HERE / "results" / "catalog.json"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/istok_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SIZES = (10_000, 100_000, 300_000)
PAGE_SIZE = 24
HOST = "http://testserver"
API, HTML = "/api/catalog/products/", "/catalog/"

#: The two pages measured: the landing page, and three active filters on page 24 (or the
#: last page, in a catalogue too small to have 24).
FILTERS = [
    ("category", "kitchen"),
    ("category", "wardrobe"),
    ("facade_material", "mdf-enamel"),
    ("facade_material", "mdf-film"),
    ("price_max", "300000"),
]
PAGES = {"landing": [], "filtered": [*FILTERS, ("page", "24")]}
TARGETS = {"cold": 0.5, "warm": 0.15, "warm_vs_cards": 2.0, "cold_300k_vs_100k": 3.0}
WARM_FLAT = 1.5

urlpatterns = []  # filled in configure(); this module is the URLconf


def database_url(size):
    return f"{DATABASE_URL}_{size}"


def configure(url):
    import dj_database_url
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        USE_TZ=True,
        LANGUAGE_CODE="en",
        ALLOWED_HOSTS=["testserver"],
        DATABASES={"default": {**dj_database_url.parse(url), "CONN_MAX_AGE": None}},
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "facets": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"bench:{os.getpid()}",
            },
        },
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "polymorphic",
            "django_filters",
            "rest_framework",
            "istok_core",
            "istok_catalog",
        ],
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.template.context_processors.i18n",
                    ]
                },
            }
        ],
        ROOT_URLCONF=__name__,
        STATIC_URL="/static/",
        MEDIA_ROOT=tempfile.mkdtemp(prefix="istok-bench-media-"),
        MEDIA_URL="/media/",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        REST_FRAMEWORK={
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_AUTHENTICATION_CLASSES": [],
            "UNAUTHENTICATED_USER": None,
        },
        ISTOK_CATALOG_FACETS_CACHE=None,
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


# -- baselines: raw SQL on the normalised tables, orjson --------------------------------------

TAXONOMY = {
    "category": ("istok_catalog_category", "f.category_id"),
    "purpose": ("istok_catalog_purpose", None),
    "shape": ("istok_catalog_shape", "f.shape_id"),
    "facade_material": ("istok_catalog_facadematerial", "f.facade_material_id"),
    "countertop_material": ("istok_catalog_countertopmaterial", "f.countertop_material_id"),
}
DIMENSIONS = ["kind", *TAXONOMY]
#: The dimensions grouped in the statement (purposes have their own branch).
GROUPED = {
    "kind": "p.kind",
    "category": "f.category_id",
    "shape": "f.shape_id",
    "facade_material": "f.facade_material_id",
    "countertop_material": "f.countertop_material_id",
}
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


def _values(params):
    values = {}
    for name, value in params:
        values.setdefault(name, []).append(value)
    return values


def _conditions(values):
    """The SQL condition of each active dimension and of what every count shares."""
    dimensions = {}
    if "kind" in values:
        dimensions["kind"] = ("p.kind = ANY(%s)", [values["kind"]])
    for name, (table, column) in TAXONOMY.items():
        if name not in values:
            continue
        if column is None:
            dimensions[name] = (
                "EXISTS (SELECT 1 FROM istok_catalog_furnitureproduct_purposes x "
                "JOIN istok_catalog_purpose t ON t.id = x.purpose_id "
                "WHERE x.furnitureproduct_id = p.id AND t.slug = ANY(%s))",
                [values[name]],
            )
        else:
            dimensions[name] = (
                f"{column} IN (SELECT id FROM {table} WHERE slug = ANY(%s))",
                [values[name]],
            )
    common = [("p.is_published", [])]
    if "price_min" in values:
        common.append(("p.price >= %s", [Decimal(values["price_min"][0])]))
    if "price_max" in values:
        common.append(("p.price <= %s", [Decimal(values["price_max"][0])]))
    return common, dimensions


def _and(parts):
    if not parts:
        return "TRUE", []
    return " AND ".join(sql for sql, _p in parts), [p for _sql, ps in parts for p in ps]


def _facet_statement(values, *, grouped_first):
    """ONE statement: each active dimension's condition computed once per row (a flag),
    GROUPING SETS over the dimensions with a FILTER per active one, and the purposes'
    counts from the link table in a UNION ALL branch over the same rows.

    ``grouped_first``: the rows are first grouped by their combination of values (one
    hash per row), the grouping sets then run over those groups."""
    common, dimensions = _conditions(values)
    active = list(dimensions)
    flags = [f"({sql}) AS c_{name}" for name, (sql, _p) in dimensions.items()]
    flag_params = [p for _sql, ps in dimensions.values() for p in ps]
    where, where_params = _and(common)
    if len(active) >= 2:
        misses = " + ".join(
            f"(CASE WHEN {sql} THEN 0 ELSE 1 END)" for sql, _p in dimensions.values()
        )
        where += f" AND {misses} <= 1"
        where_params += flag_params
    columns = ", ".join(f"{sql} AS {name}" for name, sql in GROUPED.items())
    rows = (
        f"SELECT p.id, p.price, {columns}{''.join(', ' + flag for flag in flags)} "
        f"{FROM} WHERE {where}"
    )
    params = flag_params + where_params

    def only(without=None, alias="r"):
        parts = [f"{alias}.c_{name}" for name in active if name != without]
        return " AND ".join(parts) if parts else "TRUE"

    names = list(GROUPED)
    if grouped_first:
        keys = ", ".join(names + [f"c_{name}" for name in active])
        source = (
            f"(SELECT {keys}, count(*) AS n, min(price) AS low, max(price) AS high "
            f"FROM rows GROUP BY {keys}) r"
        )
        count, low, high = "sum(r.n)", "min(r.low)", "max(r.high)"
    else:
        source, count, low, high = "rows r", "count(*)", "min(r.price)", "max(r.price)"
    aggregates = [f"{count} FILTER (WHERE {only()})"]
    aggregates += [f"{count} FILTER (WHERE {only(name)})" for name in active]
    aggregates += [f"{low} FILTER (WHERE {only()})", f"{high} FILTER (WHERE {only()})"]
    sets = ", ".join([*(f"(r.{name})" for name in names), "()"])
    grouped = (
        f"SELECT GROUPING({', '.join('r.' + n for n in names)}) AS g, "
        f"{', '.join('r.' + n + '::text' for n in names)}, NULL::bigint AS purpose, "
        f"{', '.join(aggregates)} FROM {source} GROUP BY GROUPING SETS ({sets})"
    )
    purposes = (
        f"SELECT -1, {', '.join(['NULL'] * len(names))}, x.purpose_id, "
        f"count(*) FILTER (WHERE {only('purpose')})"
        f"{''.join(', NULL::bigint' for _name in active)}, NULL::numeric, NULL::numeric "
        f"FROM rows r JOIN istok_catalog_furnitureproduct_purposes x "
        f"ON x.furnitureproduct_id = r.id GROUP BY x.purpose_id"
    )
    sql = f"WITH rows AS MATERIALIZED ({rows}) {grouped} UNION ALL {purposes}"
    return sql, params, active


def _read_facets(rows, active):
    names = list(GROUPED)
    full = (1 << len(names)) - 1
    counts = {name: {} for name in DIMENSIONS}
    totals = (0, None, None)
    for row in rows:
        grouping, keys, purpose = row[0], row[1 : 1 + len(names)], row[1 + len(names)]
        numbers = row[2 + len(names) :]
        if grouping == -1:
            if numbers[0]:
                counts["purpose"][purpose] = int(numbers[0])
            continue
        if grouping == full:
            totals = (int(numbers[0] or 0), numbers[-2], numbers[-1])
            continue
        index = next(i for i in range(len(names)) if not grouping >> (len(names) - 1 - i) & 1)
        name = names[index]
        count = numbers[1 + active.index(name)] if name in active else numbers[0]
        if keys[index] is not None and count:
            key = keys[index] if name == "kind" else int(keys[index])
            counts[name][key] = int(count)
    return totals, counts


def _money(value):
    return None if value is None else f"{value:.2f}"


def _url(path, query):
    return f"{HOST}{path}?{urlencode(sorted(query))}" if query else f"{HOST}{path}"


def _cards(cursor, values, page):
    common, dimensions = _conditions(values)
    where, params = _and([*common, *dimensions.values()])
    cursor.execute(
        "SELECT p.id, p.kind, p.name, p.slug, p.price, p.price_from, p.thumbnail "
        f"{FROM} WHERE {where} ORDER BY p.position, p.id LIMIT %s OFFSET %s",
        [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    return cursor.fetchall()


def _card_json(rows):
    kind_labels = dict(KINDS)
    return [
        {
            "id": pk,
            "kind": kind,
            "kind_label": kind_labels.get(kind, kind),
            "name": name,
            "slug": slug,
            "price": _money(price),
            "price_from": price_from,
            "thumbnail": f"{HOST}/media/{thumbnail}" if thumbnail else None,
            "url": f"{HOST}{API}{slug}/",
            "page_url": f"{HOST}/catalog/{slug}/",
        }
        for pk, kind, name, slug, price, price_from, thumbnail in rows
    ]


def _page_document(params, page, count, results, facets):
    num_pages = max(1, -(-count // PAGE_SIZE))
    others = [(k, v) for k, v in params if k != "page"]
    previous = None
    if page > 1:
        previous = _url(API, [*others, ("page", page - 1)] if page > 2 else others)
    return {
        "count": count,
        "page": page,
        "page_size": PAGE_SIZE,
        "num_pages": num_pages,
        "next": _url(API, [*others, ("page", page + 1)]) if page < num_pages else None,
        "previous": previous,
        "results": results,
        "facets": facets,
    }


def strong_baseline(params, *, grouped_first):
    """The API's document from raw SQL: options, one facet statement, the page's cards."""
    import orjson
    from django.db import connection

    values = _values(params)
    page = int(values.pop("page", ["1"])[0])
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT '{name}', slug, name, position, id FROM {table} WHERE is_active"
                for name, (table, _column) in TAXONOMY.items()
            )
        )
        options = {name: [] for name in TAXONOMY}
        for name, slug, label, _position, pk in sorted(
            cursor.fetchall(), key=lambda r: (r[3], r[2], r[4])
        ):
            options[name].append((pk, slug, label))
        sql, sql_params, active = _facet_statement(values, grouped_first=grouped_first)
        cursor.execute(sql, sql_params)
        (count, price_min, price_max), counts = _read_facets(cursor.fetchall(), active)
        rows = _cards(cursor, values, page)
    dimensions = []
    for name in DIMENSIONS:
        choices = [(k, k, label) for k, label in KINDS] if name == "kind" else options[name]
        chosen = set(values.get(name, ()))
        dimensions.append(
            {
                "name": name,
                "label": LABELS[name],
                "options": [
                    {
                        "value": slug,
                        "label": label,
                        "count": counts[name].get(key, 0),
                        "selected": slug in chosen,
                    }
                    for key, slug, label in choices
                ],
            }
        )
    facets = {
        "count": count,
        "price": {"min": _money(price_min), "max": _money(price_max)},
        "dimensions": dimensions,
    }
    return orjson.dumps(_page_document(params, page, count, _card_json(rows), facets))


def cards_query(params):
    """The raw 24-card query: the page's cards and the result count, one statement."""
    import orjson
    from django.db import connection

    values = _values(params)
    page = int(values.pop("page", ["1"])[0])
    common, dimensions = _conditions(values)
    where, where_params = _and([*common, *dimensions.values()])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.kind, p.name, p.slug, p.price, p.price_from, p.thumbnail, "
            f"(SELECT count(*) {FROM} WHERE {where}) "
            f"{FROM} WHERE {where} ORDER BY p.position, p.id LIMIT %s OFFSET %s",
            [*where_params, *where_params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
        )
        rows = cursor.fetchall()
    count = rows[0][-1] if rows else 0
    results = _card_json(row[:-1] for row in rows)
    return orjson.dumps(_page_document(params, page, count, results, None))


# -- one catalogue size, in its own process ---------------------------------------------------


def measure(size, runs, reuse):
    """Fill (unless reused) and measure one catalogue size; returns its part of the result."""
    url = database_url(size)
    configure(url)
    import django

    timings = {}
    if not reuse:
        create_database(url)
    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import include, path

    urlpatterns.append(path("api/catalog/", include("istok_catalog.api.urls")))
    urlpatterns.append(path("catalog/", include("istok_catalog.urls")))

    from django.core.management import call_command

    from istok_catalog.models import Product

    call_command("migrate", verbosity=0)  # a reused database gets the newer migrations
    if not reuse or Product.objects.count() != size:
        if reuse:
            connection.close()
            create_database(url)
        timings = fill(size)

    client = Client()
    found = client.get(API, FILTERS).json()["num_pages"]
    PAGES["filtered"] = [*FILTERS, ("page", str(min(24, found)))]

    def ours(page, kind, cache):
        target = API if kind == "api" else HTML

        def call():
            with override_settings(ISTOK_CATALOG_FACETS_CACHE="facets" if cache else None):
                response = client.get(target, PAGES[page])
            assert response.status_code == 200, response.content[:300]
            return response.content

        return call

    cases = {}
    for page in PAGES:
        for kind in ("api", "html"):
            cases[f"{page}/{kind}/cold"] = ours(page, kind, False)
            cases[f"{page}/{kind}/warm"] = ours(page, kind, True)
        for variant, grouped_first in (("strong_rows", False), ("strong_grouped", True)):
            cases[f"{page}/{variant}"] = lambda page=page, g=grouped_first: strong_baseline(
                PAGES[page], grouped_first=g
            )
        cases[f"{page}/cards"] = lambda page=page: cards_query(PAGES[page])

    # The baselines must give the API's document (and the cards query its cards).
    caches["facets"].clear()
    documents = {}
    for page in PAGES:
        api = json.loads(cases[f"{page}/api/cold"]())
        for variant in ("strong_rows", "strong_grouped"):
            if json.loads(cases[f"{page}/{variant}"]()) != api:
                raise SystemExit(f"{size}: the {variant} baseline differs from the API ({page})")
        cards = json.loads(cases[f"{page}/cards"]())
        if (cards["results"], cards["count"]) != (api["results"], api["count"]):
            raise SystemExit(f"{size}: the cards query differs from the API ({page})")
        if json.loads(cases[f"{page}/api/warm"]()) != api:
            raise SystemExit(f"{size}: the cached API differs from the API ({page})")
        documents[page] = api

    queries = {name: count_queries(call) for name, call in cases.items()}
    samples = {name: [] for name in cases}
    for _ in range(2):
        for call in cases.values():
            call()
    for _ in range(runs):
        for name, call in cases.items():
            started = time.perf_counter()
            call()
            samples[name].append((time.perf_counter() - started) * 1000)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    caches["facets"].clear()
    return {
        "products": Product.objects.count(),
        "pages": PAGES,
        "result_count": {page: documents[page]["count"] for page in PAGES},
        "cases": {name: {**summary(samples[name]), "queries": queries[name]} for name in cases},
        "setup": {k: round(v, 1) for k, v in timings.items()},
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": server_version,
        },
    }


# -- the whole run --------------------------------------------------------------------------


def ratios(size_result):
    cases = size_result["cases"]
    out = {}
    for page in PAGES:
        strong = min(
            cases[f"{page}/strong_rows"]["median_ms"], cases[f"{page}/strong_grouped"]["median_ms"]
        )
        cards = cases[f"{page}/cards"]["median_ms"]
        out[page] = {"strong_ms": strong, "cards_ms": cards}
        for kind in ("api", "html"):
            for cache in ("cold", "warm"):
                median = cases[f"{page}/{kind}/{cache}"]["median_ms"]
                out[page][f"{kind}/{cache}"] = {
                    "median_ms": median,
                    "vs_strong": round(median / strong, 3),
                    "vs_cards": round(median / cards, 2),
                }
    return out


def verdicts(results):
    checks = []
    at = results.get("100000")
    if at:
        for page in PAGES:
            for kind in ("api", "html"):
                cold = at["ratios"][page][f"{kind}/cold"]
                warm = at["ratios"][page][f"{kind}/warm"]
                checks.append(
                    (
                        f"100k {page} {kind} cold <= {TARGETS['cold']}x strong",
                        cold["vs_strong"],
                        cold["vs_strong"] <= TARGETS["cold"],
                    )
                )
                checks.append(
                    (
                        f"100k {page} {kind} warm <= {TARGETS['warm']}x strong",
                        warm["vs_strong"],
                        warm["vs_strong"] <= TARGETS["warm"],
                    )
                )
                checks.append(
                    (
                        f"100k {page} {kind} warm <= {TARGETS['warm_vs_cards']}x cards",
                        warm["vs_cards"],
                        warm["vs_cards"] <= TARGETS["warm_vs_cards"],
                    )
                )
    big = results.get("300000")
    if at and big:
        for kind in ("api", "html"):
            cold = (
                big["ratios"]["landing"][f"{kind}/cold"]["median_ms"]
                / at["ratios"]["landing"][f"{kind}/cold"]["median_ms"]
            )
            warm = (
                big["ratios"]["landing"][f"{kind}/warm"]["median_ms"]
                / at["ratios"]["landing"][f"{kind}/warm"]["median_ms"]
            )
            checks.append(
                (
                    f"300k/100k landing {kind} cold < {TARGETS['cold_300k_vs_100k']}x",
                    round(cold, 2),
                    cold < TARGETS["cold_300k_vs_100k"],
                )
            )
            checks.append(
                (
                    f"300k/100k landing {kind} warm <= {WARM_FLAT}x (flat)",
                    round(warm, 2),
                    warm <= WARM_FLAT,
                )
            )
    return [{"target": name, "value": value, "met": met} for name, value, met in checks]


def print_table(results):
    print(
        f"{'products':>9} {'page':9} {'case':20} {'median ms':>10} {'p90 ms':>8} {'queries':>7} {'vs strong':>9} {'vs cards':>8}"
    )
    for size, result in results.items():
        cases, table = result["cases"], result["ratios"]
        for page in PAGES:
            for name in (
                "api/cold",
                "html/cold",
                "api/warm",
                "html/warm",
                "strong_rows",
                "strong_grouped",
                "cards",
            ):
                case = cases[f"{page}/{name}"]
                extra = table[page].get(name)
                vs = f"{extra['vs_strong']:>9.3f} {extra['vs_cards']:>8.2f}" if extra else ""
                print(
                    f"{size:>9} {page:9} {name:20} {case['median_ms']:>10.2f} {case['p90_ms']:>8.2f} "
                    f"{case['queries']:>7} {vs}"
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database that has the products"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        print(json.dumps(measure(args.one, args.runs, args.reuse)))
        return 0
    try:
        server(DATABASE_URL).close()
    except Exception as exc:  # any failure means: no server to measure on
        print(f"PostgreSQL is not reachable ({exc}); catalog benchmark skipped.")
        return 0

    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size), "--runs", str(args.runs)]
        if args.reuse:
            command.append("--reuse")
        print(f"catalog: {size} products ...", flush=True)
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        output = done.stdout
        result = json.loads(output.strip().splitlines()[-1])
        result["ratios"] = ratios(result)
        results[str(size)] = result
    checks = verdicts(results)
    document = {
        "benchmark": "catalog list (API and HTML) with facets against raw SQL on the normalised tables",
        "requests": {
            size: {
                page: f"{API}?{urlencode([tuple(p) for p in params])}"
                for page, params in result["pages"].items()
            }
            for size, result in results.items()
        },
        "runs": args.runs,
        "targets": checks,
        "sizes": results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print_table(results)
    for check in checks:
        print(f"{'met   ' if check['met'] else 'MISSED'} {check['target']}: {check['value']}")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
