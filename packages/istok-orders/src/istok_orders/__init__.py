"""Orders (contracts) for the ISTOK furniture portal suite."""

__version__ = "0.2.0"

DEFAULT_PRODUCT_MODEL = "istok_catalog.Product"


def get_product_model_string():
    """The ``"app_label.ModelName"`` an order line points at (``ISTOK_ORDERS_PRODUCT_MODEL``)."""
    from django.conf import settings

    return getattr(settings, "ISTOK_ORDERS_PRODUCT_MODEL", DEFAULT_PRODUCT_MODEL)


def get_product_model():
    """The product model class an order line points at.

    Raises ``ImproperlyConfigured`` when ``ISTOK_ORDERS_PRODUCT_MODEL`` is malformed or names
    a model that is not installed.
    """
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    name = get_product_model_string()
    try:
        return apps.get_model(name, require_ready=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ISTOK_ORDERS_PRODUCT_MODEL must be of the form 'app_label.ModelName', not {name!r}."
        ) from exc
    except LookupError as exc:
        raise ImproperlyConfigured(
            f"ISTOK_ORDERS_PRODUCT_MODEL refers to the model {name!r}, which is not installed. "
            "Add its app to INSTALLED_APPS or point the setting at your product model."
        ) from exc
