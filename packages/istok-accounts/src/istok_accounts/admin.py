"""Admin of istok_accounts: the user with every profile field, rooms, consents."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from istok_core.admin import LabelledWidgetsMixin
from istok_core.formatting import format_phone
from istok_core.i18n.admin import TranslationsAdminMixin
from istok_core.phones import PhoneField

from .forms import EmailFreeMixin, RenovationFormMixin
from .models import Consent, Room
from .selectors import profile_completion


@admin.register(Room)
class RoomAdmin(LabelledWidgetsMixin, TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


class ConsentInline(LabelledWidgetsMixin, admin.TabularInline):
    model = Consent
    fields = ["purpose", "policy_version", "given_at", "withdrawn_at", "ip_address"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ConsentFilter(admin.SimpleListFilter):
    purpose = None

    def lookups(self, request, model_admin):
        return [
            ("yes", pgettext_lazy("consent", "Given")),
            ("no", pgettext_lazy("consent", "Not given")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        active = Consent.objects.active().filter(user=OuterRef("pk"), purpose=self.purpose)
        return queryset.filter(Exists(active) if self.value() == "yes" else ~Exists(active))


class NewsletterConsentFilter(ConsentFilter):
    title = _("newsletter consent")
    parameter_name = "newsletter"
    purpose = Consent.Purpose.NEWSLETTER


class PersonalDataConsentFilter(ConsentFilter):
    title = _("personal data consent")
    parameter_name = "personal_data"
    purpose = Consent.Purpose.PERSONAL_DATA


class IstokUserChangeForm(EmailFreeMixin, RenovationFormMixin, UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            # The number as every page shows it (+7 912 345-67-89), with the same example.
            self.fields["phone"] = PhoneField(
                label=self.fields["phone"].label,
                required=False,
                region=settings.ISTOK_ACCOUNTS_PHONE_REGION,
            )


class IstokUserCreationForm(EmailFreeMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "email")


class IstokAdminPasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, with the warning under "Password-based authentication" translated
    (Django writes it in English only)."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class IstokUserAdmin(LabelledWidgetsMixin, UserAdmin):
    """Admin for any user model that inherits ``AbstractIstokUser``.

    A project with its own user model registers it: ``admin.site.register(MyUser,
    IstokUserAdmin)``.
    """

    form = IstokUserChangeForm
    add_form = IstokUserCreationForm
    change_password_form = IstokAdminPasswordChangeForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "phone", "has_children")},
        ),
        (_("Renovation"), {"fields": ("renovation_planned", "renovation_stage", "rooms")}),
        (
            _("Permissions"),
            {
                "classes": ["collapse"],
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ["wide"],
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["erased_at", "last_login", "date_joined"]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "phone_number",
        "renovation_stage",
        "completion",
        "date_joined",
    ]
    list_filter = [
        "renovation_planned",
        "renovation_stage",
        "rooms",
        "has_children",
        NewsletterConsentFilter,
        PersonalDataConsentFilter,
        "is_staff",
        "is_active",
    ]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    # Checkboxes, not Django's filter_horizontal (its script leaves ARIA attributes on a
    # <span> that screen readers reject).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [ConsentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rooms")

    @admin.display(description=_("phone number"), ordering="phone")
    def phone_number(self, obj):
        return format_phone(obj.phone) or "—"

    @admin.display(description=_("profile completion"))
    def completion(self, obj):
        return f"{profile_completion(obj).percent}%"


User = get_user_model()
if User._meta.label == "istok_accounts.User":
    admin.site.register(User, IstokUserAdmin)
