"""Catalog pages: ``path("catalog/", include("istok_catalog.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_catalog"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product_list"),
    path("<slug:slug>/", views.ProductDetailView.as_view(), name="product_detail"),
]
