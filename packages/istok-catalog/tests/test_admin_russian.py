"""The catalog's admin in Russian: no English left from the libraries under it (model
utils' "Modified", polymorphic's "Type"), kinds by name not by code, filter titles as
headings, and the purposes facet named as on the catalog page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from istok_catalog.testing.factories import make_furniture, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian_admin(client):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    client.cookies["django_language"] = "ru"
    with translation.override("ru"):
        yield client


def get(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    return response.content.decode()


def test_the_product_list_is_russian_with_kinds_by_name(russian_admin):
    make_furniture(name="Кухня «Верона»")
    make_service(name="Сборка")
    html = get(russian_admin, "/admin/istok_catalog/product/")
    assert "Modified" not in html and ">Type<" not in html and "Type\n" not in html
    assert "Изменён" in html
    assert '<td class="field-kind_label">Мебель</td>' in html
    assert '<td class="field-kind_label">Услуга</td>' in html
    assert ">furniture<" not in html and ">service<" not in html
    # Filter titles are headings, the kinds named as in the catalog.
    assert (
        'data-filter-title="Тип"' in html
        and 'data-filter-title="Опубликовано"' in html
        and 'data-filter-title="Категория"' in html
    )
    assert (
        'data-filter-title="опубликовано"' not in html
        and 'data-filter-title="категория"' not in html
    )


def test_adding_a_product_asks_for_its_kind_in_russian(russian_admin):
    html = get(russian_admin, "/admin/istok_catalog/product/add/")
    assert "Тип:" in html and "Type:" not in html
    assert "Мебель</label>" in html and "Услуга</label>" in html


def test_the_purposes_facet_is_named_as_on_the_catalog_page(russian_admin, client):
    product = make_furniture()
    html = get(russian_admin, f"/admin/istok_catalog/furnitureproduct/{product.pk}/change/")
    # A <label> up to Django 5.2, a fieldset's <legend> for the checkboxes from Django 6.0.
    assert re.search(r"<(label|legend)\b[^>]*>Назначение:?</(label|legend)>", html)
    assert "Создан" in html and "Изменён" in html
    assert "Created" not in html and "Modified" not in html
    changelist = get(russian_admin, "/admin/istok_catalog/furnitureproduct/")
    assert 'data-filter-title="Назначение"' in changelist
    page = get(russian_admin, product.get_absolute_url())
    assert "<dt>Назначение</dt>" in page
    catalog = get(russian_admin, "/catalog/")
    assert 'istok-catalog-facet__title">Назначение</legend>' in catalog
