"""The tests' URLconf with istok_booking's pages (``settings_booking``)."""

from django.urls import include, path

from .urls import urlpatterns as base

urlpatterns = [*base, path("booking/", include("istok_booking.urls"))]
