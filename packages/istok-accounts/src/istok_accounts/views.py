"""Account pages. Each view validates with a form and writes through ``services``."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from istok_core.throttling import RateLimitedFormMixin

from . import limits, selectors, services
from .forms import AccountDeleteForm, NewsletterForm, ProfileForm, SignupForm
from .models import Consent

BACKEND = "istok_accounts.backends.EmailOrUsernameBackend"


def _saved_user(request):
    """A fresh copy of ``request.user`` as a plain model instance, as saved in the database.

    ``request.user`` is a ``SimpleLazyObject``: ``type()`` of it, which the services use, is
    not the user model. And a model form writes what it was sent onto its instance, even
    values it refuses, so it must not be given ``request.user``.
    """
    return get_user_model()._default_manager.get(pk=request.user.pk)


class SignupView(RateLimitedFormMixin, FormView):
    template_name = "istok_accounts/signup.html"
    form_class = SignupForm
    rate_limit_scope = limits.SIGNUP
    rate_limit_setting = "ISTOK_ACCOUNTS_SIGNUP_RATE"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return HttpResponseRedirect(resolve_url(settings.ISTOK_ACCOUNTS_SIGNUP_REDIRECT_URL))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        try:
            user = services.sign_up(request=self.request, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        backend = BACKEND if BACKEND in settings.AUTHENTICATION_BACKENDS else None
        login(self.request, user, backend=backend or settings.AUTHENTICATION_BACKENDS[0])
        messages.success(self.request, _("Welcome! Your account has been created."))
        return HttpResponseRedirect(resolve_url(settings.ISTOK_ACCOUNTS_SIGNUP_REDIRECT_URL))


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "istok_accounts/profile.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            profile_user=user,
            completion=selectors.profile_completion(user),
            rooms=list(user.rooms.all()),
            newsletter=selectors.has_newsletter_consent(user),
            **kwargs,
        )


class ProfileEditView(LoginRequiredMixin, FormView):
    template_name = "istok_accounts/profile_edit.html"
    form_class = ProfileForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": _saved_user(self.request)}

    def get_context_data(self, **kwargs):
        completion = selectors.profile_completion(self.request.user)
        return super().get_context_data(completion=completion, **kwargs)

    def form_valid(self, form):
        # The form has written its values onto its instance; the service starts from the
        # saved row, so a refused change leaves nothing half-applied.
        user = _saved_user(self.request)
        try:
            services.update_profile(user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Your profile has been saved."))
        return HttpResponseRedirect(resolve_url("istok_accounts:profile"))


class ConsentsView(LoginRequiredMixin, FormView):
    template_name = "istok_accounts/consents.html"
    form_class = NewsletterForm

    def get_initial(self):
        return {"newsletter": selectors.has_newsletter_consent(self.request.user)}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            consents=Consent.objects.filter(user=user),
            personal_data=selectors.active_consent(user, Consent.Purpose.PERSONAL_DATA),
            needs_policy_consent=selectors.needs_policy_consent(user),
            policy_version=settings.ISTOK_ACCOUNTS_POLICY_VERSION,
            policy_url=selectors.policy_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "accept_policy" in request.POST:
            user = _saved_user(request)
            services.give_consent(user, Consent.Purpose.PERSONAL_DATA, request=request)
            messages.success(request, _("Thank you: your consent has been recorded."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = _saved_user(self.request)
        if form.cleaned_data["newsletter"]:
            services.give_consent(user, Consent.Purpose.NEWSLETTER, request=self.request)
            messages.success(self.request, _("You are subscribed to our newsletter."))
        else:
            services.withdraw_consent(user, Consent.Purpose.NEWSLETTER)
            messages.success(self.request, _("You are unsubscribed from our newsletter."))
        return HttpResponseRedirect(self.request.path)


class DataExportView(LoginRequiredMixin, TemplateView):
    template_name = "istok_accounts/data_export.html"

    def get_context_data(self, **kwargs):
        sources = selectors.personal_data_sources()
        return super().get_context_data(sources=sources, sources_text=", ".join(sources), **kwargs)


class PolicyView(TemplateView):
    """The personal data processing policy (``ISTOK_ACCOUNTS_POLICY_URL`` names it by
    default): a plain text a business replaces by overriding
    ``istok_accounts/policy.html`` or by pointing the setting at its own page."""

    template_name = "istok_accounts/policy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            policy_version=settings.ISTOK_ACCOUNTS_POLICY_VERSION,
            sources=selectors.personal_data_sources(),
            **kwargs,
        )


class DataDownloadView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        data = services.export_personal_data(_saved_user(request))
        stamp = timezone.now().strftime("%Y%m%d")
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response


class AccountDeleteView(LoginRequiredMixin, RateLimitedFormMixin, FormView):
    template_name = "istok_accounts/account_delete.html"
    form_class = AccountDeleteForm
    rate_limit_scope = limits.ERASURE
    rate_limit_setting = "ISTOK_ACCOUNTS_ERASURE_RATE"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "request": self.request}

    def form_valid(self, form):
        services.erase_user(_saved_user(self.request))
        logout(self.request)
        messages.success(self.request, _("Your account has been deleted."))
        return HttpResponseRedirect(resolve_url(settings.ISTOK_ACCOUNTS_ERASURE_REDIRECT_URL))
