"""Account pages: ``path("accounts/", include("istok_accounts.urls"))``."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

app_name = "istok_accounts"

T = "istok_accounts/"

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name=T + "login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path(
        "logout/",
        auth_views.LogoutView.as_view(template_name=T + "logged_out.html"),
        name="logout",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            form_class=PasswordChangeForm,
            template_name=T + "password_change.html",
            success_url=reverse_lazy("istok_accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name=T + "password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name=T + "password_reset.html",
            email_template_name=T + "email/password_reset.txt",
            subject_template_name=T + "email/password_reset_subject.txt",
            success_url=reverse_lazy("istok_accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=T + "password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm,
            template_name=T + "password_reset_confirm.html",
            success_url=reverse_lazy("istok_accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=T + "password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("consents/", views.ConsentsView.as_view(), name="consents"),
    path("data/", views.DataExportView.as_view(), name="data_export"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("data/download/", views.DataDownloadView.as_view(), name="data_download"),
    path("delete/", views.AccountDeleteView.as_view(), name="delete"),
]
