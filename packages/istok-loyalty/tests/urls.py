from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="admin/login.html"), name="login"),
    path("loyalty/", include("istok_loyalty.urls")),
    path("api/loyalty/", include("istok_loyalty.api.urls")),
    path("", include("istok_loyalty.urls_referral")),
]
if apps.is_installed("istok_accounts"):
    urlpatterns.append(path("accounts/", include("istok_accounts.urls")))
if apps.is_installed("istok_orders"):
    urlpatterns.append(path("orders/", include("istok_orders.urls")))
