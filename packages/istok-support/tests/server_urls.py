from django.urls import include, path

urlpatterns = [path("api/support/", include("istok_support.api.urls"))]
