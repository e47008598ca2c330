"""istok_catalog: the purpose of a visit booked from a product page."""

from django.apps import apps
from django.conf import settings

from ..models import Purpose


def purpose_for_product(slug):
    """The active :class:`~istok_booking.models.Purpose` for the published product
    ``slug`` of istok_catalog, by its category (``ISTOK_BOOKING_CATALOG_PURPOSES``), or
    ``None``: no istok_catalog, no such product, no category, no matching purpose."""
    if not apps.is_installed("istok_catalog") or not isinstance(slug, str) or not slug:
        return None
    from istok_catalog.selectors import get_published_product

    try:
        product = get_published_product(slug[:200])
    except Exception:
        return None
    category = getattr(product, "category", None)
    if category is None:
        return None
    code = settings.ISTOK_BOOKING_CATALOG_PURPOSES.get(category.slug) or category.slug.replace(
        "-", "_"
    )
    return Purpose.objects.filter(code=code, is_active=True).first()
