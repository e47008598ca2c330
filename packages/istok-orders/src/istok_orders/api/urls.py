"""Orders API: ``path("api/orders/", include("istok_orders.api.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_orders_api"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="order_list"),
    path("<str:number>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("<str:number>/status/", views.StatusChangeView.as_view(), name="status_change"),
    path("<str:number>/documents/", views.DocumentAttachView.as_view(), name="document_attach"),
    path(
        "<str:number>/documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
]
