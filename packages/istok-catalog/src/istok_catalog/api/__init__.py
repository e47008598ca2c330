"""REST API of istok_catalog (extra ``[api]``): importable only with djangorestframework.

``path("api/catalog/", include("istok_catalog.api.urls"))``.
"""
