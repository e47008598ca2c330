"""Orders API: ``path("api/orders/", include("istok_orders.api.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_orders_api"

# ``path:`` so that an adapter's number may contain "/"; the routes with a suffix come
# first, so the detail route does not swallow them.
urlpatterns = [
    path("", views.OrderListView.as_view(), name="order_list"),
    path("<path:number>/status/", views.StatusChangeView.as_view(), name="status_change"),
    path(
        "<path:number>/documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("<path:number>/documents/", views.DocumentAttachView.as_view(), name="document_attach"),
    path("<path:number>/", views.OrderDetailView.as_view(), name="order_detail"),
]
