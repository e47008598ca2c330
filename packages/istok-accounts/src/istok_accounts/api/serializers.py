"""Serializers of the accounts API. They check types and shapes; the services check the rules."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from istok_core.formatting import phone_example

from .. import limits, selectors
from ..models import AbstractIstokUser, Consent, Room
from ..signals import takes_referral_code

Children = AbstractIstokUser.Children
RenovationStage = AbstractIstokUser.RenovationStage


class E164PhoneNumberField(PhoneNumberField):
    """A phone number read in ``ISTOK_ACCOUNTS_PHONE_REGION`` and written out as E.164."""

    def to_internal_value(self, data):
        # Read the region per request (not at import) so the setting may change in tests.
        self.region = settings.ISTOK_ACCOUNTS_PHONE_REGION
        # The same example as the pages' (+7 912 345-67-89), in the one display format.
        self.error_messages["invalid"] = _(
            "Enter a valid phone number, for example %(example)s."
        ) % {"example": phone_example(self.region)}
        return super().to_internal_value(data)

    def to_representation(self, value):
        # ``as_e164`` gives back the raw input of a number that does not parse.
        return value.as_e164 if value else ""


class RoomSlugField(serializers.SlugRelatedField):
    """An active room by its code. Anything but a plain string is refused before the query:
    PostgreSQL rejects a NUL character with an error, not with "no such row"."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class RoomSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="translated.name",
        read_only=True,
        help_text=_("The room's name in the request's language."),
    )

    class Meta:
        model = Room
        fields = ["slug", "name"]
        read_only_fields = fields


class MissingFieldSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("Name of the profile field."))
    label = serializers.CharField(read_only=True, help_text=_("The field's label to show."))


class CompletionSerializer(serializers.Serializer):
    percent = serializers.IntegerField(
        read_only=True,
        min_value=0,
        max_value=100,
        help_text=_("How much of the profile is filled."),
    )
    missing = MissingFieldSerializer(
        many=True, read_only=True, help_text=_("The fields still to fill, most useful first.")
    )


class MeSerializer(serializers.Serializer):
    """The signed-in user's own profile."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True, source="get_username")
    email = serializers.EmailField(label=_("email address"), max_length=254)
    first_name = serializers.CharField(
        label=_("first name"), max_length=150, allow_blank=True, required=False
    )
    last_name = serializers.CharField(
        label=_("last name"), max_length=150, allow_blank=True, required=False
    )
    phone = E164PhoneNumberField(
        label=_("phone number"),
        max_length=128,
        allow_blank=True,
        required=False,
        help_text=_("In international format (+79123456789) or as dialled in the site's region."),
    )
    has_children = serializers.ChoiceField(
        label=_("children"), choices=Children.choices, required=False
    )
    renovation_planned = serializers.BooleanField(
        label=_("renovation planned"),
        allow_null=True,
        required=False,
        help_text=_("Null: not answered yet."),
    )
    renovation_stage = serializers.ChoiceField(
        label=_("renovation starts"),
        choices=RenovationStage.choices,
        allow_blank=True,
        required=False,
        help_text=_("Only when a renovation is planned."),
    )
    rooms = RoomSlugField(
        label=_("rooms under renovation"),
        many=True,
        slug_field="slug",
        queryset=Room.objects.filter(is_active=True),
        required=False,
        help_text=_("Codes of the rooms; only when a renovation is planned."),
    )
    date_joined = serializers.DateTimeField(read_only=True)
    completion = serializers.SerializerMethodField()
    newsletter = serializers.SerializerMethodField(
        help_text=_("Whether the user receives the newsletter (see the consents endpoint).")
    )

    @extend_schema_field(CompletionSerializer)
    def get_completion(self, user):
        return CompletionSerializer(selectors.profile_completion(user)).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_newsletter(self, user):
        return selectors.has_newsletter_consent(user)


class SignupSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"), max_length=150)
    email = serializers.EmailField(label=_("email address"), max_length=254)
    password = serializers.CharField(
        label=_("password"),
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
    )
    first_name = serializers.CharField(
        label=_("first name"), max_length=150, allow_blank=True, required=False, default=""
    )
    last_name = serializers.CharField(
        label=_("last name"), max_length=150, allow_blank=True, required=False, default=""
    )
    personal_data_consent = serializers.BooleanField(
        label=_("I agree to the processing of my personal data"),
        help_text=_("Must be true: an account cannot exist without this consent."),
    )
    newsletter_consent = serializers.BooleanField(
        label=_("Send me news and offers by email"), required=False, default=False
    )
    referral_code = serializers.CharField(
        label=_("Referral code"),
        max_length=64,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("If a friend invited you, their code. Only when the site takes codes."),
    )

    def get_fields(self):
        fields = super().get_fields()
        if not takes_referral_code():
            del fields["referral_code"]
        return fields


class ConsentSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = ["purpose", "policy_version", "given_at", "withdrawn_at", "is_active"]
        read_only_fields = fields


class ConsentChangeSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(
        label=pgettext_lazy("consent", "purpose"), choices=Consent.Purpose.choices
    )
    given = serializers.BooleanField(
        label=_("given"), help_text=_("True gives the consent, false withdraws it.")
    )


class EraseSerializer(serializers.Serializer):
    password = serializers.CharField(
        label=_("Your password"),
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
    )

    def validate_password(self, password):
        request = self.context["request"]
        try:
            # The Django request: django-axes marks it when it locks the client out.
            limits.check_password(request._request, request.user, password)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc
        return password
