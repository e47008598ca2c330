"""The English demo is English: the lookup values the migrations seeded (catalog
taxonomy, rooms) and the demo's promotions and news have their English texts, which the
pages and the API show to a visitor who chose English, while Russian stays the default."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_catalog_filters_and_api_name_the_taxonomy_in_english(client):
    from istok_catalog.testing.factories import make_furniture

    product = make_furniture(category="kitchen", purposes=("kids-room",), slug="kitchen-nord")
    page = english(client).get("/catalog/").content.decode()
    assert "Kitchen" in page and "Кухня" not in page
    data = client.get(f"/api/catalog/products/{product.slug}/").json()
    assert data["category"] == {"slug": "kitchen", "name": "Kitchen"}
    assert data["purposes"] == [{"slug": "kids-room", "name": "Kids' room"}]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert client.get(f"/api/catalog/products/{product.slug}/").json()["category"]["name"] == (
        "Кухня"
    )


def test_the_rooms_api_names_the_rooms_in_english(client):
    rooms = english(client).get("/api/accounts/rooms/").json()
    assert {"slug": "kitchen", "name": "Kitchen"} in rooms
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert {"slug": "kitchen", "name": "Кухня"} in client.get("/api/accounts/rooms/").json()


def test_the_demo_promotions_and_news_read_in_english(client):
    call_command("istok_loyalty_demo", stdout=io.StringIO())
    english(client)
    promotions = client.get("/loyalty/promotions/").content.decode()
    assert "10% off kitchens until the end of the season" in promotions
    assert "Скидка" not in promotions
    news = client.get("/loyalty/news/").content.decode()
    assert "Our new showroom is open" in news
    api = client.get("/api/loyalty/promotions/").json()
    rows = api["results"] if isinstance(api, dict) else api
    titles = {row["title"] for row in rows}
    assert "Points pay up to 30% of an order" in titles
