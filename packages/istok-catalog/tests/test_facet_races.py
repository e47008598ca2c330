"""The facet table under real concurrency (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection, transaction

from istok_catalog import services
from istok_catalog.models import FurnitureProduct, ProductFacet, Purpose
from istok_catalog.testing.factories import make_furniture

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_transactions_giving_one_product_purposes_both_reach_its_facet_row():
    product = make_furniture(purposes=())
    home, office = Purpose.objects.get(slug="home"), Purpose.objects.get(slug="office")
    first_added, errors = threading.Event(), []

    def add(purpose, before=None, after=None):
        try:
            with transaction.atomic():
                if before is not None:
                    before.wait(5)
                FurnitureProduct.objects.get(pk=product.pk).purposes.add(purpose)
                if after is not None:
                    after.set()
                    # Hold the transaction open while the other one refreshes the row.
                    threading.Event().wait(0.5)
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=add, args=(home,), kwargs={"after": first_added}),
        threading.Thread(target=add, args=(office,), kwargs={"before": first_added}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    mask = ProductFacet.objects.get(product=product).purposes
    assert mask == (1 << home.bit) | (1 << office.bit)
    assert services.facet_differences() == []


def test_purposes_created_at_once_get_different_bits():
    from istok_core.testing import run_at_once

    results = run_at_once(
        *(lambda n=n: Purpose.objects.create(slug=f"new-{n}", name=f"New {n}") for n in range(4))
    )
    assert not [r for r in results if isinstance(r, Exception)]
    bits = list(Purpose.objects.values_list("bit", flat=True))
    assert None not in bits and len(set(bits)) == len(bits)
