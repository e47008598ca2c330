"""istok_catalog's own receivers, connected in ``apps.ready``:

- Django's model signals turned into ``product_changed`` and ``product_deleted``
  (``signals.py``), sent after the commit;
- the facet table kept equal to the product tables, in the transaction of the write
  (``services.refresh_facets``), whoever saved the product (services, admin, own code);
- the facet cache's catalogue version bumped after the commit of any write that can change
  a count or an option (``services.catalog_changed``).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from . import services
from .filters import register_casefold
from .models import (
    Category,
    CountertopMaterial,
    FacadeMaterial,
    FurnitureProduct,
    Product,
    ProductFacet,
    ProductImage,
    Purpose,
    Shape,
)
from .signals import product_changed, product_deleted

TAXONOMY_MODELS = (Category, Purpose, Shape, FacadeMaterial, CountertopMaterial)


def _catalog_changed(using):
    transaction.on_commit(services.catalog_changed, using=using)


def _announce_changed(product_pk):
    def send():
        # Gone by the commit (a picture deleted with its product): deleted, not changed.
        product = Product.objects.filter(pk=product_pk).first()
        if product is not None:
            product_changed.send(sender=type(product), product=product)

    transaction.on_commit(send)


def on_product_saved(sender, instance, raw=False, using=None, **kwargs):
    if not isinstance(instance, Product):
        return
    # Also for fixtures (raw): the catalog lists a product through its facet row.
    services.refresh_facets([instance.pk], using=using)
    _catalog_changed(using)
    if not raw:
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
    _catalog_changed(kwargs.get("using"))


def on_image_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _announce_changed(instance.product_id)


def on_purposes_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    if reverse and action == "pre_clear":
        # A purpose's products are unknown after the clear: note them before.
        instance._istok_cleared = list(
            sender.objects.using(using)
            .filter(purpose_id=instance.pk)
            .values_list("furnitureproduct_id", flat=True)
        )
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        products = [instance.pk]
    elif action == "post_clear":
        products = getattr(instance, "_istok_cleared", [])
    else:
        products = pk_set or ()
    services.refresh_facets(products, using=using)
    _catalog_changed(using)
    for pk in products:
        _announce_changed(pk)


def on_taxonomy_saved(sender, instance, using=None, **kwargs):
    # Names, positions and activity show in the facets' options.
    _catalog_changed(using)


def on_purpose_deleted(sender, instance, using=None, **kwargs):
    # Its links went with it (without m2m_changed): clear its bit where it was set.
    if instance.bit is not None:
        table = ProductFacet._meta.db_table
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET purposes = purposes & %s WHERE purposes & %s <> 0",
                [~(1 << instance.bit), 1 << instance.bit],
            )
    _catalog_changed(using)


def connect():
    connection_created.connect(register_casefold, dispatch_uid="istok_catalog.casefold")
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
    for model in TAXONOMY_MODELS:
        uid = f"istok_catalog.taxonomy.{model._meta.model_name}"
        post_save.connect(on_taxonomy_saved, sender=model, dispatch_uid=f"{uid}.saved")
        if model is not Purpose:
            # Deleting a countertop material empties the column (SET_NULL) in both tables.
            post_delete.connect(on_taxonomy_saved, sender=model, dispatch_uid=f"{uid}.deleted")
    pre_delete.connect(on_purpose_deleted, sender=Purpose, dispatch_uid="istok_catalog.purpose")
