"""Forms of the account pages and the admin. They validate; the services write."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from istok_core.phones import PhoneField

from . import limits, selectors, services
from .models import Room
from .signals import check_referral_code, remembered_referral_code, takes_referral_code


class ServiceErrorsMixin:
    """Validation errors a service raised, shown on the form like its own."""

    def add_service_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class EmailFreeMixin:
    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        try:
            services.validate_email_free(email, self.instance)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["email"]) from exc
        return email


#: Django's own Russian catalogue writes "Введенные" here but "Введённый" in the
#: validators' messages: these pages say it in their own words, spelt with ё.
PASSWORD_MESSAGES = {
    "password_mismatch": _("The two passwords you entered differ."),
    "password_incorrect": _("The current password is not right. Please enter it again."),
}


class PasswordErrorsOnPasswordMixin:
    """What the password validators say goes under the password, not under its
    confirmation (where Django's forms put it), and only once the two match."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            **{key: text for key, text in PASSWORD_MESSAGES.items() if key in self.error_messages},
        }

    def validate_password_for_user(self, user, password_field_name="password2", **kwargs):
        if not self.cleaned_data.get(password_field_name):
            return  # not given, or the two differ: that error is under the confirmation
        first = password_field_name.replace("2", "1")
        super().validate_password_for_user(user, password_field_name=first, **kwargs)


class SignupForm(
    PasswordErrorsOnPasswordMixin, ServiceErrorsMixin, EmailFreeMixin, UserCreationForm
):
    personal_data_consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        error_messages={
            "required": _("You must agree to the processing of your personal data to sign up.")
        },
    )
    newsletter_consent = forms.BooleanField(
        label=_("Send me news and offers by email"), required=False
    )
    referral_code = forms.CharField(
        label=_("Referral code"),
        required=False,
        max_length=64,
        help_text=_("If a friend invited you, enter their code."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].required = True
        if not takes_referral_code():
            del self.fields["referral_code"]
        elif not self.is_bound and request is not None:
            # Came by a friend's link: show the code it remembers, so it can be seen.
            self.initial.setdefault("referral_code", remembered_referral_code(request))

    def clean_referral_code(self):
        code = self.cleaned_data.get("referral_code", "").strip()
        try:
            check_referral_code(code, self.request)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["referral_code"]) from exc
        return code

    def add_service_error(self, error):
        if hasattr(error, "error_dict") and "password" in error.error_dict:
            error = ValidationError(
                {
                    "password1" if name == "password" else name: errors
                    for name, errors in error.error_dict.items()
                }
            )
        super().add_service_error(error)

    @property
    def policy_url(self):
        return selectors.policy_url()

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "username": data["username"],
            "email": data["email"],
            "password": data["password1"],
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "personal_data_consent": data["personal_data_consent"],
            "newsletter_consent": data.get("newsletter_consent", False),
            "referral_code": data.get("referral_code", ""),
        }


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email or username")
        # An email address may be longer than a username (254 characters, RFC 5321).
        # Django sets max_length after the field is built, which adds no validator: a
        # longer login would reach authenticate() and django-axes' 255-character column.
        username.max_length = 254
        username.widget.attrs["maxlength"] = 254
        username.validators.append(MaxLengthValidator(254))

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # django-axes refused even to check the password: say so, not "wrong password".
            if limits.locked_out(self.request):
                raise limits.lockout_error(self.request) from None
            raise


class PasswordChangeForm(PasswordErrorsOnPasswordMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(PasswordErrorsOnPasswordMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, sending at most ``ISTOK_ACCOUNTS_PASSWORD_RESET_RATE`` emails to an address
    and ``ISTOK_ACCOUNTS_PASSWORD_RESET_IP_RATE`` for a client. Beyond them it sends
    nothing and the page says what it always says: nobody learns whether the address has an
    account, nor can flood a mailbox."""

    def save(self, *args, request=None, **kwargs):
        if request is not None and not limits.password_reset_allowed(
            request, self.cleaned_data["email"]
        ):
            return
        return super().save(*args, request=request, **kwargs)


class RenovationFormMixin:
    """Checks the renovation answers together (shared by the profile and admin forms)."""

    def clean(self):
        cleaned = super().clean()
        if "renovation_planned" in self.fields:
            try:
                services.validate_renovation(
                    cleaned.get("renovation_planned"),
                    cleaned.get("renovation_stage"),
                    cleaned.get("rooms"),
                )
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    self.add_error(name, errors)
        return cleaned


class ProfileForm(ServiceErrorsMixin, EmailFreeMixin, RenovationFormMixin, forms.ModelForm):
    rooms = forms.ModelMultipleChoiceField(
        label=_("Rooms under renovation"),
        queryset=Room.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = get_user_model()
        fields = services.PROFILE_FIELDS
        widgets = {
            "has_children": forms.RadioSelect,
            "renovation_stage": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["phone"] = PhoneField(
            label=self.fields["phone"].label,
            required=False,
            region=settings.ISTOK_ACCOUNTS_PHONE_REGION,
        )
        self.fields["renovation_planned"] = forms.NullBooleanField(
            label=self.fields["renovation_planned"].label,
            required=False,
            widget=NullBooleanRadioSelect,
        )
        stage = self.fields["renovation_stage"]
        # A blank choice of its own, so a start once chosen can be cleared again.
        stage.choices = [("", _("Not decided yet")), *(c for c in stage.choices if c[0])]
        stage.required = False


class NullBooleanRadioSelect(forms.RadioSelect):
    """Yes / no / not decided as radio buttons (Django's ``NullBooleanSelect`` is a select)."""

    def __init__(self, attrs=None):
        choices = [("unknown", _("Not decided")), ("true", _("Yes")), ("false", _("No"))]
        super().__init__(attrs, choices)

    def format_value(self, value):
        value = {True: "true", False: "false", "true": "true", "false": "false"}.get(value)
        return [value or "unknown"]


class NewsletterForm(forms.Form):
    newsletter = forms.BooleanField(label=_("Send me news and offers by email"), required=False)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, request, *args, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        limits.check_password(self.request, self.user, password)
        return password
