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


def test_when_nothing_matches_the_page_offers_to_reset_the_filters(client, catalog):
    html = client.get(LIST, {"q": "no such thing anywhere"}).content.decode()
    assert '<div class="istok-empty">' in html
    assert "Nothing matches these filters." in html
    assert (
        '<a class="istok-button istok-button--secondary" href="/catalog/">Reset filters</a>'
    ) in html


def test_every_filter_has_its_label_and_the_results_their_count(client, catalog):
    html = client.get(LIST).content.decode()
    assert '<label class="istok-field__label" for="istok-q">Search</label>' in html
    assert '<label class="istok-field__label" for="istok-ordering">Sort by</label>' in html
    assert (
        '<legend class="istok-field__label istok-catalog-facet__title">Category</legend>' in html
    )
    assert 'id="istok-results-count" class="istok-catalog-results__count"' in html
