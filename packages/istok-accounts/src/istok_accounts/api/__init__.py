"""REST API of istok_accounts (needs the ``[api]`` extra: DRF and drf-spectacular).

Mount it with ``path("api/accounts/", include("istok_accounts.api.urls"))``.
"""
