"""The taxonomy (categories, purposes, shapes, materials) reads in the page's language:
the filters, the product page and the API; the admin edits each language; the seeded
terms got their names in the project's other languages when migrated."""

import pytest
from django.urls import reverse

from istok_catalog.models import Category, Purpose
from istok_catalog.testing.factories import make_furniture

pytestmark = pytest.mark.django_db

LANGUAGES = [("ru", "Russian"), ("en", "English")]


@pytest.fixture
def russian_site(settings):
    """A Russian site with English: the columns hold Russian, translations English."""
    settings.LANGUAGE_CODE, settings.LANGUAGES = "ru", LANGUAGES
    kitchen = Category.objects.get(slug="kitchen")
    kitchen.name, kitchen.translations = "Кухня", {"en": {"name": "Kitchen"}}
    kitchen.save()
    office = Purpose.objects.get(slug="office")
    office.name, office.translations = "Офис", {"en": {"name": "Office"}}
    office.save()
    return make_furniture(category="kitchen", purposes=("office",), slug="kitchen-nord")


def test_the_seeded_terms_were_given_their_names_in_the_other_language():
    # The tests' site is English with Russian: migrating wrote the Russian names.
    assert Category.objects.get(slug="kitchen").translations == {"ru": {"name": "Кухня"}}
    # A name with a context in the catalogue ("Home" as a purpose) too.
    assert Purpose.objects.get(slug="home").translations == {"ru": {"name": "Дом"}}


@pytest.mark.parametrize(
    ("language", "kitchen", "office"), [("en", "Kitchen", "Office"), ("ru", "Кухня", "Офис")]
)
def test_the_list_filters_and_the_product_page_read_the_pages_language(
    client, russian_site, language, kitchen, office
):
    headers = {"accept-language": language}
    listing = client.get(reverse("istok_catalog:product_list"), headers=headers)
    labels = {
        option["label"]
        for dimension in listing.context["facets"]["dimensions"]
        for option in dimension["options"]
    }
    assert {kitchen, office} <= labels
    page = client.get(
        reverse("istok_catalog:product_detail", args=[russian_site.slug]), headers=headers
    ).content.decode()
    assert kitchen in page and office in page


def test_the_api_returns_the_requests_language(client, russian_site):
    url = f"/api/catalog/products/{russian_site.slug}/"
    english = client.get(url, headers={"accept-language": "en"}).json()
    assert english["category"] == {"slug": "kitchen", "name": "Kitchen"}
    assert {"slug": "office", "name": "Office"} in english["purposes"]
    russian = client.get(url, headers={"accept-language": "ru"}).json()
    assert russian["category"]["name"] == "Кухня"
    facets = client.get("/api/catalog/facets/", headers={"accept-language": "en"}).json()
    category = next(d for d in facets["dimensions"] if d["name"] == "category")
    assert "Kitchen" in {option["label"] for option in category["options"]}


def test_a_manager_edits_a_terms_english_name_in_the_admin(admin_client, russian_site):
    kitchen = Category.objects.get(slug="kitchen")
    change = reverse("admin:istok_catalog_category_change", args=[kitchen.pk])
    assert "name__en" in admin_client.get(change).context["adminform"].form.fields
    response = admin_client.post(
        change,
        {
            "name": "Кухня",
            "slug": "kitchen",
            "position": 0,
            "is_active": "on",
            "name__en": "Kitchens",
        },
    )
    assert response.status_code == 302
    kitchen.refresh_from_db()
    assert kitchen.translations == {"en": {"name": "Kitchens"}}
