"""REST API of istok_loyalty (needs the ``[api]`` extra: DRF and drf-spectacular).

Mount it with ``path("api/loyalty/", include("istok_loyalty.api.urls"))``.
"""
