"""Read queries shared by the pages, the API, the admin and other apps."""

import weakref
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch

from .models import Consent
from .signals import personal_data_requested


@dataclass(frozen=True)
class MissingField:
    name: str
    label: str


@dataclass(frozen=True)
class ProfileCompletion:
    """How much of the optional profile a user has filled in."""

    percent: int
    missing: list[MissingField] = field(default_factory=list)

    @property
    def is_complete(self):
        return not self.missing


def profile_completion(user):
    """Return the :class:`ProfileCompletion` of ``user`` over ``ISTOK_ACCOUNTS_COMPLETION_FIELDS``.

    Prefetch ``rooms`` when computing it for many users: it then runs no query.
    """
    names = settings.ISTOK_ACCOUNTS_COMPLETION_FIELDS
    if not names:
        return ProfileCompletion(percent=100)
    missing = [
        MissingField(name, str(user._meta.get_field(name).verbose_name))
        for name in names
        if not user.profile_field_is_filled(name)
    ]
    filled = len(names) - len(missing)
    return ProfileCompletion(percent=filled * 100 // len(names), missing=missing)


def active_consent(user, purpose):
    """The consent ``user`` gave for ``purpose`` and has not withdrawn, or ``None``."""
    return Consent.objects.active().filter(user=user, purpose=purpose).first()


def has_newsletter_consent(user):
    return Consent.objects.active().filter(user=user, purpose=Consent.Purpose.NEWSLETTER).exists()


def needs_policy_consent(user):
    """True when the user has no active consent to the current personal data policy."""
    consent = active_consent(user, Consent.Purpose.PERSONAL_DATA)
    return consent is None or consent.policy_version != settings.ISTOK_ACCOUNTS_POLICY_VERSION


def policy_url():
    """The address of the personal data processing policy: ``ISTOK_ACCOUNTS_POLICY_URL``
    (a URL name or a path; by default this app's own policy page), or ``""`` for none."""
    value = settings.ISTOK_ACCOUNTS_POLICY_URL
    if not value:
        return ""
    try:
        return resolve_url(value)
    except NoReverseMatch:
        return ""


def personal_data_sources():
    """The names (``verbose_name``) of the other installed apps that add their part to the
    data export (they answer ``personal_data_requested``), so that the export page
    promises only what the file will hold."""
    names = []
    for entry in personal_data_requested.receivers:
        receiver = entry[1]  # (key, receiver or a weak reference to it, ...)
        if isinstance(receiver, weakref.ReferenceType):
            receiver = receiver()
        config = apps.get_containing_app_config(getattr(receiver, "__module__", "") or "")
        if config is not None and config.name != "istok_accounts":
            names.append(str(config.verbose_name))
    return list(dict.fromkeys(names))
