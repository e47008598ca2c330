"""Settings of istok_catalog, each with its default.

Every setting is read as ``settings.ISTOK_CATALOG_<NAME>`` (django-appconf fills in the
default when the project does not set it).
"""

from appconf import AppConf
from django.conf import settings  # noqa: F401  (AppConf needs settings imported here)


class IstokCatalogConf(AppConf):
    #: Products on one page of the list (pages and API) when ``page_size`` is not given.
    PAGE_SIZE = 24

    #: The largest ``page_size`` a client may ask for; a larger one is refused (API: 400).
    MAX_PAGE_SIZE = 100

    #: Largest width and height, in pixels, an uploaded image is kept at. A larger image
    #: is scaled down (keeping its proportions) when the product is saved.
    IMAGE_MAX_SIZE = (2400, 2400)

    #: Largest accepted image upload, in bytes.
    IMAGE_MAX_UPLOAD_SIZE = 15 * 1024 * 1024

    #: Image formats (as Pillow names them) accepted for product pictures.
    IMAGE_FORMATS = ["JPEG", "PNG", "WEBP"]

    #: The most pixels (width x height) an uploaded image may have. A larger one is
    #: refused before it is decoded: a few kilobytes can unpack to gigabytes.
    IMAGE_MAX_PIXELS = 50_000_000

    #: Box, in pixels, the list thumbnails are fitted into.
    THUMBNAIL_SIZE = (480, 360)

    #: Largest accepted 3D model (GLB or glTF), in bytes.
    MODEL_MAX_SIZE = 50 * 1024 * 1024

    #: The ``<model-viewer>`` script (https://modelviewer.dev) that shows a product's 3D
    #: model in its page: a path under the static files or a full URL. The default is the
    #: copy of ``@google/model-viewer`` this package ships (static/istok_catalog/vendor/),
    #: so the viewer works offline and from the site's own origin (no CDN to allow in a
    #: Content-Security-Policy). Empty: no viewer, only a download link.
    MODEL_VIEWER_URL = "istok_catalog/vendor/model-viewer/model-viewer.min.js"

    #: How customers reach the business, shown on a product page when neither
    #: istok_booking (book a consultation) nor istok_support (ask about the product) is
    #: installed: a list of ``{"label": ..., "text": ..., "url": ...}`` (``url`` optional:
    #: ``tel:``, ``mailto:``, a messenger's link), e.g.
    #: ``{"label": _("Phone"), "text": "+7 812 000-00-00", "url": "tel:+78120000000"}``.
    #: Empty: no contact block.
    CONTACTS = []

    #: PostgreSQL text search configuration for the ``q`` filter. Migration 0003 indexes
    #: the name and description with "russian"; with another configuration, add your own
    #: index. Other databases search with ``icontains``.
    SEARCH_CONFIG = "russian"

    #: Alias (in ``CACHES``) of the cache that keeps facet counts, result counts and the
    #: facets' options, keyed by the normalised filters and a catalogue version that every
    #: write changing a count bumps after its commit. ``None``: computed on each request.
    #: Use a cache all processes share (Redis, Memcached): with a per-process cache
    #: (``LocMemCache``) a process would not see another's bump.
    FACETS_CACHE = None

    #: Seconds a cached facet count is kept (a bump retires it earlier).
    FACETS_CACHE_TIMEOUT = 600

    class Meta:
        prefix = "ISTOK_CATALOG"
