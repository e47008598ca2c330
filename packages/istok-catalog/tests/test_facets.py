import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from istok_catalog.models import Category
from istok_catalog.selectors import facets, filter_products, product_paginator

from .catalog_data import build_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return build_catalog()


def counts(result, dimension):
    (found,) = [d for d in result["dimensions"] if d["name"] == dimension]
    return {o["value"]: o["count"] for o in found["options"]}


def selected(result, dimension):
    (found,) = [d for d in result["dimensions"] if d["name"] == dimension]
    return {o["value"] for o in found["options"] if o["selected"]}


def test_each_option_counts_under_the_other_active_filters(catalog):
    result = facets(
        filter_products(QueryDict("category=kitchen&category=wardrobe&facade_material=mdf-enamel"))
    )
    # Result: Kitchen Verona, Wardrobe Oslo.
    assert result["count"] == 2
    assert (str(result["price"]["min"]), str(result["price"]["max"])) == ("50000.00", "100000.00")
    # Categories under facade = MDF enamel only: Verona (kitchen), Oslo (wardrobe).
    assert counts(result, "category") == {
        "kitchen": 1,
        "wardrobe": 1,
        "hallway": 0,
        "dresser": 0,
        "shelving": 0,
        "kids-furniture": 0,
        "bathroom-furniture": 0,
        "living-room": 0,
    }
    # Facades under category in (kitchen, wardrobe): Verona, Milano, Oslo, Loft.
    assert counts(result, "facade_material") == {
        "mdf-enamel": 2,
        "mdf-film": 0,
        "plastic": 1,
        "solid-wood": 0,
        "veneer": 0,
        "ldsp": 0,
        "glass": 1,
    }
    # The dimensions with no active filter count the result itself.
    assert counts(result, "shape") == {
        "straight": 2,
        "corner": 0,
        "u-shaped": 0,
        "island": 0,
        "radius": 0,
    }
    assert counts(result, "purpose") == {"home": 2, "office": 0, "kids-room": 0}
    assert counts(result, "countertop_material")["quartz"] == 1
    assert sum(counts(result, "countertop_material").values()) == 1
    assert counts(result, "kind") == {"furniture": 2, "service": 0}
    assert selected(result, "category") == {"kitchen", "wardrobe"}
    assert selected(result, "facade_material") == {"mdf-enamel"}
    assert selected(result, "shape") == set()


def test_without_filters_every_published_product_is_counted(catalog):
    result = facets(filter_products(QueryDict("")))
    assert result["count"] == 7
    assert counts(result, "kind") == {"furniture": 5, "service": 2}
    assert counts(result, "category")["kitchen"] == 2  # the unpublished one is not counted
    # A product counts once for each of its purposes.
    assert counts(result, "purpose") == {"home": 4, "office": 2, "kids-room": 1}
    assert (str(result["price"]["min"]), str(result["price"]["max"])) == ("1500.00", "200000.00")


def test_purpose_and_kind_count_under_the_other_filters(catalog):
    result = facets(filter_products(QueryDict("purpose=office&kind=furniture&price_max=100000")))
    # Result: Wardrobe Loft (office, 80000).
    assert result["count"] == 1
    # Purposes under kind = furniture and price <= 100000: Verona, Oslo, Loft, bunk bed.
    assert counts(result, "purpose") == {"home": 3, "office": 1, "kids-room": 1}
    # Kinds under purpose = office and price <= 100000: Loft only.
    assert counts(result, "kind") == {"furniture": 1, "service": 0}


def test_an_empty_result_still_lists_every_option(catalog):
    result = facets(filter_products(QueryDict("price_min=999999")))
    assert result["count"] == 0
    assert result["price"] == {"min": None, "max": None}
    assert len(counts(result, "category")) == 8
    assert set(counts(result, "category").values()) == {0}


def test_inactive_terms_are_not_offered_unless_chosen(catalog):
    Category.objects.filter(slug="dresser").update(is_active=False)
    assert "dresser" not in counts(facets(filter_products(QueryDict(""))), "category")
    chosen = facets(filter_products(QueryDict("category=dresser")))
    assert counts(chosen, "category")["dresser"] == 0
    assert selected(chosen, "category") == {"dresser"}


def test_invalid_parameters_are_left_out_of_the_counts(catalog):
    result = facets(filter_products(QueryDict("category=nope&price_min=-5")))
    assert result["count"] == 7


def _queries(query, page_size):
    with CaptureQueriesContext(connection) as captured:
        filterset = filter_products(QueryDict(query))
        result = facets(filterset)
        page = product_paginator(filterset, page_size, count=result["count"]).page(1)
        [p.thumbnail.name for p in page.object_list]
    return len(captured)


def test_queries_do_not_grow_with_page_size_or_options(catalog, django_assert_max_num_queries):
    query = "category=kitchen&category=wardrobe&facade_material=mdf-enamel&purpose=home"
    with django_assert_max_num_queries(13):
        _queries(query, 24)
    baseline = _queries(query, 1)
    assert _queries(query, 100) == baseline
    Category.objects.bulk_create(Category(slug=f"extra-{i}", name=f"Extra {i}") for i in range(30))
    assert _queries(query, 100) == baseline
