"""Product catalog for the ISTOK furniture portal suite."""

__version__ = "0.2.0"

PRODUCT_MODEL = "istok_catalog.Product"


def get_product_model_string():
    """Return the label of the catalog's product model: ``"istok_catalog.Product"``.

    Other apps point at products through their own setting (``ISTOK_ORDERS_PRODUCT_MODEL``
    and the like), whose default is this string.
    """
    return PRODUCT_MODEL


def get_product_model():
    """Return the catalog's product model class.

    Raises :class:`~django.core.exceptions.ImproperlyConfigured` when ``istok_catalog`` is
    not in ``INSTALLED_APPS``.
    """
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    try:
        return apps.get_model(PRODUCT_MODEL, require_ready=False)
    except LookupError:
        raise ImproperlyConfigured(
            f"get_product_model() needs the model {PRODUCT_MODEL!r}, but the app "
            '"istok_catalog" is not installed: add it (with "polymorphic" and '
            '"django_filters") to INSTALLED_APPS.'
        ) from None
