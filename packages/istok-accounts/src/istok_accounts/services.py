"""Use cases of istok_accounts: the only code that writes its data.

Pages, the API and the admin call these functions. Each one validates what it is given
and raises :class:`~django.core.exceptions.ValidationError` (a dict of field errors where a
field is at fault) before it writes anything.
"""

import json
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data
from .models import Consent
from .selectors import active_consent, profile_completion
from .signals import (
    check_referral_code,
    personal_data_requested,
    profile_updated,
    user_erased,
    user_signed_up,
)

#: The profile fields a user edits themself (pages and API).
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "has_children",
    "renovation_planned",
    "renovation_stage",
    "rooms",
)


def validate_email_free(email, user=None):
    """Refuse ``email`` when another account uses it, in any letter case."""
    others = get_user_model()._default_manager.filter(email__iexact=email)
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    if email and others.exists():
        raise ValidationError(
            {"email": _("A user with this email address already exists.")}, code="unique"
        )


def validate_username_free(username, user=None):
    """Refuse ``username`` when another account uses it, in any letter case, with the
    error Django's signup form gives (``UserCreationForm`` refuses such names too)."""
    User = get_user_model()
    others = User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": username})
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    if username and others.exists():
        raise ValidationError(
            {User.USERNAME_FIELD: User().unique_error_message(User, [User.USERNAME_FIELD])}
        )


def validate_renovation(planned, stage, rooms):
    """Refuse a renovation start or rooms when no renovation is planned."""
    errors = {}
    if planned is not True:
        if stage:
            errors["renovation_stage"] = _(
                "A renovation start can only be given when a renovation is planned."
            )
        if rooms:
            errors["rooms"] = _("Rooms can only be chosen when a renovation is planned.")
    if errors:
        raise ValidationError(errors)


def _full_clean(user):
    """``user.full_clean()``, with a duplicate email reported on the email field.

    The email check runs before this, but a concurrent signup may take the address in
    between; the database constraint then reports it, as a non-field error.
    """
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors = exc.update_error_dict({})
        general = errors.pop(NON_FIELD_ERRORS, [])
        taken = [e for e in general if e.code == "email_taken"]
        if taken:
            errors.setdefault("email", []).extend(taken)
        if general := [e for e in general if e.code != "email_taken"]:
            errors[NON_FIELD_ERRORS] = general
        raise ValidationError(errors) from exc


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _save(user):
    """Save ``user``; a username or email taken meanwhile by a concurrent request is a
    ValidationError on that field, not an IntegrityError."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        validate_email_free(user.email, user)
        raise ValidationError(
            {user.USERNAME_FIELD: _("A user with that username already exists.")}
        ) from exc


@transaction.atomic
def sign_up(
    *,
    username,
    email,
    password,
    personal_data_consent,
    newsletter_consent=False,
    first_name="",
    last_name="",
    referral_code="",
    request=None,
):
    """Create a customer account with its consents and announce it.

    ``personal_data_consent`` must be true: without it nothing is created. The
    personal data consent (and the newsletter one, when given) is recorded with the
    current policy version and the client's IP address. ``user_signed_up`` is sent once
    the transaction commits.
    """
    errors = {}
    if personal_data_consent is not True:
        errors["personal_data_consent"] = [
            _("You must agree to the processing of your personal data to sign up.")
        ]
    if not email:
        errors["email"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)

    # Before the account exists: a code nobody can join with is the signup's error.
    check_referral_code(referral_code, request)

    User = get_user_model()
    user = User(username=username, email=BaseUserManager.normalize_email(email))
    user.first_name, user.last_name = first_name, last_name
    validate_username_free(username)
    validate_email_free(user.email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    _full_clean(user)
    _save(user)

    give_consent(user, Consent.Purpose.PERSONAL_DATA, request=request)
    if newsletter_consent:
        give_consent(user, Consent.Purpose.NEWSLETTER, request=request)

    transaction.on_commit(
        partial(
            user_signed_up.send,
            sender=User,
            user=user,
            request=request,
            referral_code=(referral_code or "").strip(),
        )
    )
    return user


@transaction.atomic
def update_profile(user, **fields):
    """Change the profile fields given (names from :data:`PROFILE_FIELDS`) and save.

    ``rooms`` takes an iterable of :class:`~istok_accounts.models.Room`. Fields not given
    keep their value; the renovation rule is checked on the result.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    given = tuple(fields)
    rooms = fields.pop("rooms", None)
    if "email" in fields:
        if not fields["email"]:
            raise ValidationError({"email": _("This field is required.")})
        fields["email"] = BaseUserManager.normalize_email(fields["email"])
        validate_email_free(fields["email"], user)
    for name, value in fields.items():
        setattr(user, name, value)
    current_rooms = list(user.rooms.all()) if rooms is None and user.pk else rooms
    validate_renovation(user.renovation_planned, user.renovation_stage, current_rooms)
    inactive = [room for room in rooms or () if not room.is_active]
    if inactive:
        raise ValidationError({"rooms": _("This room can no longer be chosen.")})
    _full_clean(user)
    _save(user)
    if rooms is not None:
        user.rooms.set(rooms)
    transaction.on_commit(
        partial(profile_updated.send, sender=user.__class__, user=user, fields=given)
    )
    return user


@transaction.atomic
def give_consent(user, purpose, *, request=None):
    """Record that ``user`` consents to ``purpose`` under the current policy version.

    Giving a consent that is already active under the current version changes nothing and
    returns it; an active consent under an older version is closed and a new one recorded.
    """
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": _("Unknown consent purpose.")})
    version = settings.ISTOK_ACCOUNTS_POLICY_VERSION
    # Lock the user row: two requests giving the same consent at once make one record.
    user.__class__._default_manager.select_for_update().filter(pk=user.pk).first()
    current = active_consent(user, purpose)
    if current is not None:
        if current.policy_version == version:
            return current
        current.withdrawn_at = timezone.now()
        current.save(update_fields=["withdrawn_at"])
    return Consent.objects.create(
        user=user, purpose=purpose, policy_version=version, ip_address=_client_ip(request)
    )


@transaction.atomic
def withdraw_consent(user, purpose):
    """Withdraw the active consent of ``user`` for ``purpose``; nothing to withdraw is fine.

    The personal data consent cannot be withdrawn while the account exists: the account
    is deleted instead (:func:`erase_user`).
    """
    if purpose == Consent.Purpose.PERSONAL_DATA:
        raise ValidationError(
            {
                "purpose": _(
                    "The personal data consent is needed to keep an account. "
                    "Delete your account to withdraw it."
                )
            }
        )
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": _("Unknown consent purpose.")})
    Consent.objects.active().filter(user=user, purpose=purpose).update(withdrawn_at=timezone.now())


def _account_section(user):
    completion = profile_completion(user)
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": str(user.phone) if user.phone else "",
        "has_children": user.has_children,
        "renovation_planned": user.renovation_planned,
        "renovation_stage": user.renovation_stage,
        "rooms": [room.slug for room in user.rooms.all()],
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "profile_completion": completion.percent,
        "consents": [
            {
                "purpose": consent.purpose,
                "policy_version": consent.policy_version,
                "given_at": consent.given_at,
                "withdrawn_at": consent.withdrawn_at,
                "ip_address": consent.ip_address,
            }
            for consent in Consent.objects.filter(user=user)
        ],
    }


def export_personal_data(user):
    """Everything the installed istok apps hold about ``user``, as a JSON-ready dict.

    The account's own data is under ``"istok_accounts"``; every receiver of
    ``personal_data_requested`` adds its sections.
    """
    data = {"exported_at": timezone.now(), "istok_accounts": _account_section(user)}
    for _receiver, sections in personal_data_requested.send(sender=user.__class__, user=user):
        if sections:
            data.update(sections)
    # Round-trip through the encoder so callers get plain JSON types.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def erase_user(user):
    """Anonymise ``user``'s account and let every app anonymise what it holds.

    The account row stays (orders keep a customer to point at) without any personal data:
    no name, email, phone or profile, an unusable password, inactive, every consent
    withdrawn and its IP address cleared. The admin log no longer names the user
    (:func:`~istok_accounts.personal_data.anonymise_admin_log`), django-axes' records of
    their sign-ins are deleted (:func:`~istok_accounts.personal_data.delete_login_records`)
    and, once the erasure has committed, so is every stored session of the user
    (:func:`~istok_accounts.personal_data.delete_sessions`). Calling it again changes
    nothing.
    """
    User = user.__class__  # the model, also when given a lazy request.user
    locked = User._default_manager.select_for_update().get(pk=user.pk)
    if locked.erased_at is not None:
        return locked
    identity = personal_data.identifying_values(locked)
    user_erased.send(sender=User, user=locked)

    now = timezone.now()
    setattr(locked, locked.USERNAME_FIELD, f"erased-{locked.pk}")
    locked.email = ""
    locked.first_name = locked.last_name = ""
    locked.phone = ""
    locked.has_children = User.Children.NOT_SAID
    locked.renovation_planned = None
    locked.renovation_stage = ""
    locked.is_active = False
    locked.is_staff = locked.is_superuser = False
    locked.erased_at = now
    locked.set_unusable_password()
    locked.save()
    locked.rooms.clear()
    locked.groups.clear()
    locked.user_permissions.clear()
    Consent.objects.filter(user=locked, withdrawn_at__isnull=True).update(withdrawn_at=now)
    Consent.objects.filter(user=locked).update(ip_address=None)
    personal_data.anonymise_admin_log(locked, identity)
    personal_data.delete_login_records(identity)
    transaction.on_commit(partial(personal_data._delete_sessions_after_commit, locked.pk, User))
    return locked
