"""Booking API: ``path("api/booking/", include("istok_booking.api.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_booking_api"

urlpatterns = [
    path("kinds/", views.KindListView.as_view(), name="kind_list"),
    path("purposes/", views.PurposeListView.as_view(), name="purpose_list"),
    path("networks/", views.NetworkListView.as_view(), name="network_list"),
    path("slots/", views.SlotListView.as_view(), name="slot_list"),
    path("appointments/", views.AppointmentListView.as_view(), name="appointment_list"),
    path(
        "appointments/<int:pk>/",
        views.AppointmentDetailView.as_view(),
        name="appointment_detail",
    ),
    path(
        "appointments/<int:pk>/cancel/",
        views.CancelView.as_view(),
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        views.RescheduleView.as_view(),
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:pk>/calendar.ics",
        views.CalendarView.as_view(),
        name="appointment_ics",
    ),
    path(
        "appointments/<int:pk>/confirm/",
        views.ConfirmView.as_view(),
        name="appointment_confirm",
    ),
    path(
        "appointments/<int:pk>/complete/",
        views.CompleteView.as_view(),
        name="appointment_complete",
    ),
]
