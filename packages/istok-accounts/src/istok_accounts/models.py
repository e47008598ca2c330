"""Models of istok_accounts.

``AbstractIstokUser`` carries the customer's profile; ``User`` is the concrete model a
project names in ``AUTH_USER_MODEL``. A project that keeps its own user model inherits
``AbstractIstokUser`` instead, and everything in this app keeps working.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from istok_core.i18n import Translatable


class Room(Translatable):
    """A room a renovation can touch (kitchen, hallway, ...): a lookup table the business
    edits, its name in every language of the site (``translations``)."""

    translated_fields = ("name",)

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive rooms are not offered on the profile form."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self):
        return self.translated.name


class IstokUserManager(UserManager):
    def get_by_login(self, login):
        """Return the user whose username is ``login`` or whose email matches it in any case."""
        try:
            return self.get_by_natural_key(login)
        except self.model.DoesNotExist:
            if "@" not in login:
                raise
        return self.get(email__iexact=login)


class AbstractIstokUser(AbstractUser):
    """A customer of the furniture business: who they are and what they are renovating."""

    class Children(models.TextChoices):
        NOT_SAID = "", _("Prefer not to say")
        YES = "yes", _("Yes")
        NO = "no", _("No")

    class RenovationStage(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Already in progress")
        SOON = "soon", _("Starting soon")
        HALF_YEAR = "half_year", _("Within half a year")
        YEAR = "year", _("Within a year")

    # Blank only for erased accounts: every form and the API require it.
    email = models.EmailField(_("email address"), blank=True)
    phone = PhoneNumberField(_("phone number"), blank=True)
    has_children = models.CharField(
        _("children"),
        max_length=8,
        choices=Children.choices,
        blank=True,
        default=Children.NOT_SAID,
    )
    renovation_planned = models.BooleanField(
        _("renovation planned"), null=True, blank=True, help_text=_("Empty: not answered yet.")
    )
    renovation_stage = models.CharField(
        _("renovation starts"),
        max_length=16,
        choices=RenovationStage.choices,
        blank=True,
        default="",
    )
    rooms = models.ManyToManyField(
        Room, blank=True, related_name="+", verbose_name=_("rooms under renovation")
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = IstokUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta(AbstractUser.Meta):
        abstract = True
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="%(app_label)s_%(class)s_email_ci_unique",
                violation_error_code="email_taken",
                violation_error_message=_("A user with this email address already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(renovation_planned=True) | models.Q(renovation_stage=""),
                name="%(app_label)s_%(class)s_stage_needs_renovation",
                violation_error_message=_(
                    "A renovation start can only be given when a renovation is planned."
                ),
            ),
        ]

    @property
    def is_erased(self):
        return self.erased_at is not None

    def profile_field_is_filled(self, name):
        """Whether the optional profile field ``name`` counts as filled for completion.

        The renovation stage and rooms count as filled when no renovation is planned: the
        user has answered everything that applies to them. Override to change the rule.
        """
        if name in ("renovation_stage", "rooms") and self.renovation_planned is False:
            return True
        field = self._meta.get_field(name)
        if field.many_to_many:
            if self.pk is None:
                return False
            prefetched = getattr(self, "_prefetched_objects_cache", {})
            if name in prefetched:
                return bool(prefetched[name])
            return getattr(self, name).exists()
        value = getattr(self, name)
        if name == "has_children":
            return value != self.Children.NOT_SAID
        return value not in (None, "")


class User(AbstractIstokUser):
    """The concrete customer model: ``AUTH_USER_MODEL = "istok_accounts.User"``."""

    class Meta(AbstractIstokUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """One consent a user gave, kept after withdrawal as the record of what was agreed."""

    class Purpose(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("Personal data processing")
        NEWSLETTER = "newsletter", _("Newsletter")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="istok_consents",
        verbose_name=_("user"),
    )
    purpose = models.CharField(
        pgettext_lazy("consent", "purpose"), max_length=32, choices=Purpose.choices
    )
    policy_version = models.CharField(_("policy version"), max_length=32, blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="istok_accounts_consent_one_active_per_purpose",
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.policy_version or '-'})"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class UserSession(AbstractBaseSession):
    """A session stored by the ``istok_accounts.sessions`` engine: Django's database
    session with the signed-in user's primary key in an indexed column, so that an
    erasure finds the user's sessions without reading every session."""

    user_pk = models.CharField(_("user"), max_length=64, blank=True, db_index=True, editable=False)

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
