"""Signals istok_catalog sends, so a cache or a search index can follow the catalog.

Both are sent after the transaction that made the change has committed (never for a change
that was rolled back), whoever made it: the services, the admin, a management command or
your own code saving a product. Connect to them in your app's ``ready()``.

``product_changed``
    A product was created or changed: its own fields, its purposes, or one of its gallery
    pictures. Sent once per save that committed, so possibly more than once for one
    transaction (``services.save_product`` saves the product and its thumbnail): make the
    receiver idempotent (drop a cache key, reindex the product).

    - ``sender``: the product's class (``FurnitureProduct``, ``ServiceProduct``).
    - ``product``: the product, as saved.

``product_deleted``
    A product was deleted (once, not also as changed).

    - ``sender``: the product's class.
    - ``pk``: the deleted product's primary key.
    - ``slug``: its slug (the address of its page).
"""

from django.dispatch import Signal

product_changed = Signal()
product_deleted = Signal()
