"""istok_catalog's own receivers: Django's model signals turned into ``product_changed`` and
``product_deleted`` (``signals.py``), sent after the commit. Connected in ``apps.ready``."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import FurnitureProduct, Product, ProductImage
from .signals import product_changed, product_deleted


def _announce_changed(product_pk):
    def send():
        # Gone by the commit (a picture deleted with its product): deleted, not changed.
        product = Product.objects.filter(pk=product_pk).first()
        if product is not None:
            product_changed.send(sender=type(product), product=product)

    transaction.on_commit(send)


def on_product_saved(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, Product):
        return
    _announce_changed(instance.pk)


def on_product_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Product):
        return
    # Multi-table inheritance: deleting a FurnitureProduct deletes its Product row too, with
    # a signal each. Announce it once, for the product's own class.
    real = ContentType.objects.get_for_id(instance.polymorphic_ctype_id).model_class()
    if real is not sender:
        return
    pk, slug = instance.pk, instance.slug
    transaction.on_commit(lambda: product_deleted.send(sender=real, pk=pk, slug=slug))


def on_image_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _announce_changed(instance.product_id)


def on_purposes_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Product):
        _announce_changed(instance.pk)


def connect():
    post_save.connect(on_product_saved, dispatch_uid="istok_catalog.product_saved")
    post_delete.connect(on_product_deleted, dispatch_uid="istok_catalog.product_deleted")
    post_save.connect(on_image_changed, sender=ProductImage, dispatch_uid="istok_catalog.image")
    post_delete.connect(
        on_image_changed, sender=ProductImage, dispatch_uid="istok_catalog.image_deleted"
    )
    m2m_changed.connect(
        on_purposes_changed,
        sender=FurnitureProduct.purposes.through,
        dispatch_uid="istok_catalog.purposes",
    )
