"""Every query parameter of the catalog API with empty, blank, repeated, unknown and
malformed values: the result of no filter, or a 400 with a clear field error."""

import pytest
from django.http import QueryDict

from istok_catalog.selectors import filter_products

pytestmark = pytest.mark.django_db

LIST = "/api/catalog/products/"
FACETS = "/api/catalog/facets/"
FILTERS = [
    "category",
    "purpose",
    "shape",
    "facade_material",
    "countertop_material",
    "kind",
    "price_min",
    "price_max",
    "q",
    "ordering",
]


def slugs(response):
    assert response.status_code == 200, response.content
    return [product["slug"] for product in response.json()["results"]]


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("blank", ["", " ", "   "])
def test_an_empty_or_blank_value_means_no_filter(api, catalog, name, blank):
    everything = slugs(api.get(LIST))
    assert slugs(api.get(LIST, {name: blank})) == everything
    assert slugs(api.get(LIST, {name: [blank, blank]})) == everything
    assert api.get(FACETS, {name: blank}).status_code == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("category", "kitchen"),
        ("purpose", "home"),
        ("shape", "corner"),
        ("facade_material", "mdf-enamel"),
        ("kind", "service"),
    ],
)
def test_blank_values_beside_a_real_one_are_left_out(api, catalog, name, value):
    alone = slugs(api.get(LIST, {name: value}))
    assert slugs(api.get(LIST, {name: ["", value, " "]})) == alone
    assert slugs(api.get(LIST, {name: [value, value]})) == alone


def test_a_value_with_spaces_around_it_is_read_without_them(api, catalog):
    assert slugs(api.get(LIST, {"category": " kitchen "})) == slugs(
        api.get(LIST, {"category": "kitchen"})
    )
    assert slugs(api.get(LIST, {"ordering": " -price"})) == slugs(
        api.get(LIST, {"ordering": "-price"})
    )
    assert slugs(api.get(LIST, {"price_min": " 1500 "})) == slugs(
        api.get(LIST, {"price_min": "1500"})
    )


def test_the_filterset_of_the_page_reads_blank_values_as_no_filter(catalog):
    filterset = filter_products(QueryDict("category=&kind=+&ordering=&price_min=+&shape=corner"))
    assert filterset.is_valid(), filterset.errors
    assert filterset.selected("category") == set()
    assert filterset.selected("shape") == {"corner"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("category", "no-such", "Выберите корректный вариант. «no-such» нет среди допустимых"),
        ("kind", "boat", "Выберите корректный вариант. «boat» нет среди допустимых"),
        ("ordering", "name", "Выберите корректный вариант. «name» нет среди допустимых"),
        ("price_min", "cheap", "Введите число."),
        ("price_max", "NaN", "Введите число."),
        ("price_max", "1e400", "Убедитесь, что вы ввели не более 12 цифр."),
        ("price_min", "1.234", "Убедитесь, что вы ввели не более 2 цифр после запятой."),
        ("price_min", "-5", "Убедитесь, что это значение больше либо равно 0."),
    ],
)
def test_a_wrong_value_is_one_clear_translated_field_error(api, catalog, name, value, message):
    response = api.get(LIST, {name: value}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    (error,) = response.json()[name]
    assert error.startswith(message), error
    assert list(response.json()) == [name]


def test_a_wrong_value_among_good_ones_is_named(api, catalog):
    response = api.get(LIST, {"category": ["kitchen", "", "nope"]}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json() == {
        "category": ["Выберите корректный вариант. «nope» нет среди допустимых значений."]
    }


def test_unknown_parameters_are_ignored(api, catalog):
    assert slugs(api.get(LIST, {"colour": "red", "category[]": "x"})) == slugs(api.get(LIST))


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize(
    "value", ["0x10", "1,2", "[]", "{}", "Infinity", "-0", "9" * 40, "кухня", "a" * 500, "%00"]
)
def test_no_malformed_value_is_a_server_error(api, catalog, name, value):
    for url in (LIST, FACETS):
        response = api.get(url, {name: [value, value]})
        assert response.status_code in (200, 400), (url, response.content)
        if response.status_code == 400:
            assert list(response.json()) == [name]
