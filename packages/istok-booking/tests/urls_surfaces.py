"""The URLs of the pages, API and admin tests: the booking pages and API mounted as the
README shows."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="admin/login.html"), name="login"),
    path("booking/", include("istok_booking.urls")),
    path("api/booking/", include("istok_booking.api.urls")),
]
