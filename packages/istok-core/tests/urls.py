from django.urls import path

from . import views

urlpatterns = [
    path("echo/", views.echo, name="echo"),
    path("echo/<str:value>/", views.echo, name="echo"),
    path("form/", views.name_form, name="form"),
    path("visits/", views.visits, name="visits"),
    path("api/echo/", views.EchoAPIView.as_view(), name="api_echo"),
    path("api/action/", views.ActionAPIView.as_view(), name="api_action"),
    path("api/safe-json/", views.SafeJSONParserView.as_view(), name="api_safe_json"),
]
