"""REST API of istok_orders (needs the ``[api]`` extra: DRF and drf-spectacular).

Mount it with ``path("api/orders/", include("istok_orders.api.urls"))``.
"""
