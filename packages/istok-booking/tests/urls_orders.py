"""The test URLs with istok_orders' pages beside the booking pages (the order page links
to the booking page)."""

from django.urls import include, path

from .urls_surfaces import urlpatterns as booking_urlpatterns

urlpatterns = [*booking_urlpatterns, path("orders/", include("istok_orders.urls"))]
