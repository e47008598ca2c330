"""REST API of istok_support (needs the ``[api]`` extra: DRF and drf-spectacular).

Mount it with ``path("api/support/", include("istok_support.api.urls"))``.
"""
