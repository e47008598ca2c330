"""product_changed and product_deleted: sent after the transaction commits, for a cache or a
search index to follow the catalog."""

import pytest
from django.db import transaction

from istok_catalog.models import FurnitureProduct, ProductImage
from istok_catalog.services import delete_product_image, save_product_image
from istok_catalog.signals import product_changed, product_deleted
from istok_catalog.testing.factories import image_upload, make_furniture, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def changed(sender, product, **kwargs):
        calls.append(("changed", sender, product.pk))

    def deleted(sender, pk, **kwargs):
        calls.append(("deleted", sender, pk))

    product_changed.connect(changed)
    product_deleted.connect(deleted)
    yield calls
    product_changed.disconnect(changed)
    product_deleted.disconnect(deleted)


def test_a_saved_product_is_announced_only_after_the_commit(
    received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product = make_furniture()
    assert received == []
    for callback in callbacks:
        callback()
    assert received and set(received) == {("changed", FurnitureProduct, product.pk)}


def test_a_rolled_back_change_is_not_announced(received, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_service()
        raise RuntimeError
    assert received == []


def test_a_new_picture_changes_its_product(received, django_capture_on_commit_callbacks):
    product = make_furniture()
    with django_capture_on_commit_callbacks(execute=True):
        image = save_product_image(ProductImage(product=product, image=image_upload()))
    assert ("changed", FurnitureProduct, product.pk) in received
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        delete_product_image(image)
    assert ("changed", FurnitureProduct, product.pk) in received


def test_a_deleted_product_is_announced_once_and_not_as_changed(
    received, django_capture_on_commit_callbacks
):
    product = make_furniture()
    save_product_image(ProductImage(product=product, image=image_upload()))
    pk = product.pk
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert received == [("deleted", FurnitureProduct, pk)]
