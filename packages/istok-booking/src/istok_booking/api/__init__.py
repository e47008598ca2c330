"""REST API of istok_booking (needs the ``[api]`` extra: DRF and drf-spectacular).

Mount it with ``path("api/booking/", include("istok_booking.api.urls"))``.
"""
