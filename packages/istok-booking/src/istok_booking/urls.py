"""Booking pages: ``path("booking/", include("istok_booking.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_booking"

urlpatterns = [
    path("", views.AppointmentCreateView.as_view(), name="appointment_create"),
    path("booked/", views.AppointmentBookedView.as_view(), name="appointment_booked"),
    path("appointments/", views.AppointmentListView.as_view(), name="appointment_list"),
    path(
        "appointments/<int:pk>/", views.AppointmentDetailView.as_view(), name="appointment_detail"
    ),
    path(
        "appointments/<int:pk>/cancel/",
        views.AppointmentCancelView.as_view(),
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        views.AppointmentRescheduleView.as_view(),
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:pk>/calendar.ics",
        views.AppointmentCalendarView.as_view(),
        name="appointment_ics",
    ),
]
