"""Order pages: ``path("orders/", include("istok_orders.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_orders"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="order_list"),
    path("<str:number>/", views.OrderDetailView.as_view(), name="order_detail"),
    path(
        "<str:number>/documents/<int:pk>/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
]
