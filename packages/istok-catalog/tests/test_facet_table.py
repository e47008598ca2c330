"""The facet table: its answers equal the old implementation's, it follows every write, the
rebuild and verify command, the one-statement counts and their cache, query counts."""

import random
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from istok_catalog import selectors, services
from istok_catalog.models import (
    Category,
    CountertopMaterial,
    FacadeMaterial,
    FurnitureProduct,
    Product,
    ProductFacet,
    Purpose,
    Shape,
)
from istok_catalog.selectors import facets, filter_products, product_paginator
from istok_catalog.testing.factories import make_furniture, make_service
from istok_catalog.views import ProductListView

from .facets_oracle import old_facets, old_page

pytestmark = pytest.mark.django_db


def seeded_catalogue():
    """A few hundred generated products (both kinds, some unpublished), a purpose nobody
    has, a product without purposes and an inactive category."""
    call_command("istok_catalog_demo", products=300, seed=3, no_images=True, stdout=StringIO())
    Purpose.objects.create(slug="garage", name="Garage")
    make_furniture(name="Bare", slug="bare", purposes=(), price="777.50", countertop_material=None)
    Category.objects.filter(slug="dresser").update(is_active=False)


def filter_matrix(count=70, seed=11):
    """Query strings combining every filter: taxonomy values, purposes, kinds, price bounds,
    a search, an ordering; the first ones by hand, the rest drawn at random."""
    rng = random.Random(seed)
    values = {
        name: list(model.objects.values_list("slug", flat=True))
        for name, model in (
            ("category", Category),
            ("purpose", Purpose),
            ("shape", Shape),
            ("facade_material", FacadeMaterial),
            ("countertop_material", CountertopMaterial),
        )
    }
    values["kind"] = ["furniture", "service"]
    fixed = [
        "",
        "kind=service",
        "kind=furniture&kind=service",
        "purpose=home",
        "purpose=home&purpose=office",
        "purpose=garage",
        "category=kitchen&category=wardrobe&facade_material=mdf-enamel&facade_material=mdf-film"
        "&price_max=300000",
        "category=dresser",
        "price_min=1000&price_max=1000",
        "price_min=50000&purpose=kids-room&kind=furniture",
        "countertop_material=quartz&shape=corner&purpose=office",
        "q=kitchen",
        "category=nope&price_min=-1",
    ]
    queries = list(fixed)
    while len(queries) < count:
        params = []
        for name, options in values.items():
            if rng.random() < 0.45:
                for slug in rng.sample(options, k=rng.randint(1, min(3, len(options)))):
                    params.append((name, slug))
        if rng.random() < 0.3:
            params.append(("price_min", str(rng.choice([0, 20000, 60000]))))
        if rng.random() < 0.3:
            params.append(("price_max", str(rng.choice([5000, 100000, 250000]))))
        if rng.random() < 0.25:
            params.append(("ordering", rng.choice(["position", "price", "-price", "newest"])))
        queries.append("&".join(f"{k}={v}" for k, v in params))
    return queries


def test_facets_and_pages_equal_the_old_implementation_on_a_seeded_catalogue():
    seeded_catalogue()
    checked = 0
    for query in filter_matrix():
        filterset = filter_products(QueryDict(query))
        expected = old_facets(filterset)
        assert facets(filterset) == expected, query
        # Both statements, whatever the database: GROUPING SETS runs on PostgreSQL only.
        assert facets(filterset, portable=True) == expected, query
        if connection.vendor == "postgresql":
            assert facets(filterset, portable=False) == expected, query
        page = product_paginator(filterset, 24, count=expected["count"]).page(1)
        assert [p.pk for p in page.object_list] == old_page(filterset), query
        checked += expected["count"] > 0
    assert checked > 40  # the matrix is not a list of empty results


def rows():
    return {
        row["product"]: row
        for row in ProductFacet.objects.values(
            "product",
            "is_published",
            "price",
            "position",
            "kind",
            "category",
            "shape",
            "facade_material",
            "countertop_material",
            "purposes",
        )
    }


def bits(*slugs):
    return sum(1 << Purpose.objects.get(slug=slug).bit for slug in slugs)


def test_every_write_keeps_the_facet_row_equal_to_the_product():
    kitchen = make_furniture(
        name="K", slug="k", price="100.00", purposes=("home", "office"), position=3
    )
    service = make_service(name="S", slug="s", price="5.00")
    row = rows()[kitchen.pk]
    assert row["category"] == kitchen.category_id
    assert row["purposes"] == bits("home", "office")
    assert (row["kind"], row["position"], str(row["price"])) == ("furniture", 3, "100.00")
    assert rows()[service.pk]["category"] is None

    # A plain save (the admin's list, own code), purposes both ways, a base-row save.
    kitchen.price = "120.00"
    kitchen.save()
    kitchen.purposes.remove(Purpose.objects.get(slug="office"))
    assert (str(rows()[kitchen.pk]["price"]), rows()[kitchen.pk]["purposes"]) == (
        "120.00",
        bits("home"),
    )
    Purpose.objects.get(slug="kids-room").furniture_products.add(kitchen)
    assert rows()[kitchen.pk]["purposes"] == bits("home", "kids-room")
    Purpose.objects.get(slug="home").furniture_products.clear()
    assert rows()[kitchen.pk]["purposes"] == bits("kids-room")
    base = Product.objects.non_polymorphic().get(pk=kitchen.pk)
    base.is_published = False
    base.save()
    assert rows()[kitchen.pk]["is_published"] is False

    # Deletes: a purpose clears its bit, a countertop material empties the column.
    kitchen.countertop_material = CountertopMaterial.objects.get(slug="quartz")
    kitchen.save()
    Purpose.objects.get(slug="kids-room").delete()
    CountertopMaterial.objects.get(slug="quartz").delete()
    assert (rows()[kitchen.pk]["purposes"], rows()[kitchen.pk]["countertop_material"]) == (0, None)
    service.delete()
    assert service.pk not in rows()
    assert services.facet_differences() == []


def test_the_command_verifies_and_rebuilds_the_table():
    product = make_furniture(name="K", slug="k", price="100.00")
    make_service(name="S", slug="s", price="5.00")
    # Writes that pass no receiver leave the table behind.
    Product.objects.filter(pk=product.pk).update(price="1.00")
    ProductFacet.objects.filter(product__kind="service").delete()
    assert len(services.facet_differences()) == 2
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("istok_catalog_facets", verify=True, stderr=err)
    assert exit_info.value.code == 1
    assert "2 product(s) differ" in err.getvalue()

    out = StringIO()
    call_command("istok_catalog_facets", stdout=out)
    assert "Rebuilt the facet rows of 2 product(s)." in out.getvalue()
    call_command("istok_catalog_facets", verify=True, stdout=out)
    assert "matches" in out.getvalue()
    assert str(rows()[product.pk]["price"]) == "1.00"


def test_each_purpose_has_its_own_bit_and_a_64th_is_refused():
    bits_taken = list(Purpose.objects.values_list("bit", flat=True))
    assert None not in bits_taken and len(set(bits_taken)) == len(bits_taken)
    Purpose.objects.bulk_create(
        Purpose(slug=f"p{bit}", name=f"P{bit}", bit=bit)
        for bit in range(Purpose.MAX_COUNT)
        if bit not in bits_taken
    )
    with pytest.raises(ValidationError) as error:
        Purpose(slug="one-more", name="One more").full_clean()
    assert "at most 63 purposes" in str(error.value)


def test_search_finds_cyrillic_in_any_case():
    make_furniture(name="Кухня «Верона»", slug="kuhnya-verona", description="Фасады МДФ.")
    make_furniture(name="Шкаф-купе", slug="shkaf", description="Зеркальные двери.")
    for query in ("кухня", "КУХНЯ", "Кухня"):
        found = [p.slug for p in filter_products(QueryDict(f"q={query}")).qs]
        assert found == ["kuhnya-verona"], query
        assert facets(filter_products(QueryDict(f"q={query}")))["count"] == 1
    if connection.vendor != "postgresql":  # PostgreSQL's full-text search matches words
        assert [p.slug for p in filter_products(QueryDict("q=зеркальн")).qs] == ["shkaf"]


@pytest.fixture
def facets_cache(settings):
    settings.ISTOK_CATALOG_FACETS_CACHE = "default"
    cache = selectors.facets_cache()
    cache.clear()
    yield cache
    cache.clear()


def test_cached_counts_are_retired_by_a_committed_write(
    facets_cache, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        make_furniture(name="K", slug="k", price="100.00")
    query = QueryDict("kind=furniture")
    first = facets(filter_products(query))
    assert first["count"] == 1
    with django_assert_num_queries(0):
        assert facets(filter_products(QueryDict("kind=furniture"))) == first
    with django_capture_on_commit_callbacks(execute=True):
        make_furniture(name="W", slug="w", price="50.00")
    assert facets(filter_products(query))["count"] == 2
    # A taxonomy change (a name) is a change too.
    with django_capture_on_commit_callbacks(execute=True):
        Category.objects.filter(slug="kitchen").first().save()
    version = selectors.catalog_version(facets_cache)
    with django_capture_on_commit_callbacks(execute=True):
        Shape.objects.get(slug="corner").save()
    assert selectors.catalog_version(facets_cache) > version
    # A lost version (evicted) starts over from a new one.
    facets_cache.delete(selectors.VERSION_KEY)
    assert facets(filter_products(query))["count"] == 2


def test_without_the_cache_a_change_shows_at_once(settings):
    settings.ISTOK_CATALOG_FACETS_CACHE = None
    make_furniture(name="K", slug="k", price="100.00")
    assert facets(filter_products(QueryDict("")))["count"] == 1
    make_service(name="S", slug="s", price="5.00")  # not committed: no bump, no cache
    assert facets(filter_products(QueryDict("")))["count"] == 2


def _list_queries(api, params):
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/catalog/products/", params)
    assert response.status_code == 200, response.content[:300]
    return len(captured), response.json()


def test_list_queries_are_flat_in_page_size_and_catalogue_size(api, settings):
    filtered = {"category": ["kitchen", "wardrobe"], "facade_material": "mdf-enamel"}
    for _product in range(3):
        make_furniture(price="100.00")
    small = {
        (name, size): _list_queries(api, {**params, "page_size": size})[0]
        for name, params in (("landing", {}), ("filtered", filtered))
        for size in (1, 100)
    }
    # Landing: the options, the counts, the page. Filtered: + one per taxonomy filter's values.
    assert small == {
        ("landing", 1): 3,
        ("landing", 100): 3,
        ("filtered", 1): 5,
        ("filtered", 100): 5,
    }
    call_command("istok_catalog_demo", products=120, seed=1, no_images=True, stdout=StringIO())
    assert _list_queries(api, {"page_size": 100})[0] == 3
    assert _list_queries(api, {**filtered, "page_size": 100})[0] == 5


def test_warm_list_reads_only_the_page_and_cards_only_reuses_the_count(api, facets_cache):
    for _product in range(5):
        make_furniture(price="100.00")
    cold, data = _list_queries(api, {"page_size": 2})
    warm, again = _list_queries(api, {"page_size": 2})
    assert (cold, warm) == (3, 1)
    assert again == data
    cards, only = _list_queries(api, {"page_size": 2, "facets": "false"})
    assert (cards, only["facets"], only["count"]) == (1, None, 5)
    assert only["results"] == data["results"]


def test_cards_only_list_counts_without_facets(api):
    for _product in range(3):
        make_furniture(price="100.00")
    queries, data = _list_queries(api, {"facets": "0", "kind": "furniture"})
    assert (queries, data["count"], data["facets"]) == (2, 3, None)
    response = api.get("/api/catalog/products/", {"facets": "maybe"})
    assert response.status_code == 400
    assert list(response.json()) == ["facets"]


def test_the_page_reads_its_cards_before_the_template_renders(django_assert_num_queries):
    make_furniture(name="Kitchen Verona", slug="kitchen-verona", price="100.00")
    request = RequestFactory().get("/catalog/")
    response = ProductListView.as_view()(request)
    with django_assert_num_queries(0):
        response.render()
    assert "Kitchen Verona" in response.content.decode()


def test_products_written_in_bulk_are_listed_after_the_demo_command():
    call_command("istok_catalog_demo", products=40, seed=5, no_images=True, stdout=StringIO())
    assert ProductFacet.objects.count() == Product.objects.count() == 40
    assert FurnitureProduct.objects.count() == 38
    assert services.facet_differences() == []
    assert (
        facets(filter_products(QueryDict("")))["count"]
        == Product.objects.filter(is_published=True).count()
    )


def test_the_list_gives_the_facets_as_the_facets_serializer_does(catalog):
    from istok_catalog.api.serializers import FacetsSerializer, facets_data

    for query in ("", "category=kitchen&purpose=office&price_max=150000", "price_min=999999"):
        result = facets(filter_products(QueryDict(query)))
        assert facets_data(result) == FacetsSerializer(result).data, query


def test_a_kind_no_class_declares_counts_for_the_other_dimensions_only(catalog):
    Product.objects.filter(pk=catalog["oslo"].pk).update(kind="boat")
    services.refresh_facets([catalog["oslo"].pk])
    for query in ("", "category=wardrobe", "kind=furniture", "kind=furniture&shape=straight"):
        filterset = filter_products(QueryDict(query))
        expected = old_facets(filterset)
        assert facets(filterset, portable=True) == expected, query
        if connection.vendor == "postgresql":
            assert facets(filterset, portable=False) == expected, query
    assert facets(filter_products(QueryDict("")))["count"] == 7
