"""Accounts API: ``path("api/accounts/", include("istok_accounts.api.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_accounts_api"

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/consents/", views.ConsentsView.as_view(), name="consents"),
    path("me/export/", views.ExportView.as_view(), name="export"),
    path("me/erase/", views.EraseView.as_view(), name="erase"),
    path("rooms/", views.RoomsView.as_view(), name="rooms"),
]
