"""The catalog pages on istok-core's base template, includes and design system."""

import pytest

pytestmark = pytest.mark.django_db

LIST = "/catalog/"


def test_the_list_adds_its_own_stylesheet_after_the_core_one(client, catalog):
    html = client.get(LIST).content.decode()
    assert '<body class="istok-page">' in html
    assert html.index("/static/istok_core/css/istok.css") < html.index(
        "/static/istok_catalog/catalog.css"
    )


def test_a_search_that_finds_nothing_says_so_and_offers_to_clear_it(client, catalog):
    html = client.get(LIST, {"q": "no such thing anywhere", "ordering": "price"}).content.decode()
    assert '<div class="istok-empty">' in html
    assert "Nothing is called or described “no such thing anywhere”." in html
    # Clearing the search keeps the rest of the choice (the order).
    assert 'href="?ordering=price">Clear the search</a>' in html


def test_one_filter_that_finds_nothing_offers_to_remove_that_filter(client, catalog):
    html = client.get(LIST, {"category": "kitchen", "price_max": "1"}).content.decode()
    assert "No product matches all the chosen filters at once." in html
    assert (
        '<a class="istok-button istok-button--secondary" href="/catalog/">Reset filters</a>'
        in html
    )
    # Each chosen filter is a chip that removes it alone.
    assert 'href="?category=kitchen"' in html  # without the price
    assert 'href="?price_max=1"' in html  # without the category
    html = client.get(LIST, {"price_min": "100000000"}).content.decode()
    assert "Nothing here for this filter at the moment." in html
    assert 'href="?">Remove the filter</a>' in html


def test_an_empty_catalog_says_so_without_a_reset(client, db):
    html = client.get(LIST).content.decode()
    assert "The catalog is empty for now." in html
    assert "Reset filters" not in html


def test_every_filter_has_its_label_and_the_results_their_count(client, catalog):
    html = client.get(LIST).content.decode()
    assert '<label class="istok-field__label" for="istok-q">Search</label>' in html
    assert '<label class="istok-field__label" for="istok-ordering">Sort by</label>' in html
    assert (
        '<legend class="istok-field__label istok-catalog-facet__title">Category</legend>' in html
    )
    assert 'id="istok-results-count" class="istok-catalog-results__count"' in html
