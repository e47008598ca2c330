"""Support pages: ``path("support/", include("istok_support.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_support"

urlpatterns = [
    path("", views.ConversationView.as_view(), name="conversation"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/", views.ConversationDetailView.as_view(), name="conversation_detail"),
    # pk: the message's (the engine's realtime payloads reverse it so).
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("staff/", views.InboxView.as_view(), name="staff_inbox"),
    path("staff/<int:pk>/", views.StaffConversationView.as_view(), name="staff_conversation"),
]
