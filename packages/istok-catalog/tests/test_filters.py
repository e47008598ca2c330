import pytest
from django.http import QueryDict

from istok_catalog.selectors import filter_products

from .catalog_data import build_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return build_catalog()


def names(query):
    filterset = filter_products(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    return [p.name for p in filterset.qs]


def test_no_filter_lists_every_published_product_by_position(catalog):
    assert names("") == [
        "Kitchen Verona",
        "Kitchen Milano",
        "Wardrobe Oslo",
        "Wardrobe Loft",
        "Kids bunk bed",
        "Measuring",
        "Design project",
    ]


def test_values_of_one_filter_widen_and_filters_together_narrow(catalog):
    assert names("category=wardrobe") == ["Wardrobe Oslo", "Wardrobe Loft"]
    assert len(names("category=wardrobe&category=kitchen")) == 4
    assert names("category=wardrobe&category=kitchen&shape=corner") == [
        "Kitchen Milano",
        "Wardrobe Loft",
    ]


def test_each_taxonomy_filter_narrows(catalog):
    assert names("facade_material=glass") == ["Wardrobe Loft"]
    assert names("countertop_material=quartz") == ["Kitchen Verona"]
    assert names("purpose=kids-room") == ["Kids bunk bed"]


def test_a_product_with_several_chosen_purposes_comes_once(catalog):
    assert names("purpose=home&purpose=office") == [
        "Kitchen Verona",
        "Kitchen Milano",
        "Wardrobe Oslo",
        "Wardrobe Loft",
        "Kids bunk bed",
    ]


def test_kind_filter(catalog):
    assert names("kind=service") == ["Measuring", "Design project"]
    assert len(names("kind=service&kind=furniture")) == 7


def test_price_range_includes_its_bounds(catalog):
    assert names("price_min=60000&price_max=100000") == [
        "Kitchen Verona",
        "Wardrobe Loft",
        "Kids bunk bed",
    ]
    assert names("price_max=1500") == ["Measuring"]


def test_text_search_finds_name_and_description(catalog):
    assert names("q=wardrobe") == ["Wardrobe Oslo", "Wardrobe Loft"]
    assert names("q=mirror") == ["Wardrobe Oslo"]
    assert names("q=%20%20") == names("")


@pytest.mark.parametrize(
    ("ordering", "first", "last"),
    [
        ("price", "Measuring", "Kitchen Milano"),
        ("-price", "Kitchen Milano", "Measuring"),
        ("position", "Kitchen Verona", "Design project"),
        ("newest", "Design project", "Kitchen Verona"),
    ],
)
def test_ordering(catalog, ordering, first, last):
    result = names(f"ordering={ordering}")
    assert (result[0], result[-1]) == (first, last)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("category=no-such-category", "category"),
        ("category=kitchen&category=nope", "category"),
        ("kind=spaceship", "kind"),
        ("price_min=-1", "price_min"),
        ("price_min=abc", "price_min"),
        ("price_min=500&price_max=100", "price_max"),
        ("ordering=cheapest", "ordering"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_values_are_field_errors(catalog, query, field):
    filterset = filter_products(QueryDict(query))
    assert not filterset.is_valid()
    assert list(filterset.errors) == [field]


def test_invalid_parameters_are_ignored_by_the_queryset_and_valid_ones_kept(catalog):
    filterset = filter_products(QueryDict("category=nope&shape=corner"))
    assert not filterset.is_valid()
    assert [p.name for p in filterset.qs] == ["Kitchen Milano", "Wardrobe Loft"]
