"""Support API: ``path("api/support/", include("istok_support.api.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_support_api"

urlpatterns = [
    path("conversations/", views.ConversationListView.as_view(), name="conversation_list"),
    path(
        "conversations/<int:pk>/",
        views.ConversationDetailView.as_view(),
        name="conversation_detail",
    ),
    path("conversations/<int:pk>/messages/", views.MessageListView.as_view(), name="message_list"),
    path("conversations/<int:pk>/read/", views.MarkReadView.as_view(), name="mark_read"),
    path("conversations/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("conversations/<int:pk>/rate/", views.RateView.as_view(), name="rate"),
    path("conversations/<int:pk>/take/", views.TakeView.as_view(), name="take"),
    path("conversations/<int:pk>/reply/", views.StaffReplyView.as_view(), name="staff_reply"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
]
