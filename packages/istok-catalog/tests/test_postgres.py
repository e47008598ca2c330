"""Behaviour that only PostgreSQL has: full-text search in Russian and its index."""

import pytest
from django.db import connection
from django.http import QueryDict

from istok_catalog.filters import ProductFilterSet
from istok_catalog.models import Product
from istok_catalog.selectors import filter_products
from istok_catalog.testing.factories import make_furniture

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def names(query):
    filterset = filter_products(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    return sorted(p.name for p in filterset.qs)


def test_search_matches_russian_word_forms():
    make_furniture(name="Угловая кухня «Верона»", description="Фасады из массива дуба.")
    make_furniture(name="Шкаф-купе", description="Зеркальные двери.")
    assert names("q=кухни") == ["Угловая кухня «Верона»"]
    assert names("q=фасад") == ["Угловая кухня «Верона»"]
    assert names("q=зеркало двери") == []  # every word must match
    assert names("q=зеркальные двери") == ["Шкаф-купе"]
    assert names('q="кухня" -шкаф') == ["Угловая кухня «Верона»"]


def test_search_syntax_errors_are_not_errors():
    make_furniture(name="Кухня")
    for query in ("q=&&", "q=!(", "q=кухня:*", "q=' OR 1=1"):
        names(query)


def test_search_uses_the_text_index():
    make_furniture(name="Кухня")
    filterset = ProductFilterSet(QueryDict("q=кухня"), queryset=Product.objects.non_polymorphic())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = filterset.qs.order_by().explain()
    assert "istok_catalog_product_search_idx" in plan
