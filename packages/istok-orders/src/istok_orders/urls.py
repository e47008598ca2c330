"""Order pages: ``path("orders/", include("istok_orders.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_orders"

# ``path:`` so that an adapter's number may contain "/" (``2026/0042``); the routes with
# a suffix come first, so the detail route does not swallow them.
urlpatterns = [
    path("", views.OrderListView.as_view(), name="order_list"),
    path(
        "<path:number>/documents/<int:pk>/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("<path:number>/", views.OrderDetailView.as_view(), name="order_detail"),
]
