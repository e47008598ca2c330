from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("catalog/", include("istok_catalog.urls")),
    path("api/catalog/", include("istok_catalog.api.urls")),
]
