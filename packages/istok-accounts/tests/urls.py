from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("istok_accounts.urls")),
    path("api/accounts/", include("istok_accounts.api.urls")),
]
