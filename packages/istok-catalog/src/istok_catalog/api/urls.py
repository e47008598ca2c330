"""Catalog API: ``path("api/catalog/", include("istok_catalog.api.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_catalog_api"

urlpatterns = [
    path("products/", views.ProductListAPIView.as_view(), name="product_list"),
    path("products/<slug:slug>/", views.ProductDetailAPIView.as_view(), name="product_detail"),
    path("facets/", views.FacetsAPIView.as_view(), name="facets"),
]
