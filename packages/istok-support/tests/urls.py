"""The test URLconf. istok_support's pages and API are included here by their tests."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="admin/login.html"), name="login"),
    path("support/", include("istok_support.urls")),
    path("api/support/", include("istok_support.api.urls")),
]
